package store

import (
	"context"
	"time"
)

// StripeBacklogAge is how long the oldest Stripe event not yet handed to its workflow has waited; zero
// when none. The webhook dispatches before it answers, so an event waits only while that failed (Temporal
// down) and Stripe's retry has not come yet.
func (db *DB) StripeBacklogAge(ctx context.Context) (time.Duration, error) {
	var secs float64
	err := db.bun.NewRaw(`SELECT coalesce(extract(epoch FROM now() - min(received_at)), 0)::float8
		FROM stripe_events WHERE dispatched_at IS NULL`).Scan(ctx, &secs)
	return time.Duration(secs * float64(time.Second)), err
}
