package domain

// Event types: what happened, as "<entity>.<verb>". Outbound webhooks deliver the twelve in
// WebhookEventTypes, whose payloads are documented types (event_payload.go). When they are raised:
//   - team.member_added: an invitation is accepted, by staff or by a client contact (role client); the
//     organization's creator is not "added".
//   - team.member_removed: RemoveMember, RemoveClientContact, and DeleteClient (once per contact). Suspending a
//     member or changing their role is no removal.
//   - task.completed: a task enters a done column (moved, created there, created by a template there, or moved
//     there by its column's deletion); a move out of it and back completes it again. Marking a column done
//     later completes nothing (the tasks in it keep their state, as the board does).
//   - invoice.paid: the payment that settles the balance is recorded, or a zero-total invoice is marked paid
//     (invoices are paid by recording payments; no other path pays one).
//   - invoice.overdue: the invoice workflow moves a sent invoice to overdue, once per invoice (only sent →
//     overdue changes anything).
const (
	EventClientCreated  = "client.created"
	EventClientUpdated  = "client.updated"
	EventClientDeleted  = "client.deleted"
	EventProjectCreated = "project.created"
	EventProjectUpdated = "project.updated"
	EventProjectDeleted = "project.deleted"
	EventTaskCreated    = "task.created"
	EventTaskUpdated    = "task.updated"
	EventTaskCompleted  = "task.completed"
	EventTaskDeleted    = "task.deleted"
	EventMemberAdded    = "team.member_added"
	EventMemberRemoved  = "team.member_removed"
	// EventTaskDueSoon and EventTaskOverdue are raised by the due-date sweep, once per task, due date and kind.
	EventTaskDueSoon = "task.due_soon"
	EventTaskOverdue = "task.overdue"
	// EventClientPortalEnabled is recorded when a client's portal is switched on (payload client_id, client_name);
	// the fan-out tells the client's contacts.
	EventClientPortalEnabled = "client.portal_enabled"
	// EventFileShared is recorded when a file becomes shared with the project's client, on upload or later
	// (payload file_id, project_id, name); the fan-out tells the client's contacts.
	EventFileShared = "file.shared"
	// EventTaskRequested is recorded when a client contact submits a request from the portal; the fan-out tells
	// the project's team.
	EventTaskRequested = "task.requested"
)

// Usage metrics counted per organization and month (plan limits read them).
const (
	UsageMembers  = "members"
	UsageProjects = "projects"
	UsageClients  = "clients"
	UsageTasks    = "tasks"
	UsageComments = "comments"
	UsageFiles    = "files"
)

// Event is a business event, recorded in the same transaction as the change that caused it.
type Event struct {
	Type       string
	EntityType string
	EntityID   string
	ActorID    string
	// ProjectID scopes the event for project visibility; empty for organization-wide events.
	ProjectID string
	// Payload carries what a reader needs without another lookup (e.g. the entity's name). For the webhook
	// events it is built from the event's payload type with EventPayloadMap, since a delivery's data is this
	// map as stored: its keys are a public contract.
	Payload map[string]any
}
