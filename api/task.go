package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Task is a task with its description and assignees.
type Task struct {
	ID              string          `json:"id" format:"uuid"`
	ProjectID       string          `json:"project_id" format:"uuid"`
	ColumnID        string          `json:"column_id" format:"uuid"`
	Number          int             `json:"number" doc:"Per-project number, shown as #12."`
	Title           string          `json:"title"`
	Description     TaskDescription `json:"description"`
	Position        string          `json:"position" doc:"Sort key within the column (byte order)."`
	Priority        string          `json:"priority" enum:"low,medium,high,urgent"`
	DueDate         *string         `json:"due_date" doc:"YYYY-MM-DD or null."`
	EstimateMinutes *int            `json:"estimate_minutes"`
	CompletedAt     *time.Time      `json:"completed_at"`
	AssigneeIDs     []string        `json:"assignee_ids"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
}

func taskFrom(t *domain.Task) Task {
	out := Task{ID: t.ID, ProjectID: t.ProjectID, ColumnID: t.ColumnID, Number: t.Number, Title: t.Title,
		Description: TaskDescription{JSON: map[string]any{}, HTML: t.DescriptionHTML}, Position: t.Position,
		Priority: t.Priority, DueDate: dateString(t.DueDate), EstimateMinutes: t.EstimateMinutes,
		CompletedAt: t.CompletedAt, AssigneeIDs: t.AssigneeIDs, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
	_ = json.Unmarshal(t.DescriptionJSON, &out.Description.JSON)
	if out.AssigneeIDs == nil {
		out.AssigneeIDs = []string{}
	}
	return out
}

func dateString(d *time.Time) *string {
	if d == nil {
		return nil
	}
	s := d.Format(time.DateOnly)
	return &s
}

// TaskCreate creates a task at the end of its column (the first column when column_id is omitted).
type TaskCreate struct {
	Title           string           `json:"title" minLength:"1" maxLength:"300"`
	Description     *TaskDescription `json:"description,omitempty"`
	ColumnID        string           `json:"column_id,omitempty" maxLength:"36"`
	Priority        string           `json:"priority,omitempty" enum:"low,medium,high,urgent" doc:"medium when omitted."`
	DueDate         string           `json:"due_date,omitempty" maxLength:"10" doc:"YYYY-MM-DD."`
	EstimateMinutes *int             `json:"estimate_minutes,omitempty" minimum:"0" maximum:"1000000"`
	AssigneeIDs     []string         `json:"assignee_ids,omitempty" maxItems:"50" doc:"Members who can see the project."`
}

// TaskUpdate changes the fields it carries. An empty due_date clears it; clear_estimate removes the estimate.
// A new column_id moves the task to the end of that column.
type TaskUpdate struct {
	Title           *string          `json:"title,omitempty" minLength:"1" maxLength:"300"`
	Description     *TaskDescription `json:"description,omitempty"`
	ColumnID        *string          `json:"column_id,omitempty" maxLength:"36"`
	Priority        *string          `json:"priority,omitempty" enum:"low,medium,high,urgent"`
	DueDate         *string          `json:"due_date,omitempty" maxLength:"10" doc:"YYYY-MM-DD; empty clears it."`
	EstimateMinutes *int             `json:"estimate_minutes,omitempty" minimum:"0" maximum:"1000000"`
	ClearEstimate   bool             `json:"clear_estimate,omitempty"`
	AssigneeIDs     *[]string        `json:"assignee_ids,omitempty" maxItems:"50"`
}

// TaskMove places a task in a column (its own when omitted) next to a neighbour.
type TaskMove struct {
	ColumnID string `json:"column_id,omitempty" maxLength:"36"`
	AfterID  string `json:"after_id,omitempty" maxLength:"36" doc:"Place right after this task of the column."`
	BeforeID string `json:"before_id,omitempty" maxLength:"36" doc:"Place right before this task (when after_id is omitted)."`
}

// Subtask is one checklist item of a task.
type Subtask struct {
	ID        string    `json:"id" format:"uuid"`
	Title     string    `json:"title"`
	Done      bool      `json:"done"`
	Position  string    `json:"position"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func subtaskFrom(s *domain.Subtask) Subtask {
	return Subtask{ID: s.ID, Title: s.Title, Done: s.Done, Position: s.Position, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
}

// TaskAuditEntry is one recorded change: which fields changed, from what, to what, and by whom.
type TaskAuditEntry struct {
	ID        string         `json:"id" format:"uuid"`
	ActorID   *string        `json:"actor_id"`
	ActorName string         `json:"actor_name"`
	Action    string         `json:"action" doc:"task.created, task.updated, task.moved, task.completed, subtask.created, subtask.updated or subtask.deleted."`
	OldValues map[string]any `json:"old_values"`
	NewValues map[string]any `json:"new_values"`
	CreatedAt time.Time      `json:"created_at"`
}

// TaskDetail is a task with its subtasks and latest changes (oldest first).
type TaskDetail struct {
	Task
	Subtasks []Subtask        `json:"subtasks"`
	AuditLog []TaskAuditEntry `json:"audit_log" doc:"The latest 20 changes, oldest first."`
	// Earlier changes are paged: a long-lived task's history would otherwise ride along with every open.
	AuditLogBefore *string        `json:"audit_log_before" nullable:"true" doc:"Pass as cursor to GET …/history for the earlier changes; null when audit_log holds them all."`
	Requester      *TaskRequester `json:"requester,omitempty" doc:"The client contact who asked for the task from the portal; absent for a staff task."`
}

// TaskRequester is the client contact whose portal request a task is.
type TaskRequester struct {
	ID   string `json:"id" format:"uuid"`
	Name string `json:"name"`
}

func taskDetailFrom(d *domain.TaskDetail) TaskDetail {
	out := TaskDetail{Task: taskFrom(&d.Task), Subtasks: make([]Subtask, len(d.Subtasks)),
		AuditLog: make([]TaskAuditEntry, len(d.AuditLog))}
	for i, s := range d.Subtasks {
		out.Subtasks[i] = subtaskFrom(s)
	}
	if d.Requester != nil {
		out.Requester = &TaskRequester{ID: d.Requester.ID, Name: d.Requester.Name}
	}
	for i, e := range d.AuditLog {
		out.AuditLog[i] = taskAuditEntryFrom(e)
	}
	if d.AuditLogBefore != "" {
		out.AuditLogBefore = &d.AuditLogBefore
	}
	return out
}

func taskAuditEntryFrom(e *domain.TaskAuditEntry) TaskAuditEntry {
	out := TaskAuditEntry{ID: e.ID, ActorName: e.ActorName, Action: e.Action, OldValues: e.OldValues,
		NewValues: e.NewValues, CreatedAt: e.CreatedAt}
	if e.ActorID != "" {
		out.ActorID = &e.ActorID
	}
	return out
}

// TaskHistoryPage is a page of a task's earlier changes, oldest first.
type TaskHistoryPage struct {
	Data       []TaskAuditEntry `json:"data"`
	NextCursor *string          `json:"next_cursor" nullable:"true" doc:"Pass as cursor for the still earlier changes; null when none are left."`
}

func (s *Server) taskHistory(ctx context.Context, in *struct {
	TaskPath
	Cursor string `query:"cursor" maxLength:"200" doc:"audit_log_before of the task, or next_cursor of the previous page."`
	Limit  int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
}) (*struct{ Body TaskHistoryPage }, error) {
	entries, next, err := s.db.TaskHistory(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID, in.Cursor, in.Limit)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := TaskHistoryPage{Data: make([]TaskAuditEntry, len(entries))}
	for i, e := range entries {
		out.Data[i] = taskAuditEntryFrom(e)
	}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body TaskHistoryPage }{Body: out}, nil
}

// TaskPath addresses one task of a project.
type TaskPath struct {
	ProjectPath
	TaskID string `path:"task_id" format:"uuid" doc:"Task ID."`
}

func (s *Server) registerTasks() {
	tags := []string{"Tasks"}
	base := "/api/v1/orgs/{org_id}/projects/{project_id}/tasks"
	one := base + "/{task_id}"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	write := append(errs, http.StatusUnprocessableEntity)
	reg := func(op huma.Operation, perm domain.Permission) huma.Operation {
		op.Tags, op.Security, op.Extensions = tags, security, requires(perm)
		if op.Errors == nil {
			op.Errors = write
		}
		return op
	}
	huma.Register(s.api, reg(huma.Operation{OperationID: "list-tasks", Method: http.MethodGet, Path: base,
		Summary: "List a project's tasks, filtered and sorted"}, domain.PermTasksRead), s.listTasks)
	huma.Register(s.api, reg(huma.Operation{OperationID: "create-task", Method: http.MethodPost, Path: base,
		Summary: "Create a task", DefaultStatus: http.StatusCreated}, domain.PermTasksWrite), s.createTask)
	huma.Register(s.api, reg(huma.Operation{OperationID: "get-task", Method: http.MethodGet, Path: one,
		Summary: "Get a task with its subtasks and latest changes", Errors: errs}, domain.PermTasksRead), s.getTask)
	huma.Register(s.api, reg(huma.Operation{OperationID: "list-task-history", Method: http.MethodGet, Path: one + "/history",
		Summary: "List a task's earlier changes, a page at a time", Errors: errs}, domain.PermTasksRead), s.taskHistory)
	huma.Register(s.api, reg(huma.Operation{OperationID: "update-task", Method: http.MethodPatch, Path: one,
		Summary: "Update a task (every change is audited)"}, domain.PermTasksWrite), s.updateTask)
	huma.Register(s.api, reg(huma.Operation{OperationID: "move-task", Method: http.MethodPost, Path: one + "/move",
		Summary: "Move a task within or between columns"}, domain.PermTasksWrite), s.moveTask)
	huma.Register(s.api, reg(huma.Operation{OperationID: "delete-task", Method: http.MethodDelete, Path: one,
		Summary: "Delete a task", DefaultStatus: http.StatusNoContent, Errors: errs}, domain.PermTasksDelete), s.deleteTask)
}

func (s *Server) createTask(ctx context.Context, in *struct {
	ProjectPath
	Body TaskCreate
}) (*struct{ Body Task }, error) {
	b := in.Body
	t := &domain.Task{Title: b.Title, ColumnID: b.ColumnID, Priority: b.Priority, EstimateMinutes: b.EstimateMinutes,
		AssigneeIDs: b.AssigneeIDs}
	var err error
	if t.DueDate, err = domain.ParseDate("body.due_date", b.DueDate); err != nil {
		return nil, problem(ctx, err)
	}
	if b.Description != nil {
		if t.DescriptionJSON, t.DescriptionHTML, err = b.Description.sanitised(); err != nil {
			return nil, problem(ctx, err)
		}
	}
	if err := s.db.CreateTask(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, t); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body Task }{Body: taskFrom(t)}, nil
}

func (s *Server) getTask(ctx context.Context, in *TaskPath) (*struct{ Body TaskDetail }, error) {
	d, err := s.db.Task(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body TaskDetail }{Body: taskDetailFrom(d)}, nil
}

func (s *Server) updateTask(ctx context.Context, in *struct {
	TaskPath
	Body TaskUpdate
}) (*struct{ Body Task }, error) {
	u, err := in.Body.domain()
	if err != nil {
		return nil, problem(ctx, err)
	}
	t, err := s.db.UpdateTask(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID, u)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body Task }{Body: taskFrom(t)}, nil
}

func (b TaskUpdate) domain() (domain.TaskUpdate, error) {
	u := domain.TaskUpdate{Title: b.Title, ColumnID: b.ColumnID, Priority: b.Priority,
		EstimateMinutes: b.EstimateMinutes, ClearEstimate: b.ClearEstimate, AssigneeIDs: b.AssigneeIDs}
	if b.DueDate != nil {
		d, err := domain.ParseDate("body.due_date", *b.DueDate)
		if err != nil {
			return u, err
		}
		u.DueDate, u.ClearDueDate = d, d == nil
	}
	if b.Description != nil {
		raw, html, err := b.Description.sanitised()
		if err != nil {
			return u, err
		}
		u.DescriptionJSON, u.DescriptionHTML = raw, &html
	}
	return u, nil
}

func (s *Server) moveTask(ctx context.Context, in *struct {
	TaskPath
	Body TaskMove
}) (*struct{ Body Task }, error) {
	b := in.Body
	t, err := s.db.MoveTask(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID,
		domain.TaskMove{ColumnID: b.ColumnID, Move: domain.Move{AfterID: b.AfterID, BeforeID: b.BeforeID}})
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body Task }{Body: taskFrom(t)}, nil
}

func (s *Server) deleteTask(ctx context.Context, in *TaskPath) (*struct{}, error) {
	if err := s.db.DeleteTask(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID); err != nil {
		return nil, problem(ctx, err)
	}
	s.purgeFilesIfQueued(ctx, in.OrgID)
	return nil, nil
}
