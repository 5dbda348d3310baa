package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// columnRow is the task_board_columns table.
type columnRow struct {
	bun.BaseModel `bun:"table:task_board_columns"`

	ID             string    `bun:"id,pk"`
	OrganizationID string    `bun:"organization_id"`
	ProjectID      string    `bun:"project_id"`
	Name           string    `bun:"name"`
	Color          string    `bun:"color"`
	Position       string    `bun:"position"`
	IsDone         bool      `bun:"is_done"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
}

func (r *columnRow) domain() *domain.Column {
	return &domain.Column{ID: r.ID, ProjectID: r.ProjectID, Name: r.Name, Color: r.Color, Position: r.Position,
		IsDone: r.IsDone, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

const columnNotFound = "Column not found."

func columnSiblings(p projectTx) siblings {
	return siblings{table: "task_board_columns", where: "organization_id = ? AND project_id = ?",
		args: []any{p.orgID, p.projectID}, field: "body.move."}
}

// Columns lists a project's board columns in order. Errors: ENOTFOUND when v cannot see the project.
func (db *DB) Columns(ctx context.Context, orgID string, v domain.Viewer, projectID string) ([]*domain.Column, error) {
	var rows []columnRow
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		return p.NewSelect().Model(&rows).Where("organization_id = ? AND project_id = ?", p.orgID, p.projectID).
			OrderExpr("position").Scan(ctx)
	})
	if err != nil {
		return nil, err
	}
	out := make([]*domain.Column, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// CreateColumn validates c and appends it at the end of the project's board. Errors: ENOTFOUND, EINVALID.
func (db *DB) CreateColumn(ctx context.Context, orgID string, v domain.Viewer, projectID string, c *domain.Column) error {
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	return retryPositionConflict(func() error {
		return db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
			pos, err := positionFor(ctx, p.Tx, columnSiblings(p), "", domain.Move{})
			if err != nil {
				return err
			}
			now := time.Now().UTC().Truncate(time.Microsecond)
			row := columnRow{ID: newID(), OrganizationID: p.orgID, ProjectID: p.projectID, Name: c.Name, Color: c.Color,
				Position: pos, IsDone: c.IsDone, CreatedAt: now, UpdatedAt: now}
			if _, err := p.NewInsert().Model(&row).Exec(ctx); err != nil {
				return err
			}
			*c = *row.domain()
			return recordEvent(ctx, p.Tx, p.orgID, columnEvent(domain.EventColumnCreated, c, v.UserID))
		})
	})
}

// UpdateColumn changes a column's name, colour or done flag and, with u.Move, its place (one row update).
// Errors: ENOTFOUND, EINVALID.
func (db *DB) UpdateColumn(ctx context.Context, orgID string, v domain.Viewer, projectID, columnID string, u domain.ColumnUpdate) (*domain.Column, error) {
	if !validUUID(columnID) {
		return nil, domain.Errorf(domain.ENOTFOUND, columnNotFound)
	}
	var out *domain.Column
	err := retryPositionConflict(func() error {
		return db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
			var row columnRow
			if err := p.NewSelect().Model(&row).Where("organization_id = ? AND project_id = ? AND id = ?",
				p.orgID, p.projectID, columnID).For("UPDATE").Scan(ctx); err != nil {
				return mapError(err, columnNotFound)
			}
			c := row.domain()
			applyColumnUpdate(c, u)
			c.Normalize()
			if err := c.Validate(); err != nil {
				return err
			}
			if u.Move != nil {
				pos, err := positionFor(ctx, p.Tx, columnSiblings(p), columnID, *u.Move)
				if err != nil {
					return err
				}
				c.Position = pos
			}
			c.UpdatedAt = time.Now().UTC().Truncate(time.Microsecond)
			if _, err := p.NewRaw(`UPDATE task_board_columns SET name = ?, color = ?, is_done = ?, position = ?,
				updated_at = ? WHERE organization_id = ? AND id = ?`,
				c.Name, c.Color, c.IsDone, c.Position, c.UpdatedAt, p.orgID, columnID).Exec(ctx); err != nil {
				return err
			}
			out = c
			return recordEvent(ctx, p.Tx, p.orgID, columnEvent(domain.EventColumnUpdated, c, v.UserID))
		})
	})
	return out, err
}

// columnEvent is the domain event of a change to column c: open boards of its project refresh their columns.
func columnEvent(typ string, c *domain.Column, actorID string) domain.Event {
	return domain.Event{Type: typ, EntityType: "column", EntityID: c.ID, ActorID: actorID, ProjectID: c.ProjectID,
		Payload: map[string]any{"name": c.Name}}
}

func applyColumnUpdate(c *domain.Column, u domain.ColumnUpdate) {
	if u.Name != nil {
		c.Name = *u.Name
	}
	if u.Color != nil {
		c.Color = *u.Color
	}
	if u.IsDone != nil {
		c.IsDone = *u.IsDone
	}
}

// DeleteColumn removes a column. Its tasks, if any, move to moveTo (a column of the same project) keeping
// their order, after the tasks already there; all in one transaction. Errors: ENOTFOUND, EINVALID (tasks
// but no target, or a target outside the project).
func (db *DB) DeleteColumn(ctx context.Context, orgID string, v domain.Viewer, projectID, columnID, moveTo string) error {
	if !validUUID(columnID) {
		return domain.Errorf(domain.ENOTFOUND, columnNotFound)
	}
	return db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		var names []string
		if err := p.NewRaw("SELECT name FROM task_board_columns WHERE organization_id = ? AND project_id = ? AND id = ? FOR UPDATE",
			p.orgID, p.projectID, columnID).Scan(ctx, &names); err != nil {
			return err
		}
		if len(names) == 0 {
			return domain.Errorf(domain.ENOTFOUND, columnNotFound)
		}
		if err := moveColumnTasks(ctx, p, columnID, names[0], moveTo); err != nil {
			return err
		}
		if _, err := p.NewRaw("DELETE FROM task_board_columns WHERE organization_id = ? AND id = ?", p.orgID, columnID).Exec(ctx); err != nil {
			return err
		}
		return recordEvent(ctx, p.Tx, p.orgID,
			columnEvent(domain.EventColumnDeleted, &domain.Column{ID: columnID, ProjectID: p.projectID, Name: names[0]}, v.UserID))
	})
}

// moveColumnTasks appends every task of from (named fromName), in order, to the end of to, recording for each
// the task.updated (and task.completed, moving into a done column) a move by hand records.
func moveColumnTasks(ctx context.Context, p projectTx, from, fromName, to string) error {
	tx, orgID := p.Tx, p.orgID
	var tasks []struct {
		ID          string     `bun:"id"`
		CompletedAt *time.Time `bun:"completed_at"`
	}
	if err := tx.NewRaw("SELECT id, completed_at FROM tasks WHERE organization_id = ? AND column_id = ? ORDER BY position FOR UPDATE",
		orgID, from).Scan(ctx, &tasks); err != nil {
		return err
	}
	if len(tasks) == 0 {
		return nil
	}
	if to == "" {
		return domain.Invalid("body.move_tasks_to", "is required: the column has tasks")
	}
	if to == from || !validUUID(to) {
		return domain.Invalid("body.move_tasks_to", "must be another column of this project")
	}
	var target []columnRow
	if err := tx.NewSelect().Model(&target).Where("organization_id = ? AND project_id = ? AND id = ?",
		orgID, p.projectID, to).Scan(ctx); err != nil {
		return err
	}
	if len(target) == 0 {
		return domain.Invalid("body.move_tasks_to", "must be another column of this project")
	}
	last, err := neighbour(ctx, tx, taskSiblings(orgID, to), "", "max", "TRUE", nil)
	if err != nil {
		return err
	}
	done := target[0].IsDone
	for _, t := range tasks {
		if last, err = domain.PositionBetween(last, ""); err != nil {
			return err
		}
		var row taskRow
		if err := tx.NewRaw(`UPDATE tasks SET column_id = ?, position = ?, updated_at = now(),
			completed_at = CASE WHEN ? THEN coalesce(completed_at, now()) ELSE NULL END
			WHERE organization_id = ? AND id = ?
			RETURNING id, organization_id, project_id, column_id, number, title, priority, due_date, completed_at, assignee_ids`,
			to, last, done, orgID, t.ID).Scan(ctx, &row); err != nil {
			return err
		}
		completed := done && t.CompletedAt == nil
		ch := &taskChange{old: map[string]any{"column": fromName, "column_id": from},
			new: map[string]any{"column": target[0].Name, "column_id": to}}
		task := row.domain()
		if err := recordEvent(ctx, tx, orgID, taskUpdatedEvent(task, ch, completed, p.viewer.UserID)); err != nil {
			return err
		}
		if completed {
			if err := recordEvent(ctx, tx, orgID, taskEvent(domain.EventTaskCompleted, task, p.viewer.UserID)); err != nil {
				return err
			}
		}
	}
	return nil
}
