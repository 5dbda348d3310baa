package store

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/clientflow/clientflow/domain"
)

// taskChange collects what one update changed: the audit log's old and new values per field.
type taskChange struct {
	old, new map[string]any
}

func (c *taskChange) set(field string, old, new any) {
	c.old[field], c.new[field] = old, new
}

// UpdateTask applies u to a task on behalf of v and records every changed field, with old and new
// values, in the task's audit log. A new column_id moves the task to the end of that column; moving into
// a done column completes it. Errors: ENOTFOUND, EINVALID.
func (db *DB) UpdateTask(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID string, u domain.TaskUpdate) (*domain.Task, error) {
	var out *domain.Task
	err := retryPositionConflict(func() error {
		return db.inTask(ctx, orgID, v, projectID, taskID, func(ctx context.Context, p projectTx, row *taskRow) error {
			t := row.domain()
			before := t.DescriptionJSON
			ch := &taskChange{old: map[string]any{}, new: map[string]any{}}
			if err := applyTaskFields(t, u, ch); err != nil {
				return err
			}
			if u.AssigneeIDs != nil {
				ids, err := checkAssignees(ctx, p, *u.AssigneeIDs)
				if err != nil {
					return err
				}
				if !slices.Equal(ids, t.AssigneeIDs) {
					ch.set("assignee_ids", t.AssigneeIDs, ids)
					if err := setAssignees(ctx, p, t.ID, t.AssigneeIDs, ids); err != nil {
						return err
					}
					t.AssigneeIDs = ids
				}
			}
			completed := false
			if u.ColumnID != nil && *u.ColumnID != t.ColumnID {
				var err error
				if completed, err = moveToColumn(ctx, p, t, *u.ColumnID, domain.Move{}, ch); err != nil {
					return err
				}
			}
			out = t
			if len(ch.new) == 0 {
				// Nothing changed (a repeated or empty update): no write, so no task.updated either.
				return nil
			}
			if err := saveTask(ctx, p, t, ch, completed); err != nil {
				return err
			}
			if _, changed := ch.new["description"]; !changed {
				return nil
			}
			return recordDescriptionMentions(ctx, p, t, before)
		})
	})
	return out, err
}

// applyTaskFields copies u's plain fields onto t, noting each change, and validates the result.
func applyTaskFields(t *domain.Task, u domain.TaskUpdate, ch *taskChange) error {
	if u.Title != nil && *u.Title != t.Title {
		ch.set("title", t.Title, *u.Title)
		t.Title = *u.Title
	}
	if u.DescriptionHTML != nil && (*u.DescriptionHTML != t.DescriptionHTML || !jsonEqual(u.DescriptionJSON, t.DescriptionJSON)) {
		ch.set("description", t.DescriptionHTML, *u.DescriptionHTML)
		t.DescriptionHTML, t.DescriptionJSON = *u.DescriptionHTML, u.DescriptionJSON
	}
	if u.Priority != nil && *u.Priority != t.Priority {
		ch.set("priority", t.Priority, *u.Priority)
		t.Priority = *u.Priority
	}
	if due := u.DueDate; (due != nil || u.ClearDueDate) && !sameDay(due, t.DueDate) {
		ch.set("due_date", dayString(t.DueDate), dayString(due))
		t.DueDate = due
	}
	if est := u.EstimateMinutes; (est != nil || u.ClearEstimate) && !equalInt(est, t.EstimateMinutes) {
		ch.set("estimate_minutes", t.EstimateMinutes, est)
		t.EstimateMinutes = est
	}
	t.Normalize()
	return t.Validate()
}

// moveToColumn moves t into columnID at m's place, noting the column change and completing or reopening
// the task when the done flag differs. It reports whether the task became completed.
func moveToColumn(ctx context.Context, p projectTx, t *domain.Task, columnID string, m domain.Move, ch *taskChange) (bool, error) {
	tx, orgID := p.Tx, p.orgID
	to, err := taskColumn(ctx, p, columnID)
	if err != nil {
		return false, err
	}
	pos, err := positionFor(ctx, tx, taskSiblings(orgID, to.ID), t.ID, m)
	if err != nil {
		return false, err
	}
	t.Position = pos
	if to.ID == t.ColumnID {
		return false, nil
	}
	var from string
	if err := tx.NewRaw("SELECT name FROM task_board_columns WHERE organization_id = ? AND id = ?", orgID, t.ColumnID).
		Scan(ctx, &from); err != nil {
		return false, err
	}
	ch.set("column", from, to.Name)
	ch.set("column_id", t.ColumnID, to.ID)
	t.ColumnID = to.ID
	switch {
	case to.IsDone && t.CompletedAt == nil:
		now := time.Now().UTC().Truncate(time.Microsecond)
		t.CompletedAt = &now
		return true, nil
	case !to.IsDone:
		t.CompletedAt = nil
	}
	return false, nil
}

// saveTask writes t (one row) with its audit entry and events, when anything changed, on behalf of p's
// viewer.
func saveTask(ctx context.Context, p projectTx, t *domain.Task, ch *taskChange, completed bool) error {
	tx, orgID, actorID := p.Tx, p.orgID, p.viewer.UserID
	t.UpdatedAt = time.Now().UTC().Truncate(time.Microsecond)
	row := taskRowFrom(t)
	if _, err := tx.NewUpdate().Model(&row).Column("column_id", "title", "description_json", "description_html",
		"position", "priority", "due_date", "estimate_minutes", "completed_at", "updated_at").
		Where("organization_id = ? AND id = ?", orgID, t.ID).Exec(ctx); err != nil {
		return err
	}
	if len(ch.new) > 0 {
		action := domain.TaskAuditUpdated
		if _, moved := ch.new["column"]; moved && len(ch.new) == 2 {
			action = domain.TaskAuditMoved
		}
		if err := writeAudit(ctx, p, t.ID, action, ch.old, ch.new); err != nil {
			return err
		}
	}
	if err := recordEvent(ctx, tx, orgID, taskUpdatedEvent(t, ch, completed, actorID)); err != nil {
		return err
	}
	if !completed {
		return nil
	}
	if err := writeAudit(ctx, p, t.ID, domain.TaskAuditCompleted, map[string]any{},
		map[string]any{"completed_at": t.CompletedAt}); err != nil {
		return err
	}
	return recordEvent(ctx, tx, orgID, taskEvent(domain.EventTaskCompleted, t, actorID))
}

// taskUpdatedEvent is task.updated with what receivers and the notifications need from the change, taken
// from what the update already holds (no extra query): changed, assignees_added, column_from and column_to,
// completed.
func taskUpdatedEvent(t *domain.Task, ch *taskChange, completed bool, actorID string) domain.Event {
	pl := taskPayload(t)
	for field := range ch.new {
		// column_id repeats column (the payload's column_id already says where the task is now).
		if field != "column_id" {
			pl.Changed = append(pl.Changed, field)
		}
	}
	if _, moved := ch.new["column"]; moved || len(ch.new) == 0 {
		// A move places the card anew; a move with no other change is a reorder within its column.
		pl.Changed = append(pl.Changed, "position")
	}
	slices.Sort(pl.Changed)
	if old, ok := ch.old["assignee_ids"].([]string); ok {
		pl.AssigneesAdded = addedIDs(old, t.AssigneeIDs)
	}
	if from, ok := ch.old["column"].(string); ok {
		pl.ColumnFrom = from
		pl.ColumnTo, _ = ch.new["column"].(string)
	}
	pl.Completed = completed
	return taskEventWith(domain.EventTaskUpdated, t, actorID, pl)
}

// addedIDs lists the ids of now that were not in before.
func addedIDs(before, now []string) []string {
	out := []string{}
	for _, id := range now {
		if !slices.Contains(before, id) {
			out = append(out, id)
		}
	}
	return out
}

// MoveTask places a task in m.ColumnID (its own column when empty) after m.AfterID or before m.BeforeID,
// rewriting only the task's row. Two moves racing for the same place meet the UNIQUE (column, position)
// constraint; the loser retries with fresh neighbours, so the column keeps a strict order.
// Errors: ENOTFOUND, EINVALID (a column of another project, a neighbour outside the column).
func (db *DB) MoveTask(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID string, m domain.TaskMove) (*domain.Task, error) {
	var out *domain.Task
	err := retryPositionConflict(func() error {
		return db.inTask(ctx, orgID, v, projectID, taskID, func(ctx context.Context, p projectTx, row *taskRow) error {
			t := row.domain()
			column := m.ColumnID
			if column == "" {
				column = t.ColumnID
			}
			ch := &taskChange{old: map[string]any{}, new: map[string]any{}}
			completed, err := moveToColumn(ctx, p, t, column, m.Move, ch)
			if err != nil {
				return err
			}
			out = t
			return saveTask(ctx, p, t, ch, completed)
		})
	})
	return out, err
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && string(canonicalJSON(x)) == string(canonicalJSON(y))
}

// canonicalJSON re-encodes a decoded document, so equal documents compare equal whatever their spacing.
func canonicalJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func sameDay(a, b *time.Time) bool {
	return dayString(a) == dayString(b)
}

// dayString renders a due date for the audit log ("" for none).
func dayString(d *time.Time) any {
	if d == nil {
		return nil
	}
	return d.Format(time.DateOnly)
}

func equalInt(a, b *int) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}
