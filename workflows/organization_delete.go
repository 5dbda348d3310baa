package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Activity names of the organization deletion (activities.Activities methods).
const (
	ActivityConfirmOrganizationDeleting     = "ConfirmOrganizationDeleting"
	ActivityOrganizationTablesInDeleteOrder = "OrganizationTablesInDeleteOrder"
	ActivityDeleteOrganizationTable         = "DeleteOrganizationTable"
	ActivityDeleteOrganizationRow           = "DeleteOrganizationRow"
	// ActivityCancelStripeSubscription cancels the organization's Stripe subscription at once (idempotent).
	ActivityCancelStripeSubscription = "CancelStripeSubscription"
)

// DeleteOrganizationInput names the organization to delete; the API has already marked it as deleting.
type DeleteOrganizationInput struct {
	OrganizationID string
}

// DeleteOrganizationResult counts the rows removed per table (before the organization row itself) and
// the stored files purged after it.
type DeleteOrganizationResult struct {
	RowsDeleted map[string]int64
	FilesPurged int
}

// confirmRetry gives the API's transaction time to commit the "deleting" mark (the workflow can start a
// moment before it does), then gives up: an organization that never got marked must not be emptied.
var confirmRetry = &temporal.RetryPolicy{
	InitialInterval:    time.Second,
	BackoffCoefficient: 2,
	MaximumInterval:    30 * time.Second,
	MaximumAttempts:    10,
}

// deleteRetry never gives up: every step is idempotent, and a half-deleted organization must be finished.
var deleteRetry = &temporal.RetryPolicy{
	InitialInterval:    time.Second,
	BackoffCoefficient: 2,
	MaximumInterval:    5 * time.Minute,
}

// DeleteOrganization removes an organization's data table by table, children first, in bounded batches
// (each table's activity heartbeats per batch, so a lost worker is noticed within HeartbeatTimeout and the
// retry resumes where the rows end), then the organization row, and last the stored bytes of its files,
// which deleting the files rows queued in file_purges.
func DeleteOrganization(ctx workflow.Context, in DeleteOrganizationInput) (DeleteOrganizationResult, error) {
	res := DeleteOrganizationResult{RowsDeleted: map[string]int64{}}
	confirmCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         confirmRetry,
	})
	if err := workflow.ExecuteActivity(confirmCtx, ActivityConfirmOrganizationDeleting, in.OrganizationID).Get(ctx, nil); err != nil {
		return res, err
	}
	cancelStripeSubscription(ctx, in.OrganizationID)
	endSubscriptionWorkflow(ctx, in.OrganizationID)
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Hour,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         deleteRetry,
	})
	var tables []string
	if err := workflow.ExecuteActivity(ctx, ActivityOrganizationTablesInDeleteOrder).Get(ctx, &tables); err != nil {
		return res, err
	}
	for _, table := range tables {
		var n int64
		if err := workflow.ExecuteActivity(ctx, ActivityDeleteOrganizationTable, in.OrganizationID, table).Get(ctx, &n); err != nil {
			return res, err
		}
		res.RowsDeleted[table] = n
	}
	if err := workflow.ExecuteActivity(ctx, ActivityDeleteOrganizationRow, in.OrganizationID).Get(ctx, nil); err != nil {
		return res, err
	}
	// Deletions that reached this point before the purge step existed finish as they began.
	if workflow.GetVersion(ctx, "purge-files", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return res, nil
	}
	var err error
	res.FilesPurged, err = purgeAllFiles(ctx, in.OrganizationID)
	return res, err
}

// cancelStripeSubscription stops the billing before any data goes (it reads the subscription row). A
// cancellation Stripe refuses outright is logged and the deletion goes on: the owner asked for the data to
// be gone. Deletions that passed this point before the step existed skip it.
func cancelStripeSubscription(ctx workflow.Context, orgID string) {
	if workflow.GetVersion(ctx, "cancel-stripe-subscription", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute, RetryPolicy: deleteRetry})
	if err := workflow.ExecuteActivity(ctx, ActivityCancelStripeSubscription, orgID).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Error("organization delete: stripe subscription not canceled", "organization_id", orgID, "error", err)
	}
}

// endSubscriptionWorkflow ends the organization's Subscription workflow (under its ID and the legacy one):
// once billing is stopped nothing is left for it to watch. A workflow that is not running there answers
// with an error, which is the expected case for one of the two IDs. Deletions that passed this point
// before the step existed skip it.
func endSubscriptionWorkflow(ctx workflow.Context, orgID string) {
	if workflow.GetVersion(ctx, "end-subscription-workflow", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	for _, id := range []string{SubscriptionWorkflowID(orgID), LegacySubscriptionWorkflowID(orgID)} {
		if err := workflow.SignalExternalWorkflow(ctx, id, "", SignalOrganizationDeleted, nil).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Info("organization delete: no subscription workflow to end", "workflow_id", id, "error", err)
		}
	}
}
