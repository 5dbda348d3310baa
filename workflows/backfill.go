package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/domain"
)

// ActivityBackfillSubscriptions starts the Subscription workflow of one page of organizations (activities.
// Activities.BackfillSubscriptions): it joins one already running, so a retry or a second pass starts nothing twice.
const ActivityBackfillSubscriptions = "BackfillSubscriptions"

// SubscriptionBackfillWorkflowID is the fixed ID of the one-off subscription backfill: the worker starts it at
// every start-up, and once it has completed the ID is never run again.
func SubscriptionBackfillWorkflowID() string { return workflowID("subscription-backfill", "v1") }

// Defaults of the backfill's paging.
const (
	backfillPageSize    = 100
	backfillPagesPerRun = 50
)

// SubscriptionBackfillInput starts (or continues) the backfill; the counts carry across continue-as-new.
type SubscriptionBackfillInput struct {
	// After is the last organization ID handled ("" = from the start).
	After string
	// Seen counts the organizations visited, Started those whose Subscription workflow this backfill started.
	Seen, Started int
	// PageSize and PagesPerRun default to 100 and 50 (tests shorten them).
	PageSize, PagesPerRun int
}

// SubscriptionBackfill gives every organization created before plans existed its Subscription workflow: it
// pages through the live organizations in ID order and starts the workflow of each that has none running. Each
// page is one activity (heartbeating per organization, so a retry resumes where it stopped); the run continues
// as new after PagesPerRun pages or when Temporal suggests, so any number of organizations fits in bounded
// histories. It returns the totals.
func SubscriptionBackfill(ctx workflow.Context, in SubscriptionBackfillInput) (SubscriptionBackfillInput, error) {
	if in.PageSize <= 0 {
		in.PageSize = backfillPageSize
	}
	if in.PagesPerRun <= 0 {
		in.PagesPerRun = backfillPagesPerRun
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         stateRetry,
	})
	for pages := 0; ; pages++ {
		if pages == in.PagesPerRun || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return in, workflow.NewContinueAsNewError(ctx, SubscriptionBackfill, in)
		}
		var page domain.BackfillPage
		if err := workflow.ExecuteActivity(ctx, ActivityBackfillSubscriptions, in.After, in.PageSize).Get(ctx, &page); err != nil {
			return in, err
		}
		in.Seen += page.Seen
		in.Started += page.Started
		if page.Last != "" {
			in.After = page.Last
		}
		if page.Done {
			workflow.GetLogger(ctx).Info("subscription backfill: done", "organizations", in.Seen, "started", in.Started)
			return in, nil
		}
	}
}
