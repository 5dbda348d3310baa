package activities

import (
	"context"

	"go.temporal.io/sdk/activity"

	"github.com/clientflow/clientflow/domain"
)

// Subscriptions starts an organization's Subscription workflow unless one runs (worker.Starter).
type Subscriptions interface {
	// EnsureSubscription starts the organization's Subscription workflow when none runs and reports whether it did.
	EnsureSubscription(ctx context.Context, orgID string) (bool, error)
}

// BackfillSubscriptions makes sure each of the next page of live organizations after the ID after has a
// running Subscription workflow, heartbeating the last organization handled: a retry resumes after it, and
// an organization handled twice is harmless (its workflow is joined, not started again).
func (a *Activities) BackfillSubscriptions(ctx context.Context, after string, pageSize int) (domain.BackfillPage, error) {
	if activity.HasHeartbeatDetails(ctx) {
		var resumed string
		if err := activity.GetHeartbeatDetails(ctx, &resumed); err == nil && resumed != "" {
			after = resumed
		}
	}
	ids, err := a.DB.LiveOrganizationIDs(ctx, after, pageSize)
	if err != nil {
		return domain.BackfillPage{}, err
	}
	page := domain.BackfillPage{Last: after, Done: len(ids) < pageSize}
	for _, id := range ids {
		started, err := a.Subscriptions.EnsureSubscription(ctx, id)
		if err != nil {
			return domain.BackfillPage{}, err
		}
		page.Seen++
		if started {
			page.Started++
		}
		page.Last = id
		activity.RecordHeartbeat(ctx, id)
	}
	return page, nil
}
