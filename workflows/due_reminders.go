package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/domain"
)

// ActivitySweepDueTasks records the due-soon and overdue notices an organization's open tasks owe at the
// given instant and reports when the next can fall due (activities.Activities.SweepDueTasks).
const ActivitySweepDueTasks = "SweepDueTasks"

const (
	// dueSweepMinPause keeps a busy organization from sweeping in a tight loop.
	dueSweepMinPause = time.Minute
	// dueSweepMaxPause is the longest a due date changed to "now" waits for its notice: the sweep learns of
	// new and changed due dates only by looking, which is what spares the task write path any Temporal call.
	dueSweepMaxPause = 15 * time.Minute
	// dueSweepsPerRun keeps a run's history to about a thousand events; the next run starts fresh.
	dueSweepsPerRun = 100
)

// DueRemindersInput names the organization whose due dates the workflow watches.
type DueRemindersInput struct {
	OrganizationID string
}

// dueSweepOptions retry a sweep until it succeeds: it is idempotent, and a database outage only delays
// the notices, which are recorded as of the instant the workflow asked for.
var dueSweepOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 5 * time.Minute,
	HeartbeatTimeout:    time.Minute,
	RetryPolicy:         stateRetry,
}

// DueReminders watches one organization's task due dates for as long as the organization exists: it
// sweeps (SweepDueTasks, as of the workflow's clock), then sleeps until the next notice can fall due,
// between one and fifteen minutes, and continues as new every hundred sweeps. One workflow per
// organization, not one timer per task: the table task_due_notices (one row per task, due date and kind)
// makes every notice happen once, a changed due date is a new key (re-armed by construction) and a
// completed or deleted task is simply no longer swept. It ends when the organization is gone.
func DueReminders(ctx workflow.Context, in DueRemindersInput) error {
	ctx = workflow.WithActivityOptions(ctx, dueSweepOptions)
	for range dueSweepsPerRun {
		var sweep domain.DueSweep
		err := workflow.ExecuteActivity(ctx, ActivitySweepDueTasks, in.OrganizationID, workflow.Now(ctx)).Get(ctx, &sweep)
		if err != nil {
			return err
		}
		if sweep.OrganizationGone {
			return nil
		}
		if err := workflow.Sleep(ctx, dueSweepPause(workflow.Now(ctx), sweep.NextAt)); err != nil {
			return err
		}
	}
	return workflow.NewContinueAsNewError(ctx, DueReminders, in)
}

// dueSweepPause is how long to wait from now until the next sweep: until next when that is near, within
// [dueSweepMinPause, dueSweepMaxPause] always.
func dueSweepPause(now, next time.Time) time.Duration {
	if next.IsZero() {
		return dueSweepMaxPause
	}
	return min(max(next.Sub(now), dueSweepMinPause), dueSweepMaxPause)
}
