package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// SetStripeCustomer records orgID's Stripe customer unless it already has one, and returns the customer id
// that is now on record (the earlier one when two requests raced to create it).
func (db *DB) SetStripeCustomer(ctx context.Context, orgID, customerID string) (string, error) {
	var out string
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(`UPDATE subscriptions SET stripe_customer_id = coalesce(stripe_customer_id, ?), updated_at = now()
			WHERE organization_id = ? RETURNING stripe_customer_id`, customerID, orgID).Scan(ctx, &out)
	})
	return out, mapError(err, "Organization not found.")
}

// OrganizationForStripeCustomer returns the organization whose subscription has customerID, "" when none.
// The stripe_customer_lookup policy lets exactly that row be read without a tenant in scope.
func (db *DB) OrganizationForStripeCustomer(ctx context.Context, customerID string) (string, error) {
	if customerID == "" {
		return "", nil
	}
	var orgID string
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT set_config('app.stripe_customer', ?, true)", customerID); err != nil {
			return err
		}
		return tx.NewRaw("SELECT organization_id FROM subscriptions WHERE stripe_customer_id = ?", customerID).Scan(ctx, &orgID)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return orgID, err
}

// RecordStripeEvent stores a verified webhook event under its unique id, before anything acts on it, and
// reports whether it had already been dispatched to its workflow (a duplicate delivery to answer 2xx
// without acting again). An event stored but not yet dispatched (the last delivery failed half-way) is
// dispatched again.
func (db *DB) RecordStripeEvent(ctx context.Context, id, typ string, created time.Time, payload json.RawMessage) (dispatched bool, err error) {
	err = db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewRaw(`INSERT INTO stripe_events (id, type, created, payload) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`, id, typ, created, string(payload)).Exec(ctx); err != nil {
			return err
		}
		var at *time.Time
		if err := tx.NewRaw("SELECT dispatched_at FROM stripe_events WHERE id = ?", id).Scan(ctx, &at); err != nil {
			return err
		}
		dispatched = at != nil
		return nil
	})
	return dispatched, mapError(err, "Event not found.")
}

// MarkStripeEventDispatched records that the event reached its workflow.
func (db *DB) MarkStripeEventDispatched(ctx context.Context, id string) error {
	_, err := db.bun.NewRaw("UPDATE stripe_events SET dispatched_at = now() WHERE id = ? AND dispatched_at IS NULL", id).Exec(ctx)
	return err
}

// StripeSubscriptionState is a Stripe subscription's state as of an event.
type StripeSubscriptionState struct {
	EventAt           time.Time
	CustomerID        string
	SubscriptionID    string
	Status            string
	PlanID            string
	CurrentPeriodEnd  *time.Time
	CancelAtPeriodEnd bool
}

// ApplyStripeSubscription sets orgID's subscription from a Stripe event, unless a newer event was already
// applied: replays and out-of-order deliveries therefore end in the state of the newest event. Events of the
// same second (Stripe's timestamps have no finer grain, and deliveries are unordered) apply only when their
// status ranks at least as high as the stored one (domain.SubscriptionStatusRank): canceled, since a
// deleted subscription never comes back, then active, then past_due. A subscription the
// dunning restricted stays restricted while Stripe still calls it past_due (only a payment, which makes it
// active, lifts that). It reports whether the state changed.
func (db *DB) ApplyStripeSubscription(ctx context.Context, orgID string, st StripeSubscriptionState) (bool, error) {
	var applied bool
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		before, err := auditSubscription(ctx, tx, orgID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		res, err := tx.NewRaw(`UPDATE subscriptions SET
				status = ?, plan_id = coalesce(nullif(?, ''), plan_id), current_period_end = coalesce(?, current_period_end),
				cancel_at_period_end = ?, stripe_subscription_id = ?,
				stripe_customer_id = coalesce(stripe_customer_id, nullif(?, '')), stripe_event_at = ?, updated_at = now()
			WHERE organization_id = ?
			  AND (stripe_event_at IS NULL OR stripe_event_at < ?
			       OR (stripe_event_at = ? AND `+statusRankSQL+` <= ?))
			  AND NOT (status = 'restricted' AND ? = 'past_due')`,
			st.Status, st.PlanID, st.CurrentPeriodEnd, st.CancelAtPeriodEnd, st.SubscriptionID, st.CustomerID, st.EventAt,
			orgID, st.EventAt, st.EventAt, domain.SubscriptionStatusRank(st.Status), st.Status).Exec(ctx)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if applied = n == 1; !applied {
			return nil
		}
		return auditSubscriptionChange(ctx, tx, orgID, before, "stripe")
	})
	return applied, mapError(err, "Organization not found.")
}

// statusRankSQL is domain.SubscriptionStatusRank of the stored status.
var statusRankSQL = fmt.Sprintf(`(CASE status WHEN '%s' THEN %d WHEN '%s' THEN %d WHEN '%s' THEN %d ELSE 0 END)`,
	domain.SubscriptionCanceled, domain.SubscriptionStatusRank(domain.SubscriptionCanceled),
	domain.SubscriptionActive, domain.SubscriptionStatusRank(domain.SubscriptionActive),
	domain.SubscriptionPastDue, domain.SubscriptionStatusRank(domain.SubscriptionPastDue))

// SetSubscriptionStatus moves orgID's subscription to status when it is currently one of from (a
// conditional update, so a late timer never undoes a payment). It reports whether it changed.
func (db *DB) SetSubscriptionStatus(ctx context.Context, orgID, status string, from ...string) (bool, error) {
	var changed bool
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewRaw(`UPDATE subscriptions SET status = ?, updated_at = now()
			WHERE organization_id = ? AND status IN (?)`, status, orgID, bun.In(from)).Exec(ctx)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		changed = n == 1
		return nil
	})
	return changed, mapError(err, "Organization not found.")
}
