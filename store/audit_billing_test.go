package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// Plan changes and cancellations Stripe reports reach the audit log as the system's, once per change.
func TestStripeSubscriptionChangesAreAudited(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	u, org := mustUserAndOrg(t, d.App, "stripe-audit@example.com")
	at := time.Now().UTC().Truncate(time.Second)
	apply := func(st store.StripeSubscriptionState) {
		t.Helper()
		if _, err := d.App.ApplyStripeSubscription(ctx, org.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	rows := func(action string) []*domain.AuditEntry {
		t.Helper()
		out, _, err := d.App.AuditLog(ctx, org.ID, u.ID, domain.AuditFilter{Action: action, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	apply(store.StripeSubscriptionState{EventAt: at, SubscriptionID: "sub_1", Status: domain.SubscriptionActive, PlanID: "starter"})
	changed := rows(domain.AuditBillingPlanChanged)
	if len(changed) != 1 {
		t.Fatalf("plan changes: %d rows, want 1", len(changed))
	}
	if got := changed[0].Metadata["after"].(map[string]any)["plan_id"]; got != "starter" || changed[0].Metadata["source"] != "stripe" ||
		changed[0].ActorID != "" {
		t.Fatalf("plan change row: %+v", changed[0])
	}

	// A replay of the same event changes nothing and logs nothing.
	apply(store.StripeSubscriptionState{EventAt: at, SubscriptionID: "sub_1", Status: domain.SubscriptionActive, PlanID: "starter"})
	if n := len(rows(domain.AuditBillingPlanChanged)); n != 1 {
		t.Fatalf("after a replay: %d plan change rows, want 1", n)
	}

	apply(store.StripeSubscriptionState{EventAt: at.Add(time.Second), SubscriptionID: "sub_1", Status: domain.SubscriptionActive,
		PlanID: "starter", CancelAtPeriodEnd: true})
	canceled := rows(domain.AuditBillingSubscriptionCanceled)
	if len(canceled) != 1 || canceled[0].Metadata["after"].(map[string]any)["cancel_at_period_end"] != true {
		t.Fatalf("cancellation rows: %+v", canceled)
	}
}
