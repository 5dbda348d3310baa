package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/migrations"
	"github.com/clientflow/clientflow/store/storetest"
)

// dueFixture is an organization with a project whose tasks are assigned to the owner.
type dueFixture struct {
	d         *storetest.DB
	orgID     string
	v         domain.Viewer
	projectID string
}

func mustDueFixture(t *testing.T, d *storetest.DB, email, zone string) dueFixture {
	t.Helper()
	u, org := mustUserAndOrg(t, d.App, email)
	v := domain.Viewer{UserID: u.ID, Role: domain.RoleOwner}
	p := &domain.Project{Name: "Due dates"}
	require.NoError(t, d.App.CreateProject(context.Background(), org.ID, v, p, ""))
	_, err := d.Owner.Bun().ExecContext(context.Background(),
		"UPDATE organization_settings SET timezone = ? WHERE organization_id = ?", zone, org.ID)
	require.NoError(t, err)
	return dueFixture{d: d, orgID: org.ID, v: v, projectID: p.ID}
}

// task creates a task due on date (YYYY-MM-DD), assigned to the owner unless unassigned.
func (f dueFixture) task(t *testing.T, title, date string, assigned bool) *domain.Task {
	t.Helper()
	due := mustDay(t, date)
	task := &domain.Task{Title: title, DueDate: &due}
	if assigned {
		task.AssigneeIDs = []string{f.v.UserID}
	}
	require.NoError(t, f.d.App.CreateTask(context.Background(), f.orgID, f.v, f.projectID, task))
	return task
}

func (f dueFixture) sweep(t *testing.T, now time.Time, limit int) domain.DueSweep {
	t.Helper()
	s, err := f.d.App.SweepDueTasks(context.Background(), f.orgID, now, limit)
	require.NoError(t, err)
	return s
}

// events lists "type task-title due_date" for the organization's due events, in order.
func (f dueFixture) events(t *testing.T) []string {
	t.Helper()
	var out []string
	require.NoError(t, f.d.Owner.Bun().NewRaw(`SELECT type || ' ' || (payload->>'title') || ' ' || (payload->>'due_date')
		FROM domain_events WHERE organization_id = ? AND type IN (?, ?) ORDER BY id`,
		f.orgID, domain.EventTaskDueSoon, domain.EventTaskOverdue).Scan(context.Background(), &out))
	return out
}

func utc(s string) time.Time {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestSweepDueTasks(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()

	t.Run("each_notice_is_raised_once_with_its_event", func(t *testing.T) {
		f := mustDueFixture(t, d, "due-once@example.com", "UTC")
		task := f.task(t, "Ship it", "2026-03-10", true)
		assert.Equal(t, 0, f.sweep(t, utc("2026-03-09T23:59:00Z"), 100).Raised, "more than a day before")
		assert.Equal(t, 1, f.sweep(t, utc("2026-03-10T00:00:00Z"), 100).Raised)
		assert.Equal(t, 0, f.sweep(t, utc("2026-03-10T09:00:00Z"), 100).Raised, "a second sweep raises nothing")
		assert.Equal(t, 1, f.sweep(t, utc("2026-03-11T00:00:00Z"), 100).Raised)
		assert.Equal(t, 0, f.sweep(t, utc("2026-03-12T00:00:00Z"), 100).Raised)
		assert.Equal(t, []string{"task.due_soon Ship it 2026-03-10", "task.overdue Ship it 2026-03-10"}, f.events(t))

		var ev struct {
			EntityType, EntityID, ProjectID string
			ActorID                         *string
			Number                          int
		}
		require.NoError(t, d.Owner.Bun().NewRaw(`SELECT entity_type, entity_id, project_id, actor_id, (payload->>'number')::int
			FROM domain_events WHERE organization_id = ? AND type = ?`, f.orgID, domain.EventTaskOverdue).
			Scan(ctx, &ev.EntityType, &ev.EntityID, &ev.ProjectID, &ev.ActorID, &ev.Number))
		assert.Equal(t, []any{"task", task.ID, f.projectID, (*string)(nil), task.Number},
			[]any{ev.EntityType, ev.EntityID, ev.ProjectID, ev.ActorID, ev.Number}, "no actor: nobody is left out as the author")
	})

	t.Run("a_changed_due_date_is_raised_again_a_completed_or_deleted_task_is_not", func(t *testing.T) {
		f := mustDueFixture(t, d, "due-change@example.com", "UTC")
		moved := f.task(t, "Moved", "2026-03-10", true)
		done := f.task(t, "Done", "2026-03-10", true)
		gone := f.task(t, "Gone", "2026-03-10", true)
		assert.Equal(t, 3, f.sweep(t, utc("2026-03-10T08:00:00Z"), 100).Raised)

		later := mustDay(t, "2026-03-12")
		_, err := d.App.UpdateTask(ctx, f.orgID, f.v, f.projectID, moved.ID, domain.TaskUpdate{DueDate: &later})
		require.NoError(t, err)
		cols, err := d.App.Columns(ctx, f.orgID, f.v, f.projectID)
		require.NoError(t, err)
		doneCol := cols[len(cols)-1]
		require.True(t, doneCol.IsDone, "the default board ends with a done column")
		_, err = d.App.UpdateTask(ctx, f.orgID, f.v, f.projectID, done.ID, domain.TaskUpdate{ColumnID: &doneCol.ID})
		require.NoError(t, err)
		require.NoError(t, d.App.DeleteTask(ctx, f.orgID, f.v, f.projectID, gone.ID))

		assert.Equal(t, 0, f.sweep(t, utc("2026-03-11T09:00:00Z"), 100).Raised, "nothing left due on the 10th")
		assert.Equal(t, 1, f.sweep(t, utc("2026-03-12T09:00:00Z"), 100).Raised)
		assert.Equal(t, 1, f.sweep(t, utc("2026-03-13T09:00:00Z"), 100).Raised)
		assert.Equal(t, []string{"task.due_soon Moved 2026-03-10", "task.due_soon Done 2026-03-10",
			"task.due_soon Gone 2026-03-10", "task.due_soon Moved 2026-03-12", "task.overdue Moved 2026-03-12"}, f.events(t))
	})

	t.Run("unassigned_tasks_and_archived_projects_owe_nothing_until_assigned", func(t *testing.T) {
		f := mustDueFixture(t, d, "due-unassigned@example.com", "UTC")
		task := f.task(t, "Nobody's", "2026-03-10", false)
		archived := &domain.Project{Name: "Shelved"}
		require.NoError(t, d.App.CreateProject(ctx, f.orgID, f.v, archived, ""))
		due := mustDay(t, "2026-03-10")
		require.NoError(t, d.App.CreateTask(ctx, f.orgID, f.v, archived.ID,
			&domain.Task{Title: "Shelved", DueDate: &due, AssigneeIDs: []string{f.v.UserID}}))
		_, err := d.App.SetProjectArchived(ctx, f.orgID, f.v, archived.ID, true)
		require.NoError(t, err)
		assert.Equal(t, 0, f.sweep(t, utc("2026-03-10T08:00:00Z"), 100).Raised)

		_, err = d.App.UpdateTask(ctx, f.orgID, f.v, f.projectID, task.ID, domain.TaskUpdate{AssigneeIDs: &[]string{f.v.UserID}})
		require.NoError(t, err)
		assert.Equal(t, 1, f.sweep(t, utc("2026-03-10T08:15:00Z"), 100).Raised)
		assert.Equal(t, []string{"task.due_soon Nobody's 2026-03-10"}, f.events(t))
	})

	t.Run("the_organizations_time_zone_decides_when_the_day_ends", func(t *testing.T) {
		nz := mustDueFixture(t, d, "due-nz@example.com", "Pacific/Auckland") // UTC+13 in March
		nz.task(t, "Kiwi", "2026-03-10", true)
		london := mustDueFixture(t, d, "due-utc@example.com", "UTC")
		london.task(t, "Cockney", "2026-03-10", true)
		// The 10th ends at 11:00 UTC in Auckland, and 24 hours before that is 11:00 UTC on the 9th.
		assert.Equal(t, 0, nz.sweep(t, utc("2026-03-09T10:59:59Z"), 100).Raised)
		assert.Equal(t, 1, nz.sweep(t, utc("2026-03-09T11:00:00Z"), 100).Raised)
		assert.Equal(t, 0, nz.sweep(t, utc("2026-03-10T10:59:59Z"), 100).Raised)
		assert.Equal(t, 1, nz.sweep(t, utc("2026-03-10T11:00:00Z"), 100).Raised)
		assert.Equal(t, 1, london.sweep(t, utc("2026-03-10T11:00:00Z"), 100).Raised, "still only due soon in UTC")
		assert.Equal(t, []string{"task.due_soon Kiwi 2026-03-10", "task.overdue Kiwi 2026-03-10"}, nz.events(t))
		assert.Equal(t, []string{"task.due_soon Cockney 2026-03-10"}, london.events(t))
	})

	t.Run("a_first_sweep_skips_tasks_overdue_for_more_than_a_week", func(t *testing.T) {
		f := mustDueFixture(t, d, "due-stale@example.com", "UTC")
		f.task(t, "Ancient", "2026-02-01", true)
		f.task(t, "Recent", "2026-03-05", true)
		assert.Equal(t, 1, f.sweep(t, utc("2026-03-10T08:00:00Z"), 100).Raised)
		assert.Equal(t, []string{"task.overdue Recent 2026-03-05"}, f.events(t), "only the overdue notice, no late due-soon")
	})

	t.Run("a_busy_moment_is_raised_in_batches", func(t *testing.T) {
		f := mustDueFixture(t, d, "due-batch@example.com", "UTC")
		for _, title := range []string{"One", "Two", "Three"} {
			f.task(t, title, "2026-03-10", true)
		}
		assert.Equal(t, 2, f.sweep(t, utc("2026-03-10T08:00:00Z"), 2).Raised)
		assert.Equal(t, 1, f.sweep(t, utc("2026-03-10T08:00:00Z"), 2).Raised)
		assert.Equal(t, 0, f.sweep(t, utc("2026-03-10T08:00:00Z"), 2).Raised)
	})

	t.Run("next_at_is_when_the_next_notice_falls_due", func(t *testing.T) {
		f := mustDueFixture(t, d, "due-next@example.com", "Europe/Berlin")
		assert.True(t, f.sweep(t, utc("2026-06-01T12:00:00Z"), 100).NextAt.IsZero(), "nothing due")
		f.task(t, "Later", "2026-06-20", true)
		f.task(t, "Unassigned sooner", "2026-06-05", false)
		berlin, err := time.LoadLocation("Europe/Berlin")
		require.NoError(t, err)
		assert.Equal(t, time.Date(2026, 6, 20, 0, 0, 0, 0, berlin).UTC(), f.sweep(t, utc("2026-06-01T12:00:00Z"), 100).NextAt.UTC())
	})

	t.Run("an_organization_gone_or_being_deleted_is_not_found", func(t *testing.T) {
		f := mustDueFixture(t, d, "due-gone@example.com", "UTC")
		_, err := d.Owner.Bun().ExecContext(ctx, "UPDATE organizations SET status = 'deleting', deleted_at = now() WHERE id = ?", f.orgID)
		require.NoError(t, err)
		_, err = d.App.SweepDueTasks(ctx, f.orgID, time.Now(), 100)
		assert.Equal(t, domain.ENOTFOUND, domain.ErrorCode(err))
		_, err = d.App.SweepDueTasks(ctx, "00000000-0000-0000-0000-000000000000", time.Now(), 100)
		assert.Equal(t, domain.ENOTFOUND, domain.ErrorCode(err))
	})
}

// The data migration gives every live organization that existed before due reminders one start in the
// workflow outbox, and running it again adds none.
func TestDueReminderStartsMigration(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	_, live := mustUserAndOrg(t, d.App, "migrate-live@example.com")
	_, doomed := mustUserAndOrg(t, d.App, "migrate-doomed@example.com")
	_, err := d.Owner.Bun().ExecContext(ctx, "UPDATE organizations SET status = 'deleting', deleted_at = now() WHERE id = ?", doomed.ID)
	require.NoError(t, err)
	up, err := migrations.FS.ReadFile("20261207002000_due_reminder_starts.tx.up.sql")
	require.NoError(t, err)
	for range 2 {
		_, err := d.Owner.Bun().ExecContext(ctx, string(up))
		require.NoError(t, err)
	}
	var keys []string
	require.NoError(t, d.Owner.Bun().NewRaw("SELECT business_key FROM workflow_starts WHERE kind = ?",
		domain.StartKindDueReminders).Scan(ctx, &keys))
	assert.Equal(t, []string{live.ID}, keys)
}
