package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
)

// The worker's side of outbound webhooks: the fan-out's inserts and what each delivery try reads and records.
// The settings pages' side (endpoints, the log, pings and replays) is in webhook.go.

// WebhookSubscriber is an enabled endpoint and the event types it subscribed to.
type WebhookSubscriber struct {
	EndpointID string
	Events     []string
}

// webhookSubscribersSQL finds the enabled endpoints subscribed to any of the batch's types through the
// partial GIN index webhook_endpoints_events_idx (events && …, WHERE enabled), while the organization's
// plan includes api_access: after a downgrade the endpoints stay (an upgrade brings them back) but
// receive nothing, as the key and webhook routes answer 402.
const webhookSubscribersSQL = `SELECT id::text, events FROM webhook_endpoints
	WHERE organization_id = $1 AND enabled AND events && $2::text[]
	  AND EXISTS (SELECT 1 FROM subscriptions sub JOIN plans p ON p.id = sub.plan_id
	              WHERE sub.organization_id = $1 AND '` + domain.FeatureAPIAccess + `' = ANY (p.features))
	ORDER BY created_at, id`

// WebhookSubscribers lists orgID's enabled endpoints subscribed to at least one of types, in one query.
func (db *DB) WebhookSubscribers(ctx context.Context, orgID string, types []string) ([]WebhookSubscriber, error) {
	var out []WebhookSubscriber
	err := db.tenantQuery(ctx, orgID, "", webhookSubscribersSQL, []any{orgID, types}, func(r pgx.Rows) error {
		for r.Next() {
			var s WebhookSubscriber
			if err := r.Scan(&s.EndpointID, &s.Events); err != nil {
				return err
			}
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

// NewWebhookDelivery is a first delivery of an event to an endpoint, as the fan-out creates it.
type NewWebhookDelivery struct {
	EndpointID, EventID, EventType string
	// Body is the envelope JSON, stored as sent (and signed) on every try.
	Body []byte
}

// CreateWebhookDeliveries inserts the first delivery of each event to each endpoint of ds, pending, and
// returns the ids of those among them still pending, whether inserted now or by an earlier run: the insert
// skips what the unique first-delivery index already holds, so a fan-out retried after a partial run creates
// nothing twice yet still learns every delivery it has to start. An endpoint deleted meanwhile fails the whole
// insert (ENOTFOUND); the caller's retry no longer finds it subscribed.
func (db *DB) CreateWebhookDeliveries(ctx context.Context, orgID string, ds []NewWebhookDelivery) ([]string, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	ids, endpoints, events, types, bodies := make([]string, len(ds)), make([]string, len(ds)), make([]string, len(ds)),
		make([]string, len(ds)), make([]string, len(ds))
	for i, d := range ds {
		ids[i], endpoints[i], events[i], types[i], bodies[i] = newID(), d.EndpointID, d.EventID, d.EventType, string(d.Body)
	}
	var pending []string
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (organization_id, id, endpoint_id, event_id, event_type, body)
			SELECT ?, d.id, d.endpoint_id, d.event_id, d.event_type, d.body
			FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::jsonb[]) AS d (id, endpoint_id, event_id, event_type, body)
			ORDER BY d.id
			ON CONFLICT (organization_id, endpoint_id, event_id) WHERE replay_of IS NULL DO NOTHING`,
			orgID, pgdialect.Array(ids), pgdialect.Array(endpoints), pgdialect.Array(events), pgdialect.Array(types),
			pgdialect.Array(bodies)); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT w.id::text FROM webhook_deliveries w
			JOIN unnest(?::uuid[], ?::uuid[]) AS d (endpoint_id, event_id) ON w.endpoint_id = d.endpoint_id AND w.event_id = d.event_id
			WHERE w.organization_id = ? AND w.replay_of IS NULL AND w.status = 'pending' ORDER BY w.id`,
			pgdialect.Array(endpoints), pgdialect.Array(events), orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			pending = append(pending, id)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return pruneWebhookDeliveries(ctx, tx, orgID, endpoints)
	})
	return pending, mapError(err, webhookDeliveryGone)
}

// WebhookDeliveryRetention is how long the delivery log keeps a finished delivery (with its tries).
const WebhookDeliveryRetention = 30 * 24 * time.Hour

// webhookPruneBatch bounds each prune: a fan-out batch adds at most 100 deliveries per endpoint, so removing
// up to 500 finished ones per batch keeps the log at its retention without a sweep of its own.
const webhookPruneBatch = 500

// pruneWebhookDeliveries removes the oldest finished deliveries of the endpoints past the retention, in the
// fan-out's transaction (the log index yields them oldest first; UUIDv7 ids follow creation order).
func pruneWebhookDeliveries(ctx context.Context, tx bun.Tx, orgID string, endpoints []string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE organization_id = ? AND id IN (
			SELECT id FROM webhook_deliveries
			WHERE organization_id = ? AND endpoint_id = ANY (?::uuid[]) AND status <> 'pending' AND created_at < ?
			ORDER BY id LIMIT ?)`,
		orgID, orgID, pgdialect.Array(endpoints), time.Now().Add(-WebhookDeliveryRetention), webhookPruneBatch)
	return err
}

const webhookDeliveryGone = "Webhook delivery not found."

// WebhookSend is what one try of a delivery needs: the stored body, its endpoint's URL and sealed secrets.
type WebhookSend struct {
	DeliveryID, EndpointID, EventID, EventType, Status string
	Body                                               []byte
	URL                                                string
	Enabled                                            bool
	// Secret and PreviousSecret are sealed (domain.OpenWebhookSecret); PreviousSecret is nil unless it still
	// signs, i.e. its grace period (previous_secret_expires_at) has not ended at the database's clock.
	Secret, PreviousSecret []byte
}

const webhookSendSQL = `SELECT w.endpoint_id::text, w.event_id::text, w.event_type, w.status, w.body::text, e.url, e.enabled,
		e.secret, CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END
	FROM webhook_deliveries w JOIN webhook_endpoints e ON e.organization_id = w.organization_id AND e.id = w.endpoint_id
	WHERE w.organization_id = $1 AND w.id = $2`

// WebhookSendFor reads delivery deliveryID of orgID with its endpoint. Errors: ENOTFOUND (the delivery is
// gone: its endpoint or organization was deleted, which deletes its deliveries).
func (db *DB) WebhookSendFor(ctx context.Context, orgID, deliveryID string) (*WebhookSend, error) {
	if !validUUID(deliveryID) {
		return nil, domain.Errorf(domain.ENOTFOUND, webhookDeliveryGone)
	}
	var s *WebhookSend
	err := db.tenantQuery(ctx, orgID, "", webhookSendSQL, []any{orgID, deliveryID}, func(r pgx.Rows) error {
		for r.Next() {
			s = &WebhookSend{DeliveryID: deliveryID}
			var body string
			if err := r.Scan(&s.EndpointID, &s.EventID, &s.EventType, &s.Status, &body, &s.URL, &s.Enabled,
				&s.Secret, &s.PreviousSecret); err != nil {
				return err
			}
			s.Body = []byte(body)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, webhookDeliveryGone)
	}
	return s, nil
}

// WebhookTry is the outcome of one try of a delivery.
type WebhookTry struct {
	// Attempt is the try's number (the activity's attempt, from 1).
	Attempt int
	// StatusCode is the receiver's HTTP status, 0 when it gave none (refused address, network, timeout).
	StatusCode      int
	Error           string
	ResponseExcerpt string
	Duration        time.Duration
	StartedAt       time.Time
	// NextAttemptAt is when the next try is due, nil when none will follow.
	NextAttemptAt *time.Time
	// Delivered marks a 2xx: the delivery is done.
	Delivered bool
}

// RecordWebhookTry records try t of delivery deliveryID and its effect on the delivery, in one transaction.
// The attempt row is keyed by (delivery, attempt) and upserted, so a try recorded twice (an activity
// retried after its result was lost) is one row. A success marks the delivery delivered unless it already
// is (so a replayed success is counted once) and, for an event (never a ping), ends the endpoint's run of
// failures; a failed try updates only a delivery still pending.
func (db *DB) RecordWebhookTry(ctx context.Context, orgID, deliveryID string, t WebhookTry) error {
	if !validUUID(deliveryID) {
		return domain.Errorf(domain.ENOTFOUND, webhookDeliveryGone)
	}
	var status *int
	if t.StatusCode != 0 {
		status = &t.StatusCode
	}
	errText, excerpt := nullText(clipRunes(t.Error, 1000)), nullText(clipRunes(t.ResponseExcerpt, 2000))
	ms := int(t.Duration.Milliseconds())
	started := t.StartedAt.UTC()
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_delivery_attempts (organization_id, delivery_id, attempt,
				status_code, error, response_excerpt, duration_ms, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (organization_id, delivery_id, attempt) DO UPDATE SET status_code = EXCLUDED.status_code,
				error = EXCLUDED.error, response_excerpt = EXCLUDED.response_excerpt, duration_ms = EXCLUDED.duration_ms,
				started_at = EXCLUDED.started_at`,
			orgID, deliveryID, t.Attempt, status, errText, excerpt, ms, started); err != nil {
			return err
		}
		if !t.Delivered {
			_, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET attempts = greatest(attempts, ?),
				last_status_code = ?, last_error = ?, response_excerpt = ?, duration_ms = ?, next_attempt_at = ?
				WHERE organization_id = ? AND id = ? AND status = 'pending'`,
				t.Attempt, status, errText, excerpt, ms, t.NextAttemptAt, orgID, deliveryID)
			return err
		}
		var endpointID, eventType string
		err := tx.QueryRowContext(ctx, `UPDATE webhook_deliveries SET status = 'delivered', attempts = greatest(attempts, ?),
				last_status_code = ?, last_error = NULL, response_excerpt = ?, duration_ms = ?, next_attempt_at = NULL,
				completed_at = now()
			WHERE organization_id = ? AND id = ? AND status <> 'delivered' RETURNING endpoint_id::text, event_type`,
			t.Attempt, status, excerpt, ms, orgID, deliveryID).Scan(&endpointID, &eventType)
		if err != nil || eventType == domain.WebhookPing {
			if errors.Is(err, sql.ErrNoRows) {
				return nil // already delivered: recorded once
			}
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE webhook_endpoints SET failing_since = NULL
			WHERE organization_id = ? AND id = ? AND failing_since IS NOT NULL`, orgID, endpointID)
		return err
	})
	return mapError(err, webhookDeliveryGone)
}

// FailedWebhookDelivery is a delivery FailWebhookDelivery marked failed.
type FailedWebhookDelivery struct {
	EndpointID, EventType string
	// LastError is the last try's error ("" when it had none, e.g. an HTTP status without one).
	LastError string
	// LastStatusCode is the last try's HTTP status, 0 when it got none.
	LastStatusCode int
}

// FailWebhookDelivery marks delivery deliveryID failed (when still pending), with lastError when given, and
// returns it, also when an earlier call already marked it (so a retried caller carries on with what
// follows). Errors: ENOTFOUND (the delivery is gone).
func (db *DB) FailWebhookDelivery(ctx context.Context, orgID, deliveryID, lastError string) (*FailedWebhookDelivery, error) {
	if !validUUID(deliveryID) {
		return nil, domain.Errorf(domain.ENOTFOUND, webhookDeliveryGone)
	}
	var f FailedWebhookDelivery
	var errText *string
	var status *int
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'failed', completed_at = now(),
				next_attempt_at = NULL, last_error = coalesce(?, last_error)
			WHERE organization_id = ? AND id = ? AND status = 'pending'`,
			nullText(clipRunes(lastError, 1000)), orgID, deliveryID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT endpoint_id::text, event_type, last_error, last_status_code
			FROM webhook_deliveries WHERE organization_id = ? AND id = ?`, orgID, deliveryID).
			Scan(&f.EndpointID, &f.EventType, &errText, &status)
	})
	if err != nil {
		return nil, mapError(err, webhookDeliveryGone)
	}
	if errText != nil {
		f.LastError = *errText
	}
	if status != nil {
		f.LastStatusCode = *status
	}
	return &f, nil
}

// WebhookEndpointGone disables an endpoint whose receiver answered 410 Gone (disabled_reason 'gone'), unless
// it is already disabled.
func (db *DB) WebhookEndpointGone(ctx context.Context, orgID, endpointID string) error {
	if !validUUID(endpointID) {
		return nil
	}
	return db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'gone', updated_at = now()
			WHERE organization_id = ? AND id = ? AND enabled`, orgID, endpointID)
		return err
	})
}

// WebhookFailing is an endpoint's state after a failed delivery was counted against it.
type WebhookFailing struct {
	URL     string
	Enabled bool
	// DisabledReason is "manual", "gone" or "failing" while disabled.
	DisabledReason string
	// FailingSince starts the current run of failures (nil only for an endpoint disabled before any).
	FailingSince *time.Time
}

// WebhookEndpointFailed counts a failed delivery against endpointID at now: an enabled endpoint's run of
// failures starts now unless one already runs, and an endpoint failing for longer than disableAfter is
// disabled with reason 'failing'. All of it in one transaction, and idempotent: called again, it changes
// nothing more and answers the same state, so a retried caller can finish its emails. Errors: ENOTFOUND.
func (db *DB) WebhookEndpointFailed(ctx context.Context, orgID, endpointID string, now time.Time, disableAfter time.Duration) (*WebhookFailing, error) {
	if !validUUID(endpointID) {
		return nil, domain.Errorf(domain.ENOTFOUND, webhookEndpointGone)
	}
	var f WebhookFailing
	var reason *string
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, ?)
			WHERE organization_id = ? AND id = ? AND enabled`, now.UTC(), orgID, endpointID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'failing', updated_at = ?
			WHERE organization_id = ? AND id = ? AND enabled AND failing_since <= ?`,
			now.UTC(), orgID, endpointID, now.Add(-disableAfter).UTC()); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT url, enabled, disabled_reason, failing_since FROM webhook_endpoints
			WHERE organization_id = ? AND id = ?`, orgID, endpointID).Scan(&f.URL, &f.Enabled, &reason, &f.FailingSince)
	})
	if reason != nil {
		f.DisabledReason = *reason
	}
	return &f, mapError(err, webhookEndpointGone)
}

const webhookEndpointGone = "Webhook endpoint not found."

// nullText is s, or NULL when empty.
func nullText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
