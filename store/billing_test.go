package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

func TestBillingStore(t *testing.T) {
	t.Parallel()
	d := storetest.MustOpen(t)
	ctx := context.Background()

	t.Run("subscription_deleted_before_updated_ends_canceled", func(t *testing.T) {
		_, org := mustUserAndOrg(t, d.App, "order@example.com")
		t0 := time.Now().UTC().Truncate(time.Second)
		deleted := store.StripeSubscriptionState{EventAt: t0, CustomerID: "cus_o", SubscriptionID: "sub_o",
			Status: domain.SubscriptionCanceled, PlanID: domain.PlanStarter}
		updated := deleted
		updated.EventAt, updated.Status = t0.Add(-time.Second), domain.SubscriptionActive

		applied, err := d.App.ApplyStripeSubscription(ctx, org.ID, deleted)
		require.NoError(t, err)
		assert.True(t, applied)
		applied, err = d.App.ApplyStripeSubscription(ctx, org.ID, updated)
		require.NoError(t, err)
		assert.False(t, applied, "an older event never overwrites a newer state")
		sameSecond := updated
		sameSecond.EventAt = t0
		applied, err = d.App.ApplyStripeSubscription(ctx, org.ID, sameSecond)
		require.NoError(t, err)
		assert.False(t, applied, "at the same second a cancellation wins")

		s, err := d.App.Subscription(ctx, org.ID)
		require.NoError(t, err)
		assert.Equal(t, domain.SubscriptionCanceled, s.Status)
		assert.Equal(t, "cus_o", s.StripeCustomerID)
	})

	t.Run("events_of_the_same_second_keep_the_highest_ranked_status_in_either_order", func(t *testing.T) {
		created := store.StripeSubscriptionState{SubscriptionID: "sub_s", Status: domain.SubscriptionPastDue, PlanID: domain.PlanStarter}
		updated := created
		updated.Status = domain.SubscriptionActive
		deleted := created
		deleted.Status = domain.SubscriptionCanceled
		for _, tc := range []struct {
			name   string
			events []store.StripeSubscriptionState
			want   string
		}{
			{"created_then_updated", []store.StripeSubscriptionState{created, updated}, domain.SubscriptionActive},
			{"updated_then_created", []store.StripeSubscriptionState{updated, created}, domain.SubscriptionActive},
			{"deleted_then_updated", []store.StripeSubscriptionState{deleted, updated}, domain.SubscriptionCanceled},
			{"updated_then_deleted", []store.StripeSubscriptionState{updated, deleted}, domain.SubscriptionCanceled},
			{"past_due_then_trialing", []store.StripeSubscriptionState{created, {SubscriptionID: "sub_s",
				Status: domain.SubscriptionTrialing}}, domain.SubscriptionPastDue},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, org := mustUserAndOrg(t, d.App, "same-second-"+tc.name+"@example.com")
				t0 := time.Now().UTC().Truncate(time.Second)
				for _, st := range tc.events {
					st.EventAt = t0
					_, err := d.App.ApplyStripeSubscription(ctx, org.ID, st)
					require.NoError(t, err)
				}
				s, err := d.App.Subscription(ctx, org.ID)
				require.NoError(t, err)
				assert.Equal(t, tc.want, s.Status)
			})
		}
	})

	t.Run("replaying_older_events_five_times_leaves_the_newest_state", func(t *testing.T) {
		_, org := mustUserAndOrg(t, d.App, "replay@example.com")
		t0 := time.Now().UTC().Truncate(time.Second)
		active := store.StripeSubscriptionState{EventAt: t0, SubscriptionID: "sub_r", Status: domain.SubscriptionActive,
			PlanID: domain.PlanStarter}
		pastDue := active
		pastDue.EventAt, pastDue.Status, pastDue.PlanID = t0.Add(time.Minute), domain.SubscriptionPastDue, domain.PlanProfessional
		for _, st := range []store.StripeSubscriptionState{active, pastDue, active, active, active, active, active} {
			_, err := d.App.ApplyStripeSubscription(ctx, org.ID, st)
			require.NoError(t, err)
		}
		s, err := d.App.Subscription(ctx, org.ID)
		require.NoError(t, err)
		assert.Equal(t, domain.SubscriptionPastDue, s.Status)
		assert.Equal(t, domain.PlanProfessional, s.PlanID)
	})

	t.Run("a_restriction_by_dunning_holds_until_the_subscription_is_active_again", func(t *testing.T) {
		_, org := mustUserAndOrg(t, d.App, "dunned@example.com")
		t0 := time.Now().UTC().Truncate(time.Second)
		pastDue := store.StripeSubscriptionState{EventAt: t0, SubscriptionID: "sub_d", Status: domain.SubscriptionPastDue}
		_, err := d.App.ApplyStripeSubscription(ctx, org.ID, pastDue)
		require.NoError(t, err)
		changed, err := d.App.SetSubscriptionStatus(ctx, org.ID, domain.SubscriptionRestricted, domain.SubscriptionPastDue)
		require.NoError(t, err)
		require.True(t, changed)

		pastDue.EventAt = t0.Add(time.Hour)
		applied, err := d.App.ApplyStripeSubscription(ctx, org.ID, pastDue)
		require.NoError(t, err)
		assert.False(t, applied, "another failed retry keeps the organization read-only")
		active := pastDue
		active.EventAt, active.Status = t0.Add(2*time.Hour), domain.SubscriptionActive
		applied, err = d.App.ApplyStripeSubscription(ctx, org.ID, active)
		require.NoError(t, err)
		assert.True(t, applied)
		s, err := d.App.Subscription(ctx, org.ID)
		require.NoError(t, err)
		assert.True(t, s.Writable(time.Now()))
	})

	t.Run("a_stripe_customer_is_recorded_once_and_resolves_to_its_organization_only", func(t *testing.T) {
		_, org := mustUserAndOrg(t, d.App, "customer@example.com")
		id, err := d.App.SetStripeCustomer(ctx, org.ID, "cus_first")
		require.NoError(t, err)
		assert.Equal(t, "cus_first", id)
		id, err = d.App.SetStripeCustomer(ctx, org.ID, "cus_second")
		require.NoError(t, err)
		assert.Equal(t, "cus_first", id, "a racing second create keeps the first customer")

		got, err := d.App.OrganizationForStripeCustomer(ctx, "cus_first")
		require.NoError(t, err)
		assert.Equal(t, org.ID, got)
		got, err = d.App.OrganizationForStripeCustomer(ctx, "cus_unknown")
		require.NoError(t, err)
		assert.Empty(t, got)
	})

	t.Run("the_app_role_can_store_events_but_never_read_their_payloads", func(t *testing.T) {
		dispatched, err := d.App.RecordStripeEvent(ctx, "evt_private", "invoice.paid", time.Now(), []byte(`{"secret":"x"}`))
		require.NoError(t, err)
		assert.False(t, dispatched)
		require.NoError(t, d.App.MarkStripeEventDispatched(ctx, "evt_private"))
		dispatched, err = d.App.RecordStripeEvent(ctx, "evt_private", "invoice.paid", time.Now(), []byte(`{}`))
		require.NoError(t, err)
		assert.True(t, dispatched)
		var payload string
		err = d.App.Bun().NewRaw("SELECT payload::text FROM stripe_events WHERE id = 'evt_private'").Scan(ctx, &payload)
		require.Error(t, err, "payloads are readable by the owner role only")
	})

	t.Run("a_write_without_an_alert_collector_leaves_the_alert_to_the_next_one_with", func(t *testing.T) {
		u, org := mustUserAndOrg(t, d.App, "alerts@example.com")
		_, err := d.Owner.Bun().ExecContext(ctx, "UPDATE subscriptions SET plan_id = 'starter', status = 'active' WHERE organization_id = ?", org.ID)
		require.NoError(t, err)
		for i := range 16 { // 16 of the starter plan's 20 clients: 80 per cent, e.g. from a background job
			require.NoError(t, d.App.CreateClient(ctx, org.ID, u.ID, &domain.Client{Name: fmt.Sprintf("Client %d", i)}))
		}
		var markers int
		require.NoError(t, d.Owner.Bun().NewRaw("SELECT count(*) FROM usage_alerts WHERE organization_id = ?", org.ID).Scan(ctx, &markers))
		assert.Zero(t, markers, "no marker without anyone to email")

		withAlerts, alerts := store.WithUsageAlerts(ctx)
		require.NoError(t, d.App.CreateClient(withAlerts, org.ID, u.ID, &domain.Client{Name: "Client 16"}))
		require.Len(t, alerts.Alerts(), 1)
		assert.Equal(t, 80, alerts.Alerts()[0].Threshold)
		assert.Equal(t, domain.LimitClients, alerts.Alerts()[0].Metric)

		withAlerts, alerts = store.WithUsageAlerts(ctx)
		require.NoError(t, d.App.CreateClient(withAlerts, org.ID, u.ID, &domain.Client{Name: "Client 17"}))
		assert.Empty(t, alerts.Alerts(), "once per period")
	})

	t.Run("the_app_role_cannot_change_plans", func(t *testing.T) {
		_, err := d.App.Bun().ExecContext(ctx, "UPDATE plans SET clients = NULL")
		require.Error(t, err)
	})

	t.Run("every_organization_gets_a_trial_of_professional", func(t *testing.T) {
		_, org := mustUserAndOrg(t, d.App, "trial@example.com")
		s, err := d.App.Subscription(ctx, org.ID)
		require.NoError(t, err)
		assert.Equal(t, domain.SubscriptionTrialing, s.Status)
		assert.Equal(t, domain.PlanProfessional, s.PlanID)
		require.NotNil(t, s.TrialEndsAt)
		assert.WithinDuration(t, time.Now().Add(domain.DefaultTrial), *s.TrialEndsAt, time.Minute)
	})
}
