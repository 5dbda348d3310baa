package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// queuedEventRow is a domain_event_queue row: a committed domain event the fan-out has not taken yet.
type queuedEventRow struct {
	EventID        string `bun:"event_id"`
	OrganizationID string `bun:"organization_id"`
}

// ClaimQueuedEvents hands up to limit queued domain events that are due, oldest first, to hand in one call
// (the relay starts one FanOut workflow with them), then deletes them; when hand fails they stay queued
// with their next attempt pushed back (1 s doubling, at most 5 min) and the error noted. Rows are claimed
// with FOR UPDATE SKIP LOCKED in one transaction, so several relays share the queue without taking the same
// event, and a relay that dies before its commit leaves its rows to the next pass: the hand-off is
// at-least-once, the fan-out is idempotent on the event id. It returns how many events were handed over.
func (db *DB) ClaimQueuedEvents(ctx context.Context, limit int, hand func(context.Context, []domain.EventRef) error) (int, error) {
	handed := 0
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var rows []queuedEventRow
		if err := tx.NewRaw(`SELECT event_id, organization_id FROM domain_event_queue
			WHERE next_attempt_at <= now() ORDER BY next_attempt_at, event_id LIMIT ? FOR UPDATE SKIP LOCKED`,
			limit).Scan(ctx, &rows); err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		refs, ids := make([]domain.EventRef, len(rows)), make([]string, len(rows))
		for i, r := range rows {
			refs[i], ids[i] = domain.EventRef{OrganizationID: r.OrganizationID, EventID: r.EventID}, r.EventID
		}
		if herr := hand(ctx, refs); herr != nil {
			return retryQueuedEvents(ctx, tx, ids, herr)
		}
		if _, err := tx.NewRaw("DELETE FROM domain_event_queue WHERE event_id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
			return err
		}
		handed = len(rows)
		return nil
	})
	return handed, err
}

// retryQueuedEvents records a failed hand-off of ids and when to try again.
func retryQueuedEvents(ctx context.Context, tx bun.Tx, ids []string, cause error) error {
	_, err := tx.NewRaw(`UPDATE domain_event_queue SET attempts = attempts + 1, last_error = left(?, 1000),
		next_attempt_at = now() + least(interval '1 second' * power(2, least(attempts, 9)), interval '5 minutes')
		WHERE event_id IN (?)`, cause.Error(), bun.In(ids)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: schedule domain event retry: %w", err)
	}
	return nil
}

// QueuedEventsAge is how long the oldest domain event still waiting for the fan-out has waited; zero when
// none.
func (db *DB) QueuedEventsAge(ctx context.Context) (time.Duration, error) {
	var secs float64
	err := db.bun.NewRaw(`SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
		FROM domain_event_queue`).Scan(ctx, &secs)
	return time.Duration(secs * float64(time.Second)), err
}
