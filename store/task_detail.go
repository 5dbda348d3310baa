package store

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clientflow/clientflow/domain"
)

// taskDetailRead is a task of a project the viewer can see ($1 org, $2 project, $3 task, $4 sees every
// project, $5 viewer).
const taskDetailRead = `SELECT t.id, t.organization_id, t.project_id, t.column_id, t.number, t.title,
	t.description_json, t.description_html, t.position, t.priority, t.due_date, t.estimate_minutes, t.completed_at,
	coalesce(t.created_by::text, ''), t.created_at, t.updated_at, t.assignee_ids,
	coalesce(t.requester_id::text, ''), coalesce(r.name, '')
	FROM tasks t LEFT JOIN users r ON r.id = t.requester_id WHERE t.organization_id = $1 AND t.project_id = $2 AND t.id = $3
	AND EXISTS (SELECT 1 FROM projects p WHERE p.organization_id = $1 AND p.id = $2 AND ($4 OR EXISTS (
		SELECT 1 FROM project_members pm WHERE pm.organization_id = $1 AND pm.project_id = $2 AND pm.user_id = $5)))`

const taskSubtasksRead = `SELECT id, task_id, title, done, position, created_at, updated_at FROM subtasks
	WHERE organization_id = $1 AND task_id = $2 ORDER BY position, id`

// taskAuditRead is a task's changes from the newest back ($3: how many), older than ($4, $5) when given.
const taskAuditRead = `SELECT l.id, coalesce(l.actor_id::text, ''), coalesce(u.name, ''), l.action, l.old_values,
	l.new_values, l.created_at
	FROM task_audit_logs l LEFT JOIN users u ON u.id = l.actor_id
	WHERE l.organization_id = $1 AND l.task_id = $2 AND ($4::timestamptz IS NULL OR (l.created_at, l.id) < ($4, $5::uuid))
	ORDER BY l.created_at DESC, l.id DESC LIMIT $3`

// taskVisible is one row when the task is in a project the viewer can see (arguments as taskDetailRead's).
const taskVisible = `SELECT 1 FROM tasks t WHERE t.organization_id = $1 AND t.project_id = $2 AND t.id = $3
	AND EXISTS (SELECT 1 FROM projects p WHERE p.organization_id = $1 AND p.id = $2 AND ($4 OR EXISTS (
		SELECT 1 FROM project_members pm WHERE pm.organization_id = $1 AND pm.project_id = $2 AND pm.user_id = $5)))`

// auditPage reads up to limit changes of a task older than the cursor (all when zero), newest first, into
// *out in chronological order; *before becomes the cursor of the still earlier ones, "" when none are left.
func auditPage(orgID, taskID string, limit int, at *time.Time, id string, out *[]*domain.TaskAuditEntry, before *string) read {
	var cursorID any
	if at != nil {
		cursorID = id
	}
	return read{sql: taskAuditRead, args: []any{orgID, taskID, limit + 1, at, cursorID}, scan: func(r pgx.Rows) error {
		var page []*domain.TaskAuditEntry
		for r.Next() {
			e := &domain.TaskAuditEntry{}
			var oldValues, newValues []byte
			if err := r.Scan(&e.ID, &e.ActorID, &e.ActorName, &e.Action, &oldValues, &newValues, &e.CreatedAt); err != nil {
				return err
			}
			_ = json.Unmarshal(oldValues, &e.OldValues)
			_ = json.Unmarshal(newValues, &e.NewValues)
			page = append(page, e)
		}
		if len(page) > limit {
			page = page[:limit]
			oldest := page[limit-1]
			*before = encodeTimeCursor(oldest.CreatedAt, oldest.ID)
		}
		slices.Reverse(page)
		*out = append(*out, page...)
		return nil
	}}
}

// Task returns one task of projectID with its assignees, subtasks, latest changes (newest last) and requester,
// in one round trip. Errors: ENOTFOUND (also when v cannot see the project).
func (db *DB) Task(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID string) (*domain.TaskDetail, error) {
	if !validUUID(taskID) || !validUUID(projectID) {
		return nil, domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	out := domain.TaskDetail{Subtasks: []*domain.Subtask{}, AuditLog: []*domain.TaskAuditEntry{}}
	found := false
	task := read{sql: taskDetailRead, args: []any{orgID, projectID, taskID, v.SeesAllProjects(), nullable(v.UserID)},
		scan: func(r pgx.Rows) error {
			for r.Next() {
				t := &out.Task
				var desc []byte
				var requester domain.TaskRequester
				if err := r.Scan(&t.ID, &t.OrganizationID, &t.ProjectID, &t.ColumnID, &t.Number, &t.Title, &desc,
					&t.DescriptionHTML, &t.Position, &t.Priority, &t.DueDate, &t.EstimateMinutes, &t.CompletedAt,
					&t.CreatedBy, &t.CreatedAt, &t.UpdatedAt, &t.AssigneeIDs, &requester.ID, &requester.Name); err != nil {
					return err
				}
				if requester.ID != "" {
					out.Requester = &requester
				}
				t.DescriptionJSON, found = json.RawMessage(desc), true
			}
			return nil
		}}
	subtasks := read{sql: taskSubtasksRead, args: []any{orgID, taskID}, scan: func(r pgx.Rows) error {
		for r.Next() {
			s := &domain.Subtask{}
			if err := r.Scan(&s.ID, &s.TaskID, &s.Title, &s.Done, &s.Position, &s.CreatedAt, &s.UpdatedAt); err != nil {
				return err
			}
			out.Subtasks = append(out.Subtasks, s)
		}
		return nil
	}}
	audit := auditPage(orgID, taskID, domain.TaskDetailAuditEntries, nil, "", &out.AuditLog, &out.AuditLogBefore)
	if err := db.tenantRead(ctx, orgID, v.UserID, task, subtasks, audit); err != nil {
		return nil, err
	}
	if !found {
		return nil, domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	if out.AssigneeIDs == nil {
		out.AssigneeIDs = []string{}
	}
	return &out, nil
}

// TaskHistory returns a task's changes older than the cursor before (from TaskDetail.AuditLogBefore or an
// earlier page), up to limit, oldest first, with the cursor of the still earlier ones ("" when none are
// left). One round trip. Errors: ENOTFOUND (also when v cannot see the project), EINVALID for a bad cursor.
func (db *DB) TaskHistory(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID, before string,
	limit int) ([]*domain.TaskAuditEntry, string, error) {
	if !validUUID(taskID) || !validUUID(projectID) {
		return nil, "", domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	at, id, err := decodeTimeCursor(before)
	if err != nil {
		return nil, "", err
	}
	var cursor *time.Time
	if before != "" {
		cursor = &at
	}
	found := false
	visible := read{sql: taskVisible, args: []any{orgID, projectID, taskID, v.SeesAllProjects(), nullable(v.UserID)},
		scan: func(r pgx.Rows) error {
			for r.Next() {
				found = true
			}
			return nil
		}}
	entries, next := []*domain.TaskAuditEntry{}, ""
	if err := db.tenantRead(ctx, orgID, v.UserID, visible, auditPage(orgID, taskID, limit, cursor, id, &entries, &next)); err != nil {
		return nil, "", err
	}
	if !found {
		return nil, "", domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	return entries, next, nil
}
