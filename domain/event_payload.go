package domain

import (
	"encoding/json"
	"fmt"
	"time"
)

// The payloads of the twelve webhook events. Each event's domain_events.payload is built from one of these
// structs (EventPayloadMap), and a webhook delivery's `data` is that stored payload unchanged, so these types
// are the public contract: add fields freely, never rename or remove one. The json tags are the keys; the
// doc, format, enum and nullable tags feed the OpenAPI document the /developer page renders (WebhookPayloads).
// Payloads stay lean: ids plus what a receiver needs to act without a lookup, never secrets or internal-only
// data (no descriptions, internal notes, budgets or rates).

// ProjectEventPayload is the data of project.created, project.updated and project.deleted.
type ProjectEventPayload struct {
	ProjectID string  `json:"project_id" format:"uuid" doc:"The project."`
	Name      string  `json:"name" doc:"The project's name."`
	ClientID  *string `json:"client_id" format:"uuid" nullable:"true" doc:"The project's client; null for an internal project."`
	Status    string  `json:"status" enum:"planning,active,on_hold,completed,cancelled" doc:"The project's status."`
	StartDate *string `json:"start_date" format:"date" nullable:"true" doc:"Start date (YYYY-MM-DD); null when unset."`
	DueDate   *string `json:"due_date" format:"date" nullable:"true" doc:"Due date (YYYY-MM-DD); null when unset."`
	Archived  bool    `json:"archived" doc:"Whether the project is archived (project.deleted: as it was when deleted)."`
	// Tasks and Changed belong to one event each, so they are left out of the others.
	Tasks   int      `json:"tasks,omitempty" doc:"project.created only: how many tasks its template created (omitted when none)."`
	Changed []string `json:"changed,omitempty" doc:"project.updated only: the fields that changed, e.g. name, status, client_id, due_date, archived."`
}

// TaskEventPayload is the data of task.created, task.updated and task.completed.
type TaskEventPayload struct {
	TaskID      string     `json:"task_id" format:"uuid" doc:"The task."`
	ProjectID   string     `json:"project_id" format:"uuid" doc:"The project the task belongs to."`
	Number      int        `json:"number" doc:"The task's number within its project (shown as #12)."`
	Title       string     `json:"title" doc:"The task's title."`
	ColumnID    string     `json:"column_id" format:"uuid" doc:"The board column (status) the task is in."`
	Priority    string     `json:"priority" enum:"low,medium,high,urgent" doc:"The task's priority."`
	DueDate     *string    `json:"due_date" format:"date" nullable:"true" doc:"Due date (YYYY-MM-DD); null when unset."`
	AssigneeIDs []string   `json:"assignee_ids" doc:"User ids of the assignees (possibly empty)."`
	CompletedAt *time.Time `json:"completed_at" format:"date-time" nullable:"true" doc:"When the task was completed (moved into a done column); null while open."`
	// The fields below describe the change itself; they appear only on the events named.
	Changed        []string `json:"changed,omitempty" doc:"task.updated only: what changed, among title, description, priority, due_date, estimate_minutes, assignee_ids, column, position, subtasks."`
	AssigneesAdded []string `json:"assignees_added,omitempty" doc:"task.created and task.updated: user ids newly assigned by this change (omitted when none)."`
	ColumnFrom     string   `json:"column_from,omitempty" doc:"task.updated, when the task changed column: the name of the column it left."`
	ColumnTo       string   `json:"column_to,omitempty" doc:"task.created: the name of the column it was created in; task.updated, when it changed column: the column it entered."`
	Completed      bool     `json:"completed,omitempty" doc:"task.updated only: true when this change completed the task (a task.completed event follows)."`
}

// ClientEventPayload is the data of client.created and client.updated.
type ClientEventPayload struct {
	ClientID      string `json:"client_id" format:"uuid" doc:"The client."`
	Name          string `json:"name" doc:"The client's name."`
	Email         string `json:"email" doc:"The client's billing e-mail address; empty when unset."`
	Company       string `json:"company" doc:"The client's company; empty when unset."`
	Status        string `json:"status" enum:"active,archived" doc:"The client's status."`
	PortalEnabled bool   `json:"portal_enabled" doc:"Whether the client portal is open to the client's contacts."`
	// Changed is set on client.updated only.
	Changed []string `json:"changed,omitempty" doc:"client.updated only: the fields that changed, among name, email, phone, company, website, notes, status, portal_enabled."`
}

// InvoiceEventPayload is the data of invoice.paid and invoice.overdue. Amounts are integers in minor units
// of Currency (cents for USD: 12345 = 123.45).
type InvoiceEventPayload struct {
	InvoiceID  string     `json:"invoice_id" format:"uuid" doc:"The invoice."`
	Number     int        `json:"number" doc:"The invoice number (shown as #1042)."`
	ClientID   string     `json:"client_id" format:"uuid" doc:"The billed client."`
	ClientName string     `json:"client_name" doc:"The billed client's name."`
	ProjectID  *string    `json:"project_id" format:"uuid" nullable:"true" doc:"The project the invoice bills; null when it bills none."`
	Status     string     `json:"status" enum:"paid,overdue" doc:"The invoice's status after the event."`
	Currency   string     `json:"currency" doc:"ISO 4217 currency code, e.g. USD."`
	Total      int64      `json:"total" doc:"The invoice total in minor units."`
	AmountPaid int64      `json:"amount_paid" doc:"What has been paid so far, in minor units."`
	Balance    int64      `json:"balance" doc:"What is still owed (total - amount_paid), in minor units; 0 once paid."`
	IssueDate  string     `json:"issue_date" format:"date" doc:"Issue date (YYYY-MM-DD)."`
	DueDate    string     `json:"due_date" format:"date" doc:"Due date (YYYY-MM-DD)."`
	PaidAt     *time.Time `json:"paid_at" format:"date-time" nullable:"true" doc:"When the invoice was fully paid; null until then."`
}

// MemberEventPayload is the data of team.member_added and team.member_removed. A client contact is a member
// with role client and its client_id set, so a receiver interested in staff only filters on role.
type MemberEventPayload struct {
	UserID   string  `json:"user_id" format:"uuid" doc:"The person who joined or left."`
	Name     string  `json:"name" doc:"Their display name."`
	Email    string  `json:"email" format:"email" doc:"Their e-mail address."`
	Role     string  `json:"role" enum:"owner,admin,manager,member,client" doc:"Their role in the organization (as it was when removed)."`
	ClientID *string `json:"client_id" format:"uuid" nullable:"true" doc:"For a client contact (role client): their client; null for staff."`
}

// WebhookPayloads maps each webhook event type to the zero value of its payload type, the schema the API
// reference documents for the event's `data`.
var WebhookPayloads = map[string]any{
	EventProjectCreated: ProjectEventPayload{},
	EventProjectUpdated: ProjectEventPayload{},
	EventProjectDeleted: ProjectEventPayload{},
	EventTaskCreated:    TaskEventPayload{},
	EventTaskUpdated:    TaskEventPayload{},
	EventTaskCompleted:  TaskEventPayload{},
	EventClientCreated:  ClientEventPayload{},
	EventClientUpdated:  ClientEventPayload{},
	EventInvoicePaid:    InvoiceEventPayload{},
	EventInvoiceOverdue: InvoiceEventPayload{},
	EventMemberAdded:    MemberEventPayload{},
	EventMemberRemoved:  MemberEventPayload{},
}

// WebhookEventDescriptions says when each webhook event happens, for the API reference.
var WebhookEventDescriptions = map[string]string{
	EventProjectCreated: "A project was created (from scratch or from a template; each template task also raises task.created).",
	EventProjectUpdated: "A project's details, status or archived state changed; `changed` lists the fields.",
	EventProjectDeleted: "A project was deleted with everything in it.",
	EventTaskCreated:    "A task was created, by the team or as a client's portal request.",
	EventTaskUpdated:    "A task changed: its fields, assignees, column, position or subtasks; `changed` lists what.",
	EventTaskCompleted:  "A task was completed: it moved into a done column (a task.updated with completed: true comes with it), or was created in one.",
	EventClientCreated:  "A client was created.",
	EventClientUpdated:  "A client's details, status or portal access changed; `changed` lists the fields (an update that changes nothing sends nothing).",
	EventInvoicePaid:    "An invoice was paid in full: the payment that settles the balance was recorded, or a zero-total invoice was marked paid.",
	EventInvoiceOverdue: "A sent invoice passed its due date unpaid; sent once per invoice.",
	EventMemberAdded:    "Someone joined the organization by accepting an invitation: staff, or a client contact (role client). The organization's creator is not \"added\".",
	EventMemberRemoved:  "Someone left the organization: a member was removed, a client contact was removed, or a client was deleted with its contacts. Suspending a member is no removal.",
}

// EventPayloadMap turns a payload struct into the map an Event stores, through its JSON form, so the stored
// keys are exactly the struct's json tags (they cannot drift from the documented type) and values have the
// shapes a reader decoding the stored JSON sees (numbers as float64, lists as []any).
func EventPayloadMap(v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		// The payload types hold strings, numbers, bools, times and slices only: a failure is a programming error.
		panic(fmt.Sprintf("domain: event payload %T: %v", v, err))
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("domain: event payload %T is no JSON object: %v", v, err))
	}
	return m
}

// DateString formats a calendar date as the payloads carry it (YYYY-MM-DD), nil for nil.
func DateString(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// OptionalID is id, or nil when empty (a nullable uuid in a payload).
func OptionalID(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}
