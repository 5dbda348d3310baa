package worker_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker"
	"github.com/clientflow/clientflow/worker/temporaltest"
	"github.com/clientflow/clientflow/workflows"
)

// TestLegacyWorkflowIDsStillFoundOnDevServer starts workflows under the IDs used before kind/{id} (as
// running deployments have them) and checks the starters reach them instead of starting a duplicate under
// the new ID.
func TestLegacyWorkflowIDsStillFoundOnDevServer(t *testing.T) {
	srv := temporaltest.MustStart(t)
	db := storetest.MustOpen(t)
	ctx := context.Background()
	const queue = "legacy-id-test"
	w := worker.New(srv.Client(), queue, billingActivities(db))
	require.NoError(t, w.Start())
	defer w.Stop()
	c := srv.Client()
	starter := worker.Starter{Client: c, TaskQueue: queue, DunningDay: time.Hour}

	t.Run("a_legacy_subscription_takes_the_start_and_the_stripe_events", func(t *testing.T) {
		orgID := billingOrg(t, db, "Legacy Subscription")
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.LegacySubscriptionWorkflowID(orgID), TaskQueue: queue},
			"Subscription", workflows.SubscriptionInput{OrganizationID: orgID})
		require.NoError(t, err)

		require.NoError(t, starter.StartSubscription(ctx, orgID))
		ev := domain.StripeEvent{ID: "evt_legacy_sub", Type: domain.StripeSubscriptionUpdated, Created: time.Now().UTC().Truncate(time.Second),
			OrganizationID: orgID, CustomerID: "cus_legacy", SubscriptionID: "sub_legacy", SubscriptionStatus: "active", PlanID: "starter"}
		require.NoError(t, starter.DeliverStripeEvent(ctx, ev))

		eventually(t, "the legacy workflow applies the event", func() bool { return emailsLike(t, db, "subscription-changed/evt_legacy_sub/") == 1 })
		assert.Equal(t, domain.SubscriptionActive, subscriptionStatus(t, db, orgID))
		assertNoWorkflow(t, c, workflows.SubscriptionWorkflowID(orgID))
	})

	t.Run("a_running_legacy_dunning_takes_the_settlement", func(t *testing.T) {
		orgID := billingOrg(t, db, "Legacy Dunning")
		in := workflows.DunningInput{OrganizationID: orgID, InvoiceID: "in_legacy", AmountDue: 1900, Currency: "usd", DayLength: time.Hour}
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.LegacyDunningWorkflowID(in.InvoiceID), TaskQueue: queue},
			"Dunning", in)
		require.NoError(t, err)
		eventually(t, "the day-0 email is out", func() bool { return emailsLike(t, db, "dunning/in_legacy/day-0/") == 1 })

		paid := domain.StripeEvent{ID: "evt_legacy_paid", Type: domain.StripeInvoicePaid, Created: time.Now(), OrganizationID: orgID,
			InvoiceID: in.InvoiceID, AmountDue: 1900, Currency: "usd"}
		require.NoError(t, starter.DeliverStripeEvent(ctx, paid))
		waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		var res workflows.DunningResult
		require.NoError(t, run.Get(waitCtx, &res))
		assert.Equal(t, workflows.DunningResult{EmailsSent: 1, Paid: true}, res)

		// The dunning ended under its legacy ID: a late failure starts none under the new one.
		failed := paid
		failed.ID, failed.Type = "evt_legacy_failed", domain.StripeInvoicePaymentFailed
		require.NoError(t, starter.DeliverStripeEvent(ctx, failed))
		assertNoWorkflow(t, c, workflows.DunningWorkflowID(in.InvoiceID))
	})

	t.Run("a_running_legacy_purge_takes_the_wake_up", func(t *testing.T) {
		// No worker polls this queue, so the legacy purge stays running while the starter looks for it.
		idle := worker.Starter{Client: c, TaskQueue: "legacy-id-idle"}
		orgID := billingOrg(t, db, "Legacy Purge")
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.LegacyPurgeFilesWorkflowID(orgID), TaskQueue: idle.TaskQueue},
			"PurgeFiles", workflows.PurgeFilesInput{OrganizationID: orgID})
		require.NoError(t, err)

		require.NoError(t, idle.StartPurgeFiles(ctx, orgID))
		assert.Equal(t, 1, signalsReceived(t, c, workflows.LegacyPurgeFilesWorkflowID(orgID), workflows.SignalPurgeFiles))
		assertNoWorkflow(t, c, workflows.PurgeFilesWorkflowID(orgID))
	})

	t.Run("new_organizations_get_kind_slash_id", func(t *testing.T) {
		orgID := billingOrg(t, db, "New Subscription")
		require.NoError(t, starter.StartSubscription(ctx, orgID))
		desc, err := c.DescribeWorkflowExecution(ctx, workflows.SubscriptionWorkflowID(orgID), "")
		require.NoError(t, err)
		assert.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, desc.GetWorkflowExecutionInfo().GetStatus())
		assert.Equal(t, "subscription/"+orgID, workflows.SubscriptionWorkflowID(orgID))
		assertNoWorkflow(t, c, workflows.LegacySubscriptionWorkflowID(orgID))
	})
}

// assertNoWorkflow fails when any execution exists under id.
func assertNoWorkflow(t *testing.T, c client.Client, id string) {
	t.Helper()
	_, err := c.DescribeWorkflowExecution(context.Background(), id, "")
	var notFound *serviceerror.NotFound
	assert.ErrorAs(t, err, &notFound, "a workflow was started under %s", id)
}

// signalsReceived counts the signals named signal in the history of workflow id.
func signalsReceived(t *testing.T, c client.Client, id, signal string) int {
	t.Helper()
	n := 0
	it := c.GetWorkflowHistory(context.Background(), id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(t, err)
		if ev.GetWorkflowExecutionSignaledEventAttributes().GetSignalName() == signal {
			n++
		}
	}
	return n
}
