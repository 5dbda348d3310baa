package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

type auditRow struct {
	ID        string    `bun:"id"`
	ActorID   *string   `bun:"actor_id"`
	ActorName *string   `bun:"actor_name"`
	Action    string    `bun:"action"`
	OldValues string    `bun:"old_values"`
	NewValues string    `bun:"new_values"`
	CreatedAt time.Time `bun:"created_at"`
}

func (r *auditRow) domain() *domain.TaskAuditEntry {
	e := &domain.TaskAuditEntry{ID: r.ID, Action: r.Action, CreatedAt: r.CreatedAt}
	if r.ActorID != nil {
		e.ActorID = *r.ActorID
	}
	if r.ActorName != nil {
		e.ActorName = *r.ActorName
	}
	_ = json.Unmarshal([]byte(r.OldValues), &e.OldValues)
	_ = json.Unmarshal([]byte(r.NewValues), &e.NewValues)
	return e
}

// Task returns one task of projectID with its assignees, subtasks and audit log (newest last).
// Errors: ENOTFOUND (also when v cannot see the project).
func (db *DB) Task(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID string) (*domain.TaskDetail, error) {
	if !validUUID(taskID) {
		return nil, domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	var out domain.TaskDetail
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		if err := checkProjectVisible(ctx, tx, orgID, v, projectID); err != nil {
			return err
		}
		var row taskRow
		if err := tx.NewSelect().Model(&row).Where("organization_id = ? AND project_id = ? AND id = ?",
			orgID, projectID, taskID).Scan(ctx); err != nil {
			return mapError(err, taskNotFound)
		}
		out.Task = *row.domain()
		var err error
		if out.AssigneeIDs, err = taskAssigneeIDs(ctx, tx, orgID, taskID); err != nil {
			return err
		}
		if out.Subtasks, err = taskSubtasks(ctx, tx, orgID, taskID); err != nil {
			return err
		}
		out.AuditLog, err = taskAudit(ctx, tx, orgID, taskID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func taskAudit(ctx context.Context, tx bun.Tx, orgID, taskID string) ([]*domain.TaskAuditEntry, error) {
	var rows []auditRow
	if err := tx.NewRaw(`SELECT l.id, l.actor_id, u.name AS actor_name, l.action, l.old_values, l.new_values, l.created_at
		FROM task_audit_logs l LEFT JOIN users u ON u.id = l.actor_id
		WHERE l.organization_id = ? AND l.task_id = ? ORDER BY l.created_at, l.id LIMIT 500`, orgID, taskID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]*domain.TaskAuditEntry, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}
