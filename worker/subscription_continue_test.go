package worker_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker"
	"github.com/clientflow/clientflow/worker/temporaltest"
	"github.com/clientflow/clientflow/workflows"
)

// TestSubscriptionContinuesAsNewOnDevServer runs the Subscription workflow on a server that suggests
// continue-as-new after 40 history events (production: thousands), so a burst of Stripe events makes it
// continue several times. The trial reminder already sent is not sent again, and every event is applied
// exactly once, including those still pending in the channel when a run ended.
func TestSubscriptionContinuesAsNewOnDevServer(t *testing.T) {
	srv := temporaltest.MustStart(t, "limit.historyCount.suggestContinueAsNew=40")
	db := storetest.MustOpen(t)
	ctx := context.Background()
	orgID := billingOrg(t, db, "Long-lived")
	// The reminder is due 3 days before the trial's end: in two seconds.
	_, err := db.Owner.Bun().ExecContext(ctx, "UPDATE subscriptions SET trial_ends_at = now() + interval '3 days 2 seconds' WHERE organization_id = ?", orgID)
	require.NoError(t, err)

	const queue = "subscription-continue-test"
	w := worker.New(srv.Client(), queue, billingActivities(db))
	require.NoError(t, w.Start())
	defer w.Stop()
	starter := worker.Starter{Client: srv.Client(), TaskQueue: queue}
	require.NoError(t, starter.StartSubscription(ctx, orgID))
	eventually(t, "the trial reminder is out", func() bool { return emailsLike(t, db, "trial-ending/"+orgID) == 1 })

	const events = 12
	for i := range events {
		require.NoError(t, starter.DeliverStripeEvent(ctx, domain.StripeEvent{ID: fmt.Sprintf("evt_pm_%02d", i),
			Type: domain.StripePaymentMethodUpdated, Created: time.Now(), OrganizationID: orgID, CardBrand: "visa", CardLast4: "4242"}))
	}
	eventually(t, "every event is applied", func() bool { return emailsLike(t, db, "payment-method/evt_pm_") == events })
	for i := range events {
		assert.Equal(t, 1, emailsLike(t, db, fmt.Sprintf("payment-method/evt_pm_%02d/", i)), "event %d applied once", i)
	}

	// Visibility is eventually consistent: wait until it lists the first run as continued and one running.
	var first, running *workflowpb.WorkflowExecutionInfo
	eventually(t, "the workflow continued as new", func() bool {
		first, running = nil, nil
		for _, r := range subscriptionRuns(t, srv.Client().WorkflowService(), workflows.SubscriptionWorkflowID(orgID)) {
			switch r.GetStatus() {
			case enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW:
				if first == nil || r.GetStartTime().AsTime().Before(first.GetStartTime().AsTime()) {
					first = r
				}
			case enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
				running = r
			}
		}
		return first != nil && running != nil
	})
	latest := subscriptionInput(t, srv.Client().WorkflowService(), workflows.SubscriptionWorkflowID(orgID), running.GetExecution().GetRunId())
	assert.True(t, latest.ReminderSent, "the reminder's progress is carried into the new run")
	assert.False(t, latest.TrialHandled, "the trial has not ended yet")
	assert.Equal(t, orgID, latest.OrganizationID)
	time.Sleep(time.Second)
	assert.Equal(t, 1, emailsLike(t, db, "trial-ending/"+orgID), "no run sends the reminder again")
	recordHistory(t, srv.Client(), workflows.SubscriptionWorkflowID(orgID), first.GetExecution().GetRunId(), "subscription_continued")
}

// subscriptionRuns lists every run of workflow id.
func subscriptionRuns(t *testing.T, svc workflowservice.WorkflowServiceClient, id string) []*workflowpb.WorkflowExecutionInfo {
	t.Helper()
	resp, err := svc.ListWorkflowExecutions(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
		Namespace: temporaltest.Namespace, Query: "WorkflowId = '" + id + "'"})
	require.NoError(t, err)
	return resp.Executions
}

// subscriptionInput decodes the input a run of the Subscription workflow started with.
func subscriptionInput(t *testing.T, svc workflowservice.WorkflowServiceClient, id, runID string) workflows.SubscriptionInput {
	t.Helper()
	resp, err := svc.GetWorkflowExecutionHistory(context.Background(), &workflowservice.GetWorkflowExecutionHistoryRequest{
		Namespace: temporaltest.Namespace, Execution: &commonpb.WorkflowExecution{WorkflowId: id, RunId: runID}, MaximumPageSize: 1})
	require.NoError(t, err)
	started := resp.GetHistory().GetEvents()[0].GetWorkflowExecutionStartedEventAttributes()
	var in workflows.SubscriptionInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(started.GetInput(), &in))
	return in
}
