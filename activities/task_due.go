package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/clientflow/clientflow/domain"
)

// dueSweepBatch bounds one sweep transaction (its notices, events and locks); a busier moment takes
// several, heartbeated between them.
const dueSweepBatch = 500

// SweepDueTasks records every due-soon and overdue notice orgID's open tasks owe at now (the workflow's
// clock, so a time-skipping test drives it), with their events, and reports when the next can fall due,
// or that the organization is gone (deleted or being deleted), which ends its reminders.
// Idempotent: a notice is recorded once per task, due date and kind, so a retried sweep raises nothing twice.
func (a *Activities) SweepDueTasks(ctx context.Context, orgID string, now time.Time) (domain.DueSweep, error) {
	var total domain.DueSweep
	for {
		sweep, err := a.DB.SweepDueTasks(ctx, orgID, now, dueSweepBatch)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			total.OrganizationGone = true
			return total, nil
		}
		if err != nil {
			return total, err
		}
		total.Raised += sweep.Raised
		total.NextAt = sweep.NextAt
		activity.RecordHeartbeat(ctx, total.Raised)
		if sweep.Raised < dueSweepBatch {
			return total, nil
		}
	}
}
