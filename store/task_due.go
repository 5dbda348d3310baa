package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
)

// dueNoticesSQL records, for up to ? open tasks with an assignee due on one of the window's dates, the
// notice the date owes, and returns the tasks that had not received it yet. The window is a handful of
// dates, so the scan is a few ranges of tasks_org_due_idx (organization_id, due_date) WHERE completed_at IS
// NULL: its cost follows the tasks due in the window, not the organization's open tasks. NOT EXISTS skips
// notices already recorded before the LIMIT counts them; ON CONFLICT settles a race with a concurrent sweep.
const dueNoticesSQL = `WITH w (due_date, kind) AS (SELECT * FROM unnest(?::date[], ?::text[])),
new AS (
	INSERT INTO task_due_notices (organization_id, task_id, due_date, kind)
	SELECT t.organization_id, t.id, t.due_date, w.kind
	FROM w
	JOIN tasks t ON t.organization_id = ? AND t.due_date = w.due_date AND t.completed_at IS NULL
		AND cardinality(t.assignee_ids) > 0
	JOIN projects p ON p.organization_id = t.organization_id AND p.id = t.project_id AND p.archived_at IS NULL
	WHERE NOT EXISTS (SELECT 1 FROM task_due_notices n WHERE n.organization_id = t.organization_id
		AND n.task_id = t.id AND n.due_date = t.due_date AND n.kind = w.kind)
	ORDER BY t.due_date, t.id
	LIMIT ?
	ON CONFLICT DO NOTHING
	RETURNING task_id, due_date, kind)
SELECT new.task_id, new.due_date, new.kind, t.project_id, t.title, t.number
FROM new JOIN tasks t ON t.organization_id = ? AND t.id = new.task_id
ORDER BY new.due_date, new.task_id`

// firstDueSQL finds the earliest open, assigned due date from a given day on, for the next wake-up.
const firstDueSQL = `SELECT min(due_date) FROM tasks
	WHERE organization_id = ? AND completed_at IS NULL AND due_date >= ? AND cardinality(assignee_ids) > 0`

// dueNoticeRow is one notice a sweep recorded, with what its event carries.
type dueNoticeRow struct {
	TaskID    string    `bun:"task_id"`
	DueDate   time.Time `bun:"due_date"`
	Kind      string    `bun:"kind"`
	ProjectID string    `bun:"project_id"`
	Title     string    `bun:"title"`
	Number    int       `bun:"number"`
}

// dueEventTypes maps a notice kind to the event the fan-out turns into notifications.
var dueEventTypes = map[string]string{
	domain.DueNoticeSoon:    domain.EventTaskDueSoon,
	domain.DueNoticeOverdue: domain.EventTaskOverdue,
}

// SweepDueTasks records, as of now, the due-soon and overdue notices owed by up to limit of orgID's open
// tasks with assignees (see domain.DueWindow), each with its task.due_soon / task.overdue event, in one
// transaction, so a notice exists exactly when its event does and a repeated sweep raises nothing twice.
// Raised == limit means more may be owed: sweep again. NextAt is when the next notice can fall due.
// A due date changed since re-arms by construction (a new key); a completed or deleted task is skipped.
// Errors: ENOTFOUND (the organization is gone or being deleted: there is nothing left to remind about).
func (db *DB) SweepDueTasks(ctx context.Context, orgID string, now time.Time, limit int) (domain.DueSweep, error) {
	var out domain.DueSweep
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		loc, err := lockOrganizationZone(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if out.Raised, err = raiseDueNotices(ctx, tx, orgID, domain.DueWindow(now, loc), limit); err != nil {
			return err
		}
		var first sql.NullTime
		if err := tx.NewRaw(firstDueSQL, orgID, domain.Today(now, loc).Format(time.DateOnly)).Scan(ctx, &first); err != nil {
			return err
		}
		if first.Valid {
			out.NextAt = domain.NextDueCheck(now, first.Time, loc)
		}
		return nil
	})
	return out, mapError(err, "Organization not found.")
}

// lockOrganizationZone reads the organization's time zone and holds a share lock on its row until the
// sweep commits, so its deletion (which first marks it deleting) cannot begin while notices and events are
// being written into tables the deletion empties. An organization already being deleted is not found.
func lockOrganizationZone(ctx context.Context, tx bun.Tx, orgID string) (*time.Location, error) {
	var tz string
	err := tx.NewRaw(`SELECT coalesce(s.timezone, 'UTC') FROM organizations o
		LEFT JOIN organization_settings s ON s.organization_id = o.id
		WHERE o.id = ? AND o.status = 'active' FOR SHARE OF o`, orgID).Scan(ctx, &tz)
	if err != nil {
		return nil, err
	}
	// Settings are validated on write; a zone that no longer loads falls back to UTC rather than stopping
	// the organization's reminders.
	if !domain.ValidTimezone(tz) {
		return time.UTC, nil
	}
	return time.LoadLocation(tz)
}

// raiseDueNotices records the window's owed notices and one event per notice it recorded.
func raiseDueNotices(ctx context.Context, tx bun.Tx, orgID string, window []domain.DueDateNotice, limit int) (int, error) {
	if len(window) == 0 {
		return 0, nil
	}
	dates, kinds := make([]string, len(window)), make([]string, len(window))
	for i, w := range window {
		dates[i], kinds[i] = w.Date.Format(time.DateOnly), w.Kind
	}
	var rows []dueNoticeRow
	if err := tx.NewRaw(dueNoticesSQL, pgdialect.Array(dates), pgdialect.Array(kinds), orgID, limit, orgID).
		Scan(ctx, &rows); err != nil {
		return 0, err
	}
	for _, r := range rows {
		err := recordEvent(ctx, tx, orgID, domain.Event{Type: dueEventTypes[r.Kind], EntityType: "task",
			EntityID: r.TaskID, ProjectID: r.ProjectID,
			Payload: map[string]any{"title": r.Title, "number": r.Number, "due_date": r.DueDate.Format(time.DateOnly)}})
		if err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}
