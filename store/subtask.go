package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// subtaskRow is the subtasks table.
type subtaskRow struct {
	bun.BaseModel `bun:"table:subtasks"`

	ID             string    `bun:"id,pk"`
	OrganizationID string    `bun:"organization_id"`
	TaskID         string    `bun:"task_id"`
	Title          string    `bun:"title"`
	Done           bool      `bun:"done"`
	Position       string    `bun:"position"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
}

func (r *subtaskRow) domain() *domain.Subtask {
	return &domain.Subtask{ID: r.ID, TaskID: r.TaskID, Title: r.Title, Done: r.Done, Position: r.Position,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

const subtaskNotFound = "Subtask not found."

func subtaskSiblings(orgID, taskID string) siblings {
	return siblings{table: "subtasks", where: "organization_id = ? AND task_id = ?", args: []any{orgID, taskID}, field: "body.move."}
}

// CreateSubtask appends s to the task's checklist and notes it in the task's audit log.
// Errors: ENOTFOUND, EINVALID.
func (db *DB) CreateSubtask(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID string, s *domain.Subtask) error {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTask(ctx, orgID, v, projectID, taskID, func(ctx context.Context, p projectTx, t *taskRow) error {
		pos, err := positionFor(ctx, p.Tx, subtaskSiblings(orgID, taskID), "", domain.Move{})
		if err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		row := subtaskRow{ID: newID(), OrganizationID: orgID, TaskID: taskID, Title: s.Title, Done: s.Done,
			Position: pos, CreatedAt: now, UpdatedAt: now}
		if _, err := p.NewInsert().Model(&row).Exec(ctx); err != nil {
			return err
		}
		*s = *row.domain()
		if err := writeAudit(ctx, p, taskID, domain.TaskAuditSubtaskAdded, map[string]any{},
			map[string]any{"subtask": s.Title}); err != nil {
			return err
		}
		return recordEvent(ctx, p.Tx, orgID, subtasksChangedEvent(t.domain(), v.UserID))
	})
}

// UpdateSubtask renames, ticks or reorders a subtask and notes the change in the task's audit log.
// Errors: ENOTFOUND, EINVALID.
func (db *DB) UpdateSubtask(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID, subtaskID string, u domain.SubtaskUpdate) (*domain.Subtask, error) {
	if !validUUID(subtaskID) {
		return nil, domain.Errorf(domain.ENOTFOUND, subtaskNotFound)
	}
	var out *domain.Subtask
	err := db.inTask(ctx, orgID, v, projectID, taskID, func(ctx context.Context, p projectTx, t *taskRow) error {
		var row subtaskRow
		if err := p.NewSelect().Model(&row).Where("organization_id = ? AND task_id = ? AND id = ?",
			orgID, taskID, subtaskID).Scan(ctx); err != nil {
			return mapError(err, subtaskNotFound)
		}
		s := row.domain()
		old, new := map[string]any{"subtask": s.Title}, map[string]any{"subtask": s.Title}
		if u.Title != nil {
			s.Title = *u.Title
			s.Normalize()
			new["subtask"] = s.Title
		}
		if u.Done != nil && *u.Done != s.Done {
			old["done"], new["done"] = s.Done, *u.Done
			s.Done = *u.Done
		}
		if err := s.Validate(); err != nil {
			return err
		}
		if u.Move != nil {
			pos, err := positionFor(ctx, p.Tx, subtaskSiblings(orgID, taskID), subtaskID, *u.Move)
			if err != nil {
				return err
			}
			s.Position = pos
		}
		s.UpdatedAt = time.Now().UTC().Truncate(time.Microsecond)
		if _, err := p.NewRaw("UPDATE subtasks SET title = ?, done = ?, position = ?, updated_at = ? WHERE organization_id = ? AND id = ?",
			s.Title, s.Done, s.Position, s.UpdatedAt, orgID, subtaskID).Exec(ctx); err != nil {
			return err
		}
		out = s
		if err := writeAudit(ctx, p, taskID, domain.TaskAuditSubtaskUpdated, old, new); err != nil {
			return err
		}
		return recordEvent(ctx, p.Tx, orgID, subtasksChangedEvent(t.domain(), v.UserID))
	})
	return out, err
}

// DeleteSubtask removes a subtask and notes it in the task's audit log. Errors: ENOTFOUND.
func (db *DB) DeleteSubtask(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID, subtaskID string) error {
	if !validUUID(subtaskID) {
		return domain.Errorf(domain.ENOTFOUND, subtaskNotFound)
	}
	return db.inTask(ctx, orgID, v, projectID, taskID, func(ctx context.Context, p projectTx, t *taskRow) error {
		var titles []string
		if err := p.NewRaw("DELETE FROM subtasks WHERE organization_id = ? AND task_id = ? AND id = ? RETURNING title",
			orgID, taskID, subtaskID).Scan(ctx, &titles); err != nil {
			return err
		}
		if len(titles) == 0 {
			return domain.Errorf(domain.ENOTFOUND, subtaskNotFound)
		}
		if err := writeAudit(ctx, p, taskID, domain.TaskAuditSubtaskDeleted,
			map[string]any{"subtask": titles[0]}, map[string]any{}); err != nil {
			return err
		}
		return recordEvent(ctx, p.Tx, orgID, subtasksChangedEvent(t.domain(), v.UserID))
	})
}
