package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// TimeEntry is a stretch of work on a project. A running timer has ended_at and minutes null.
type TimeEntry struct {
	ID          string     `json:"id" format:"uuid"`
	ProjectID   string     `json:"project_id" format:"uuid"`
	ProjectName string     `json:"project_name"`
	TaskID      *string    `json:"task_id" nullable:"true" format:"uuid"`
	TaskTitle   *string    `json:"task_title" nullable:"true"`
	UserID      string     `json:"user_id" format:"uuid"`
	UserName    string     `json:"user_name"`
	StartedAt   time.Time  `json:"started_at"`
	EndedAt     *time.Time `json:"ended_at" nullable:"true"`
	Minutes     *int       `json:"minutes" nullable:"true"`
	Note        string     `json:"note"`
	Billable    bool       `json:"billable"`
	BilledAt    *time.Time `json:"billed_at" nullable:"true" doc:"Set once an invoice includes the entry; billed entries are read-only."`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

func timeEntryFrom(e *domain.TimeEntry) TimeEntry {
	out := TimeEntry{ID: e.ID, ProjectID: e.ProjectID, ProjectName: e.ProjectName, UserID: e.UserID,
		UserName: e.UserName, StartedAt: e.StartedAt, EndedAt: e.EndedAt, Minutes: e.Minutes, Note: e.Note,
		Billable: e.Billable, BilledAt: e.BilledAt, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	if e.TaskID != "" {
		out.TaskID, out.TaskTitle = &e.TaskID, &e.TaskTitle
	}
	return out
}

// TimeEntryList is one page of time entries.
type TimeEntryList struct {
	Data       []TimeEntry `json:"data"`
	NextCursor *string     `json:"next_cursor" nullable:"true" doc:"Pass as cursor for the next page; null on the last page."`
}

// TimeEntryCreate logs time by hand: the day (or exact start) and the minutes worked.
type TimeEntryCreate struct {
	ProjectID string     `json:"project_id" format:"uuid"`
	TaskID    string     `json:"task_id,omitempty" format:"uuid" doc:"A task of the project."`
	Date      string     `json:"date,omitempty" format:"date" doc:"Day worked (UTC); give this or started_at."`
	StartedAt *time.Time `json:"started_at,omitempty" doc:"Exact start; wins over date."`
	Minutes   int        `json:"minutes" minimum:"1" maximum:"1440"`
	Note      string     `json:"note,omitempty" maxLength:"2000"`
	Billable  *bool      `json:"billable,omitempty" doc:"Defaults to true."`
}

// TimeEntryUpdate changes the fields it carries. task_id "" removes the task; changing project_id without
// task_id removes it too.
type TimeEntryUpdate struct {
	ProjectID *string    `json:"project_id,omitempty" format:"uuid"`
	TaskID    *string    `json:"task_id,omitempty" maxLength:"36"`
	StartedAt *time.Time `json:"started_at,omitempty"`
	Minutes   *int       `json:"minutes,omitempty" minimum:"1" maximum:"1440"`
	Note      *string    `json:"note,omitempty" maxLength:"2000"`
	Billable  *bool      `json:"billable,omitempty"`
}

// TimeEntryPath addresses one time entry of an organization.
type TimeEntryPath struct {
	OrgID   string `path:"org_id" format:"uuid" doc:"Organization ID."`
	EntryID string `path:"entry_id" format:"uuid" doc:"Time entry ID."`
}

type timeEntryOutput struct{ Body TimeEntry }

func (s *Server) registerTimeEntries() {
	tags := []string{"Time"}
	base := "/api/v1/orgs/{org_id}/time/entries"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-time-entries", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Extensions: requires(domain.PermTimeRead),
		Summary:    "List time entries, latest first",
		Description: "Owners, admins and managers see everyone's entries on every project; members see their own " +
			"entries on projects they belong to.",
		Errors: errs,
	}, s.listTimeEntries)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-time-entry", Method: http.MethodPost, Path: base, Tags: tags, Security: security,
		Extensions: timeWrite(),
		Summary:    "Log time by hand", DefaultStatus: http.StatusCreated, Errors: errs,
	}, s.createTimeEntry)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-time-entry", Method: http.MethodPatch, Path: base + "/{entry_id}", Tags: tags,
		Security: security, Extensions: timeWrite(),
		Summary:     "Edit a time entry",
		Description: "Your own entries; owners, admins and managers may edit everyone's. Billed entries answer 409.",
		Errors:      append(errs, http.StatusConflict),
	}, s.updateTimeEntry)
	huma.Register(s.api, huma.Operation{
		OperationID: "delete-time-entry", Method: http.MethodDelete, Path: base + "/{entry_id}", Tags: tags,
		Security: security, Extensions: timeWrite(),
		Summary:       "Delete a time entry",
		Description:   "Your own entries; owners, admins and managers may delete everyone's. Billed entries answer 409.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusUnauthorized, http.StatusForbidden,
			http.StatusNotFound, http.StatusConflict},
	}, s.deleteTimeEntry)
}

// DateRange is an inclusive range of UTC days.
type DateRange struct {
	From string `query:"from" format:"date" doc:"First day (UTC), inclusive."`
	To   string `query:"to" format:"date" doc:"Last day (UTC), inclusive."`
}

// days parses the range; the schema has already checked the format.
func (r DateRange) days() (from, to *time.Time) {
	parse := func(s string) *time.Time {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return &t
		}
		return nil
	}
	return parse(r.From), parse(r.To)
}

func (s *Server) listTimeEntries(ctx context.Context, in *struct {
	OrgPath
	DateRange
	ProjectID string `query:"project_id" format:"uuid"`
	TaskID    string `query:"task_id" format:"uuid"`
	UserID    string `query:"user_id" format:"uuid"`
	Billable  string `query:"billable" enum:"true,false"`
	Limit     int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
	Cursor    string `query:"cursor" maxLength:"200"`
}) (*struct{ Body TimeEntryList }, error) {
	f := domain.TimeEntryFilter{ProjectID: in.ProjectID, TaskID: in.TaskID, UserID: in.UserID, Limit: in.Limit,
		Cursor: in.Cursor}
	f.From, f.To = in.days()
	if in.Billable != "" {
		b := in.Billable == "true"
		f.Billable = &b
	}
	es, next, err := s.db.TimeEntries(ctx, in.OrgID, viewerFrom(ctx), f)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := TimeEntryList{Data: make([]TimeEntry, len(es))}
	for i, e := range es {
		out.Data[i] = timeEntryFrom(e)
	}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body TimeEntryList }{Body: out}, nil
}

func (s *Server) createTimeEntry(ctx context.Context, in *struct {
	OrgPath
	Body TimeEntryCreate
}) (*timeEntryOutput, error) {
	b := in.Body
	m := domain.ManualEntryInput{ProjectID: b.ProjectID, TaskID: b.TaskID, StartedAt: b.StartedAt,
		Minutes: b.Minutes, Note: b.Note, Billable: b.Billable == nil || *b.Billable}
	if d, err := time.Parse(time.DateOnly, b.Date); err == nil {
		m.Date = &d
	}
	e, err := s.db.CreateTimeEntry(ctx, in.OrgID, viewerFrom(ctx), m)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &timeEntryOutput{Body: timeEntryFrom(e)}, nil
}

func (s *Server) updateTimeEntry(ctx context.Context, in *struct {
	TimeEntryPath
	Body TimeEntryUpdate
}) (*timeEntryOutput, error) {
	b := in.Body
	u := domain.TimeEntryUpdate{ProjectID: b.ProjectID, TaskID: b.TaskID, StartedAt: b.StartedAt,
		Minutes: b.Minutes, Note: b.Note, Billable: b.Billable}
	e, err := s.db.UpdateTimeEntry(ctx, in.OrgID, viewerFrom(ctx), in.EntryID, u)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &timeEntryOutput{Body: timeEntryFrom(e)}, nil
}

func (s *Server) deleteTimeEntry(ctx context.Context, in *TimeEntryPath) (*struct{}, error) {
	if err := s.db.DeleteTimeEntry(ctx, in.OrgID, viewerFrom(ctx), in.EntryID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}

// timeWrite gates a time-tracking write: the permission and the plan's time_tracking feature (every plan
// has it today, so this only names the feature in the OpenAPI document and keeps a future plan honest).
func timeWrite() map[string]any {
	return withExtensions(requires(domain.PermTimeWrite), needsFeature(domain.FeatureTimeTracking))
}
