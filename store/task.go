package store

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
)

// taskRow is the tasks table.
type taskRow struct {
	bun.BaseModel `bun:"table:tasks"`

	ID              string     `bun:"id,pk"`
	OrganizationID  string     `bun:"organization_id"`
	ProjectID       string     `bun:"project_id"`
	ColumnID        string     `bun:"column_id"`
	Number          int        `bun:"number"`
	Title           string     `bun:"title"`
	DescriptionJSON string     `bun:"description_json"`
	DescriptionHTML string     `bun:"description_html"`
	Position        string     `bun:"position"`
	Priority        string     `bun:"priority"`
	DueDate         *time.Time `bun:"due_date"`
	EstimateMinutes *int       `bun:"estimate_minutes"`
	CompletedAt     *time.Time `bun:"completed_at"`
	CreatedBy       *string    `bun:"created_by"`
	CreatedAt       time.Time  `bun:"created_at"`
	UpdatedAt       time.Time  `bun:"updated_at"`
	// AssigneeIDs is kept by a trigger on task_assignees (sorted); writes go through setAssignees.
	AssigneeIDs []string `bun:"assignee_ids,array"`
}

func (r *taskRow) domain() *domain.Task {
	t := &domain.Task{ID: r.ID, OrganizationID: r.OrganizationID, ProjectID: r.ProjectID, ColumnID: r.ColumnID,
		Number: r.Number, Title: r.Title, DescriptionJSON: json.RawMessage(r.DescriptionJSON),
		DescriptionHTML: r.DescriptionHTML, Position: r.Position, Priority: r.Priority, DueDate: r.DueDate,
		EstimateMinutes: r.EstimateMinutes, CompletedAt: r.CompletedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		AssigneeIDs: r.AssigneeIDs}
	if t.AssigneeIDs == nil {
		t.AssigneeIDs = []string{}
	}
	if r.CreatedBy != nil {
		t.CreatedBy = *r.CreatedBy
	}
	return t
}

const taskNotFound = "Task not found."

func taskSiblings(orgID, columnID string) siblings {
	return siblings{table: "tasks", where: "organization_id = ? AND column_id = ?", args: []any{orgID, columnID}, field: "body."}
}

// CreateTask validates t and adds it at the end of its column (the project's first column when t.ColumnID
// is empty) with the project's next number, on behalf of v. Errors: ENOTFOUND (project), EINVALID
// (fields, a column of another project, an assignee who may not see the project).
func (db *DB) CreateTask(ctx context.Context, orgID string, v domain.Viewer, projectID string, t *domain.Task) error {
	t.Normalize()
	if err := t.Validate(); err != nil {
		return err
	}
	return retryPositionConflict(func() error {
		return db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
			col, err := taskColumn(ctx, p, t.ColumnID)
			if err != nil {
				return err
			}
			if t.AssigneeIDs, err = checkAssignees(ctx, p, t.AssigneeIDs); err != nil {
				return err
			}
			return insertTask(ctx, p, col, t)
		})
	})
}

// insertTask adds t to col, a column of p's project, on behalf of p's viewer.
func insertTask(ctx context.Context, p projectTx, col *columnRow, t *domain.Task) error {
	tx, orgID, actorID, projectID := p.Tx, p.orgID, p.viewer.UserID, p.projectID
	// The counter row lock hands out numbers one at a time; the upsert also covers a project whose
	// counter row is missing.
	if err := tx.NewRaw(`INSERT INTO project_task_counters (organization_id, project_id, last_number) VALUES (?, ?, 1)
		ON CONFLICT (organization_id, project_id)
		DO UPDATE SET last_number = project_task_counters.last_number + 1 RETURNING last_number`,
		orgID, projectID).Scan(ctx, &t.Number); err != nil {
		return err
	}
	pos, err := positionFor(ctx, tx, taskSiblings(orgID, col.ID), "", domain.Move{})
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	t.ID, t.OrganizationID, t.ProjectID, t.ColumnID, t.Position = newID(), orgID, projectID, col.ID, pos
	t.CreatedAt, t.UpdatedAt, t.CreatedBy = now, now, actorID
	if col.IsDone {
		t.CompletedAt = &now
	}
	row := taskRowFrom(t)
	if _, err := tx.NewInsert().Model(&row).ExcludeColumn("assignee_ids").Exec(ctx); err != nil {
		return err
	}
	if err := setAssignees(ctx, p, t.ID, nil, t.AssigneeIDs); err != nil {
		return err
	}
	created := map[string]any{"title": t.Title, "column": col.Name, "priority": t.Priority}
	if err := writeAudit(ctx, p, t.ID, domain.TaskAuditCreated, map[string]any{}, created); err != nil {
		return err
	}
	pl := taskPayload(t)
	pl.AssigneesAdded, pl.ColumnTo = t.AssigneeIDs, col.Name
	if err := recordEvent(ctx, tx, orgID, taskEventWith(domain.EventTaskCreated, t, actorID, pl)); err != nil {
		return err
	}
	// A task created straight into a done column is born completed: receivers of task.completed hear of it
	// as they would of a move there.
	if t.CompletedAt != nil {
		if err := recordEvent(ctx, tx, orgID, taskEvent(domain.EventTaskCompleted, t, actorID)); err != nil {
			return err
		}
	}
	if err := recordDescriptionMentions(ctx, p, t, nil); err != nil {
		return err
	}
	return bumpUsage(ctx, tx, orgID, domain.UsageTasks, 1)
}

func taskRowFrom(t *domain.Task) taskRow {
	row := taskRow{ID: t.ID, OrganizationID: t.OrganizationID, ProjectID: t.ProjectID, ColumnID: t.ColumnID,
		Number: t.Number, Title: t.Title, DescriptionJSON: string(t.DescriptionJSON), DescriptionHTML: t.DescriptionHTML,
		Position: t.Position, Priority: t.Priority, DueDate: t.DueDate, EstimateMinutes: t.EstimateMinutes,
		CompletedAt: t.CompletedAt, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
	if t.CreatedBy != "" {
		row.CreatedBy = &t.CreatedBy
	}
	return row
}

// taskEvent is typ with the task's documented payload (domain.TaskEventPayload) as t stands.
func taskEvent(typ string, t *domain.Task, actorID string) domain.Event {
	return taskEventWith(typ, t, actorID, taskPayload(t))
}

// taskPayload is the part of domain.TaskEventPayload every task event carries; events about a change add
// their fields to it.
func taskPayload(t *domain.Task) domain.TaskEventPayload {
	assignees := t.AssigneeIDs
	if assignees == nil {
		assignees = []string{}
	}
	return domain.TaskEventPayload{TaskID: t.ID, ProjectID: t.ProjectID, Number: t.Number, Title: t.Title,
		ColumnID: t.ColumnID, Priority: t.Priority, DueDate: domain.DateString(t.DueDate), AssigneeIDs: assignees,
		CompletedAt: t.CompletedAt}
}

func taskEventWith(typ string, t *domain.Task, actorID string, pl domain.TaskEventPayload) domain.Event {
	return domain.Event{Type: typ, EntityType: "task", EntityID: t.ID, ActorID: actorID, ProjectID: t.ProjectID,
		Payload: domain.EventPayloadMap(pl)}
}

// subtasksChangedEvent is the task.updated a subtask's addition, change or removal records.
func subtasksChangedEvent(t *domain.Task, actorID string) domain.Event {
	pl := taskPayload(t)
	pl.Changed = []string{"subtasks"}
	return taskEventWith(domain.EventTaskUpdated, t, actorID, pl)
}

// taskColumn loads the column a task goes into: id in p's project, or the first column when id is empty.
// Its KEY SHARE lock only keeps the column from being deleted meanwhile; writers placing cards in the same
// column do not wait for each other (their keys carry random digits, see positionFor).
func taskColumn(ctx context.Context, p projectTx, id string) (*columnRow, error) {
	var cols []columnRow
	q := p.NewSelect().Model(&cols).Where("organization_id = ? AND project_id = ?", p.orgID, p.projectID)
	if id != "" {
		if !validUUID(id) {
			return nil, domain.Invalid("body.column_id", "must be a column of this project")
		}
		q = q.Where("id = ?", id)
	}
	if err := q.OrderExpr("position").Limit(1).For("KEY SHARE").Scan(ctx); err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, domain.Invalid("body.column_id", "must be a column of this project")
	}
	return &cols[0], nil
}

// checkAssignees returns ids without duplicates, or EINVALID unless each is an active member of the
// organization who can see p's project (a project member, or a role that sees every project).
func checkAssignees(ctx context.Context, p projectTx, ids []string) ([]string, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 {
		return ids, nil
	}
	if len(ids) > 50 {
		return nil, domain.Invalid("body.assignee_ids", "must list at most 50 people")
	}
	for _, id := range ids {
		if !validUUID(id) {
			return nil, domain.Invalid("body.assignee_ids", "must be members of this project")
		}
	}
	var n int
	if err := p.NewRaw(`SELECT count(*) FROM organization_memberships m
		WHERE m.organization_id = ? AND m.status = 'active' AND m.user_id IN (?)
		AND (m.role IN (?) OR EXISTS (SELECT 1 FROM project_members pm
			WHERE pm.organization_id = m.organization_id AND pm.project_id = ? AND pm.user_id = m.user_id))`,
		p.orgID, bun.In(ids), bun.In([]string{domain.RoleOwner, domain.RoleAdmin, domain.RoleManager}), p.projectID).
		Scan(ctx, &n); err != nil {
		return nil, err
	}
	if n != len(ids) {
		return nil, domain.Invalid("body.assignee_ids", "must be members of this project")
	}
	return ids, nil
}

// setAssignees replaces the assignees old of a task of p's project with ids.
func setAssignees(ctx context.Context, p projectTx, taskID string, old, ids []string) error {
	tx, orgID := p.Tx, p.orgID
	if len(old) > 0 {
		if _, err := tx.NewRaw("DELETE FROM task_assignees WHERE organization_id = ? AND task_id = ?", orgID, taskID).Exec(ctx); err != nil {
			return err
		}
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.NewRaw(`INSERT INTO task_assignees (organization_id, task_id, user_id)
		SELECT ?, ?, unnest(?::uuid[])`, orgID, taskID, pgdialect.Array(ids)).Exec(ctx)
	return err
}

// writeAudit records one change by p's viewer of a task of p's project, with the changed fields' old and
// new values.
func writeAudit(ctx context.Context, p projectTx, taskID, action string, old, new map[string]any) error {
	_, err := p.NewRaw(`INSERT INTO task_audit_logs (id, organization_id, task_id, actor_id, action, old_values, new_values)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, newID(), p.orgID, taskID, nullable(p.viewer.UserID), action, old, new).Exec(ctx)
	return err
}

// DeleteTask removes a task with its subtasks, assignees and audit log. Errors: ENOTFOUND.
func (db *DB) DeleteTask(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID string) error {
	return db.inTask(ctx, orgID, v, projectID, taskID, func(ctx context.Context, p projectTx, row *taskRow) error {
		if _, err := p.NewRaw("DELETE FROM tasks WHERE organization_id = ? AND id = ?", p.orgID, row.ID).Exec(ctx); err != nil {
			return err
		}
		return recordEvent(ctx, p.Tx, p.orgID, taskEvent(domain.EventTaskDeleted, row.domain(), v.UserID))
	})
}
