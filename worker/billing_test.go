package worker_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker"
	"github.com/clientflow/clientflow/worker/temporaltest"
	"github.com/clientflow/clientflow/workflows"
)

// billingOrg creates an owner and an organization (with its trialing subscription) for a billing test.
func billingOrg(t *testing.T, db *storetest.DB, name string) (orgID string) {
	t.Helper()
	ctx := context.Background()
	owner := &domain.User{Name: name + " Owner", Email: "owner-" + time.Now().Format("150405.000000") + "@example.com", PasswordHash: "x"}
	require.NoError(t, db.App.CreateUser(ctx, owner))
	org, err := db.App.CreateOrganization(ctx, name, owner.ID)
	require.NoError(t, err)
	return org.ID
}

func subscriptionStatus(t *testing.T, db *storetest.DB, orgID string) string {
	t.Helper()
	var status string
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT status FROM subscriptions WHERE organization_id = ?", orgID).
		Scan(context.Background(), &status))
	return status
}

// emailsLike counts outbox rows whose idempotency key starts with prefix.
func emailsLike(t *testing.T, db *storetest.DB, prefix string) int {
	t.Helper()
	var n int
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM email_outbox WHERE idempotency_key LIKE ?", prefix+"%").
		Scan(context.Background(), &n))
	return n
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for !cond() {
		require.True(t, time.Now().Before(deadline), "timed out waiting until %s", what)
		time.Sleep(100 * time.Millisecond)
	}
}

func billingActivities(db *storetest.DB) *activities.Activities {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &activities.Activities{
		DB: db.App, Email: email.NewSender(email.NewProvider(email.Config{}, nil, logger), activities.Outbox{DB: db.App}, logger),
		AppURL: "http://app.test", SessionSecret: "secret",
	}
}

// TestSubscriptionOnDevServer runs an organization's Subscription workflow through the real worker and
// database: a trial ending in seconds is reminded and restricted, then Stripe events arriving out of order
// leave the state of the newest one.
func TestSubscriptionOnDevServer(t *testing.T) {
	srv := temporaltest.MustStart(t)
	db := storetest.MustOpen(t)
	ctx := context.Background()
	orgID := billingOrg(t, db, "Trialing")
	_, err := db.Owner.Bun().ExecContext(ctx, "UPDATE subscriptions SET trial_ends_at = now() + interval '2 seconds' WHERE organization_id = ?", orgID)
	require.NoError(t, err)

	const queue = "subscription-test"
	w := worker.New(srv.Client(), queue, billingActivities(db))
	require.NoError(t, w.Start())
	defer w.Stop()
	starter := worker.Starter{Client: srv.Client(), TaskQueue: queue}
	require.NoError(t, starter.StartSubscription(ctx, orgID))
	require.NoError(t, starter.StartSubscription(ctx, orgID), "starting again joins the running workflow")

	eventually(t, "the trial ends restricted", func() bool { return subscriptionStatus(t, db, orgID) == domain.SubscriptionRestricted })
	eventually(t, "the restriction email is out", func() bool { return emailsLike(t, db, "restricted/trial/"+orgID) == 1 })
	assert.Equal(t, 1, emailsLike(t, db, "trial-ending/"+orgID))

	now := time.Now().UTC().Truncate(time.Second)
	deleted := domain.StripeEvent{ID: "evt_deleted", Type: domain.StripeSubscriptionDeleted, Created: now,
		OrganizationID: orgID, CustomerID: "cus_dev", SubscriptionID: "sub_dev", SubscriptionStatus: "canceled"}
	updated := domain.StripeEvent{ID: "evt_updated", Type: domain.StripeSubscriptionUpdated, Created: now.Add(-time.Minute),
		OrganizationID: orgID, CustomerID: "cus_dev", SubscriptionID: "sub_dev", SubscriptionStatus: "active", PlanID: "starter"}
	require.NoError(t, starter.DeliverStripeEvent(ctx, deleted))
	require.NoError(t, starter.DeliverStripeEvent(ctx, updated))
	require.NoError(t, starter.DeliverStripeEvent(ctx, deleted))
	eventually(t, "the events are applied", func() bool { return emailsLike(t, db, "subscription-changed/evt_deleted/") == 1 })
	// The older update arrives last and must not resurrect the subscription.
	time.Sleep(time.Second)
	assert.Equal(t, domain.SubscriptionCanceled, subscriptionStatus(t, db, orgID))
	assert.Equal(t, 0, emailsLike(t, db, "subscription-changed/evt_updated/"))
	desc, err := srv.Client().DescribeWorkflowExecution(ctx, workflows.SubscriptionWorkflowID(orgID), "")
	require.NoError(t, err)
	assert.Contains(t, desc.WorkflowExecutionInfo.SearchAttributes.GetIndexedFields(), "OrganizationId")
	recordHistory(t, srv.Client(), workflows.SubscriptionWorkflowID(orgID), "", "subscription")
}

// TestDunningOnDevServer stops the worker in the middle of a dunning and starts another: the schedule
// resumes, every step's email goes out exactly once, and the organization is restricted after the grace.
func TestDunningOnDevServer(t *testing.T) {
	srv := temporaltest.MustStart(t)
	db := storetest.MustOpen(t)
	ctx := context.Background()
	orgID := billingOrg(t, db, "Dunned")
	_, err := db.Owner.Bun().ExecContext(ctx, "UPDATE subscriptions SET status = 'past_due' WHERE organization_id = ?", orgID)
	require.NoError(t, err)

	const queue = "dunning-test"
	first := worker.New(srv.Client(), queue, billingActivities(db))
	require.NoError(t, first.Start())
	day := 300 * time.Millisecond
	starter := worker.Starter{Client: srv.Client(), TaskQueue: queue, DunningDay: day}
	failed := domain.StripeEvent{ID: "evt_failed", Type: domain.StripeInvoicePaymentFailed, Created: time.Now(),
		OrganizationID: orgID, InvoiceID: "in_dev", AmountDue: 1900, Currency: "usd"}
	require.NoError(t, starter.DeliverStripeEvent(ctx, failed))
	eventually(t, "the day-0 email is out", func() bool { return emailsLike(t, db, "dunning/in_dev/day-0/") == 1 })
	first.Stop()
	time.Sleep(4 * day) // day 3 passes with no worker running

	second := worker.New(srv.Client(), queue, billingActivities(db))
	require.NoError(t, second.Start())
	defer second.Stop()
	require.NoError(t, starter.DeliverStripeEvent(ctx, failed), "a repeated failure joins the running dunning")
	var res workflows.DunningResult
	waitCtx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	require.NoError(t, srv.Client().GetWorkflow(ctx, workflows.DunningWorkflowID("in_dev"), "").Get(waitCtx, &res))
	recordHistory(t, srv.Client(), workflows.DunningWorkflowID("in_dev"), "", "dunning")

	assert.True(t, res.Restricted)
	for _, d := range []string{"0", "3", "7", "14"} {
		assert.Equal(t, 1, emailsLike(t, db, "dunning/in_dev/day-"+d+"/"), "day %s", d)
	}
	assert.Equal(t, domain.SubscriptionRestricted, subscriptionStatus(t, db, orgID))
	assert.Equal(t, 1, emailsLike(t, db, "restricted/invoice/in_dev/"))
}

// TestDunningAfterSettlementOnDevServer delivers an invoice's settlement before its payment failure (Stripe
// does not order deliveries, and retries a failed one later): the dunning ends before its day-0 email, and
// the late failure starts no second run.
func TestDunningAfterSettlementOnDevServer(t *testing.T) {
	srv := temporaltest.MustStart(t)
	db := storetest.MustOpen(t)
	ctx := context.Background()
	orgID := billingOrg(t, db, "Settled")
	_, err := db.Owner.Bun().ExecContext(ctx, "UPDATE subscriptions SET status = 'past_due' WHERE organization_id = ?", orgID)
	require.NoError(t, err)

	const queue = "dunning-settled-test"
	w := worker.New(srv.Client(), queue, billingActivities(db))
	require.NoError(t, w.Start())
	defer w.Stop()
	starter := worker.Starter{Client: srv.Client(), TaskQueue: queue, DunningDay: 300 * time.Millisecond}

	for _, settled := range []string{domain.StripeInvoicePaid, domain.StripeInvoiceVoided, domain.StripeInvoiceUncollectible} {
		t.Run(settled, func(t *testing.T) {
			invoice := "in_" + settled
			ev := domain.StripeEvent{ID: "evt_" + settled, Type: settled, Created: time.Now(), OrganizationID: orgID,
				InvoiceID: invoice, AmountDue: 1900, Currency: "usd"}
			require.NoError(t, starter.DeliverStripeEvent(ctx, ev))
			var res workflows.DunningResult
			waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			require.NoError(t, srv.Client().GetWorkflow(ctx, workflows.DunningWorkflowID(invoice), "").Get(waitCtx, &res))
			assert.Equal(t, workflows.DunningResult{Paid: true}, res)

			failed := ev
			failed.ID, failed.Type = "evt_failed_"+settled, domain.StripeInvoicePaymentFailed
			require.NoError(t, starter.DeliverStripeEvent(ctx, failed), "a failure after the settlement is accepted")
			require.NoError(t, starter.DeliverStripeEvent(ctx, failed), "and so is its retry")
			time.Sleep(time.Second)
			assert.Equal(t, 0, emailsLike(t, db, "dunning/"+invoice+"/"))
			runs, err := srv.Client().ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
				Query: "WorkflowId = '" + workflows.DunningWorkflowID(invoice) + "'"})
			require.NoError(t, err)
			assert.Len(t, runs.Executions, 1, "the ended dunning is never started again")
		})
	}
	assert.Equal(t, domain.SubscriptionPastDue, subscriptionStatus(t, db, orgID))
}

// TestRestrictForUnpaidInvoice restricts only a subscription that is still past due: a payment that made it
// active, or a cancellation, wins over a dunning that reached its grace end.
func TestRestrictForUnpaidInvoice(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	acts := billingActivities(db)
	var s testsuite.WorkflowTestSuite
	for status, want := range map[string]bool{"past_due": true, "active": false, "trialing": false, "canceled": false} {
		t.Run(status, func(t *testing.T) {
			orgID := billingOrg(t, db, "Grace "+status)
			_, err := db.Owner.Bun().ExecContext(ctx, "UPDATE subscriptions SET status = ? WHERE organization_id = ?", status, orgID)
			require.NoError(t, err)
			env := s.NewTestActivityEnvironment()
			env.RegisterActivity(acts)
			val, err := env.ExecuteActivity(acts.RestrictForUnpaidInvoice, orgID, "in_grace")
			require.NoError(t, err)
			var restricted bool
			require.NoError(t, val.Get(&restricted))
			assert.Equal(t, want, restricted)
			if !want {
				assert.Equal(t, status, subscriptionStatus(t, db, orgID))
			}
		})
	}
}
