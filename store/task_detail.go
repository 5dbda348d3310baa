package store

import (
	"context"
	"encoding/json"

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

const taskAuditRead = `SELECT l.id, coalesce(l.actor_id::text, ''), coalesce(u.name, ''), l.action, l.old_values,
	l.new_values, l.created_at
	FROM task_audit_logs l LEFT JOIN users u ON u.id = l.actor_id
	WHERE l.organization_id = $1 AND l.task_id = $2 ORDER BY l.created_at, l.id LIMIT 500`

// Task returns one task of projectID with its assignees, subtasks, audit log (newest last) and requester,
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
	audit := read{sql: taskAuditRead, args: []any{orgID, taskID}, scan: func(r pgx.Rows) error {
		for r.Next() {
			e := &domain.TaskAuditEntry{}
			var oldValues, newValues []byte
			if err := r.Scan(&e.ID, &e.ActorID, &e.ActorName, &e.Action, &oldValues, &newValues, &e.CreatedAt); err != nil {
				return err
			}
			_ = json.Unmarshal(oldValues, &e.OldValues)
			_ = json.Unmarshal(newValues, &e.NewValues)
			out.AuditLog = append(out.AuditLog, e)
		}
		return nil
	}}
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
