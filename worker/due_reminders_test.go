package worker_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/workflows"
)

// dueOrg is an organization in a time zone with a project whose tasks its owner is assigned to.
type dueOrg struct {
	db        *storetest.DB
	orgID     string
	v         domain.Viewer
	projectID string
}

func mustDueOrg(t *testing.T, db *storetest.DB, name, zone string) dueOrg {
	t.Helper()
	ctx := context.Background()
	u := &domain.User{Name: name + " Owner", Email: strings.ToLower(strings.ReplaceAll(name, " ", "-")) + "@example.com", PasswordHash: "x"}
	require.NoError(t, db.App.CreateUser(ctx, u))
	org, err := db.App.CreateOrganization(ctx, name, u.ID)
	require.NoError(t, err)
	_, err = db.Owner.Bun().ExecContext(ctx, "UPDATE organization_settings SET timezone = ? WHERE organization_id = ?", zone, org.ID)
	require.NoError(t, err)
	v := domain.Viewer{UserID: u.ID, Role: domain.RoleOwner}
	p := &domain.Project{Name: "Launch"}
	require.NoError(t, db.App.CreateProject(ctx, org.ID, v, p, ""))
	return dueOrg{db: db, orgID: org.ID, v: v, projectID: p.ID}
}

func (o dueOrg) task(t *testing.T, title string, due time.Time) *domain.Task {
	t.Helper()
	task := &domain.Task{Title: title, DueDate: &due, AssigneeIDs: []string{o.v.UserID}}
	require.NoError(t, o.db.App.CreateTask(context.Background(), o.orgID, o.v, o.projectID, task))
	return task
}

// events lists "type title due_date" for the organization's due-date events, oldest first.
func (o dueOrg) events(t *testing.T) []string {
	t.Helper()
	out := []string{}
	require.NoError(t, o.db.Owner.Bun().NewRaw(`SELECT type || ' ' || (payload->>'title') || ' ' || (payload->>'due_date')
		FROM domain_events WHERE organization_id = ? AND type IN (?, ?) ORDER BY id`,
		o.orgID, domain.EventTaskDueSoon, domain.EventTaskOverdue).Scan(context.Background(), &out))
	return out
}

func (o dueOrg) markDeleting(t *testing.T) {
	t.Helper()
	_, err := o.db.Owner.Bun().ExecContext(context.Background(),
		"UPDATE organizations SET status = 'deleting', deleted_at = now() WHERE id = ?", o.orgID)
	require.NoError(t, err)
}

// runDueReminders runs the organization's DueReminders workflow in the time-skipping environment from start,
// with the real activities against the real database; at holds callbacks by offset from start. It returns
// how many sweeps ran and the workflow's error (a continue-as-new after its hundred sweeps).
func runDueReminders(t *testing.T, o dueOrg, start time.Time, at map[time.Duration]func()) (int, error) {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetTestTimeout(2 * time.Minute)
	env.SetStartTime(start)
	env.RegisterActivity(&activities.Activities{DB: o.db.App})
	env.RegisterWorkflowWithOptions(workflows.DueReminders, workflow.RegisterOptions{Name: "DueReminders"})
	sweeps := 0
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == workflows.ActivitySweepDueTasks {
			sweeps++
		}
	})
	for after, fn := range at {
		env.RegisterDelayedCallback(fn, after)
	}
	env.ExecuteWorkflow("DueReminders", workflows.DueRemindersInput{OrganizationID: o.orgID})
	require.True(t, env.IsWorkflowCompleted())
	return sweeps, env.GetWorkflowError()
}

func date(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }

// TestDueRemindersTimeSkipping drives an organization's DueReminders workflow through days of skipped
// time with the real sweep against Postgres (the sweep runs as of workflow.Now).
func TestDueRemindersTimeSkipping(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()

	t.Run("fires_once_rearms_on_a_new_due_date_skips_completed_tasks_and_ends_with_the_organization", func(t *testing.T) {
		o := mustDueOrg(t, db, "Skipping", "UTC")
		ship := o.task(t, "Ship", date("2026-03-11"))
		finished := o.task(t, "Finished", date("2026-03-12"))

		// A day of sweeps every 15 minutes: the reminder goes out at midnight, once.
		sweeps, err := runDueReminders(t, o, time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), nil)
		var cont *workflow.ContinueAsNewError
		require.ErrorAs(t, err, &cont, "a run continues as new after its sweeps")
		assert.Equal(t, 100, sweeps)
		assert.Equal(t, []string{"task.due_soon Ship 2026-03-11"}, o.events(t))

		// The due date moves two days out (re-armed: a new key), the other task is completed.
		later := date("2026-03-13")
		_, err = db.App.UpdateTask(ctx, o.orgID, o.v, o.projectID, ship.ID, domain.TaskUpdate{DueDate: &later})
		require.NoError(t, err)
		cols, err := db.App.Columns(ctx, o.orgID, o.v, o.projectID)
		require.NoError(t, err)
		require.True(t, cols[len(cols)-1].IsDone)
		_, err = db.App.UpdateTask(ctx, o.orgID, o.v, o.projectID, finished.ID, domain.TaskUpdate{ColumnID: &cols[len(cols)-1].ID})
		require.NoError(t, err)
		_, err = runDueReminders(t, o, time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC), nil)
		require.ErrorAs(t, err, &cont)
		assert.Equal(t, []string{"task.due_soon Ship 2026-03-11", "task.due_soon Ship 2026-03-13"}, o.events(t),
			"no overdue for the old date, nothing for the completed task")

		// The task passes its new date, then the organization goes: the workflow ends.
		sweeps, err = runDueReminders(t, o, time.Date(2026, 3, 13, 10, 0, 0, 0, time.UTC), map[time.Duration]func(){
			15 * time.Hour: func() { o.markDeleting(t) },
		})
		require.NoError(t, err, "the workflow completes once its organization is gone")
		assert.Less(t, sweeps, 100)
		assert.Equal(t, []string{"task.due_soon Ship 2026-03-11", "task.due_soon Ship 2026-03-13",
			"task.overdue Ship 2026-03-13"}, o.events(t))
	})

	t.Run("wakes_when_the_day_ends_in_the_organizations_time_zone", func(t *testing.T) {
		o := mustDueOrg(t, db, "Kiwi", "Pacific/Auckland") // UTC+13 in March: the 10th ends at 11:00 UTC
		o.task(t, "Haka", date("2026-03-10"))
		var before, after []string
		// Sweeps at 10:05, 10:20, 10:35 and 10:50 UTC; then the workflow sleeps until 11:00, not 11:05.
		_, err := runDueReminders(t, o, time.Date(2026, 3, 10, 10, 5, 0, 0, time.UTC), map[time.Duration]func(){
			54*time.Minute + 30*time.Second: func() { before = o.events(t) },
			55*time.Minute + 30*time.Second: func() { after = o.events(t) },
			70 * time.Minute:                func() { o.markDeleting(t) },
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"task.due_soon Haka 2026-03-10"}, before, "not overdue at 10:59:30 UTC")
		assert.Equal(t, []string{"task.due_soon Haka 2026-03-10", "task.overdue Haka 2026-03-10"}, after,
			"overdue at midnight in Auckland")
	})
}

// TestDueRemindersOnDevServer starts an organization's reminders twice on a real server: one workflow,
// findable by OrganizationId, raises the due-soon notice of a task due today once, then sleeps.
func TestDueRemindersOnDevServer(t *testing.T) {
	dw := mustRunDevWorker(t, "due-test", time.Hour)
	ctx := context.Background()
	o := mustDueOrg(t, dw.DB, "Dev Due", "UTC")
	o.task(t, "Today", domain.DateOnly(time.Now().UTC()))
	for range 2 {
		require.NoError(t, dw.Starter.StartDueReminders(ctx, o.orgID))
	}
	id := workflows.DueRemindersWorkflowID(o.orgID)
	eventually(t, "the sweep sleeps after raising the notice", func() bool {
		it := dw.Srv.Client().GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				return false
			}
			if ev.GetEventType() == enumspb.EVENT_TYPE_TIMER_STARTED {
				return true
			}
		}
		return false
	})
	assert.Equal(t, []string{"task.due_soon Today " + time.Now().UTC().Format(time.DateOnly)}, o.events(t))
	desc, err := dw.Srv.Client().DescribeWorkflowExecution(ctx, id, "")
	require.NoError(t, err)
	assert.Equal(t, "DueReminders", desc.WorkflowExecutionInfo.GetType().GetName())
	assert.Contains(t, desc.WorkflowExecutionInfo.SearchAttributes.GetIndexedFields(), "OrganizationId")
	recordHistory(t, dw.Srv.Client(), id, "", "due_reminders")
}
