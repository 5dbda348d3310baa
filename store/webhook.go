package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
)

// WebhookEndpoint is an organization's outbound webhook endpoint as the settings pages see it: never its
// signing secret, which is sealed in the row and shown only when it is made.
type WebhookEndpoint struct {
	ID, OrganizationID, URL, Description string
	Events                               []string
	Enabled                              bool
	// DisabledReason is "manual", "gone" (the receiver answered 410) or "failing" (24 hours of failures);
	// nil while enabled.
	DisabledReason *string
	// FailingSince starts the current run of failed deliveries; nil after a success.
	FailingSince *time.Time
	// SecretRotatedUntil is when the previous secret stops signing, while it still does.
	SecretRotatedUntil   *time.Time
	CreatedAt, UpdatedAt time.Time
	// LastDelivery is the newest delivery's status and time (completion, else creation); nil before any.
	LastDelivery *WebhookLastDelivery
}

// WebhookLastDelivery summarises an endpoint's newest delivery.
type WebhookLastDelivery struct {
	Status string
	At     time.Time
}

// WebhookDelivery is one delivery of one event to one endpoint (see the webhook_deliveries table).
// Body and Attempts are filled only by WebhookDelivery (one delivery), not by the log list.
type WebhookDelivery struct {
	ID, EndpointID, EventID, EventType, Status string
	AttemptCount                               int
	LastStatusCode                             *int
	LastError, ResponseExcerpt                 *string
	DurationMS                                 *int
	NextAttemptAt                              *time.Time
	ReplayOf                                   *string
	CreatedAt                                  time.Time
	CompletedAt                                *time.Time
	Body                                       json.RawMessage
	Attempts                                   []WebhookAttempt
}

// WebhookAttempt is one try of a delivery.
type WebhookAttempt struct {
	Attempt         int
	StatusCode      *int
	Error           *string
	ResponseExcerpt *string
	DurationMS      int
	StartedAt       time.Time
}

// WebhookDeliveryFilter selects a page of an endpoint's delivery log, newest first.
type WebhookDeliveryFilter struct {
	// Status and EventType narrow the log when set.
	Status, EventType string
	Limit             int
	Cursor            string
}

// MaxWebhookReplay bounds one "replay all failed since" request.
const MaxWebhookReplay = 1000

const (
	webhookEndpointNotFound = "Webhook endpoint not found."
	webhookDeliveryNotFound = "Webhook delivery not found."
)

// webhookEndpointColumns reads webhook_endpoints e with its newest delivery (the lateral join walks
// webhook_deliveries_log_idx backwards one row per endpoint, so a list costs one statement).
const webhookEndpointColumns = `e.id, e.organization_id, e.url, e.description, e.events, e.enabled, e.disabled_reason,
	e.failing_since, CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret_expires_at END,
	e.created_at, e.updated_at, ld.status, ld.at`

const webhookEndpointFrom = ` FROM webhook_endpoints e LEFT JOIN LATERAL (
	SELECT d.status, coalesce(d.completed_at, d.created_at) AS at FROM webhook_deliveries d
	WHERE d.organization_id = e.organization_id AND d.endpoint_id = e.id ORDER BY d.id DESC LIMIT 1) ld ON true`

func scanWebhookEndpoint(r rowScanner) (*WebhookEndpoint, error) {
	var e WebhookEndpoint
	var lastStatus sql.NullString
	var lastAt sql.NullTime
	err := r.Scan(&e.ID, &e.OrganizationID, &e.URL, &e.Description, pgdialect.Array(&e.Events), &e.Enabled,
		&e.DisabledReason, &e.FailingSince, &e.SecretRotatedUntil, &e.CreatedAt, &e.UpdatedAt, &lastStatus, &lastAt)
	if lastStatus.Valid {
		e.LastDelivery = &WebhookLastDelivery{Status: lastStatus.String, At: lastAt.Time}
	}
	return &e, err
}

// MaxWebhookEndpoints caps an organization's endpoints: every event is one delivery workflow per subscribed
// endpoint, so the cap bounds the fan-out's work per event and what one tenant can send a third party.
const MaxWebhookEndpoints = 20

// CreateWebhookEndpoint inserts e into orgID on behalf of userID with its sealed signing secret, filling
// ID and timestamps. The caller has validated URL and events. Errors: EINVALID (a value the table refuses),
// ECONFLICT (the organization has MaxWebhookEndpoints already).
func (db *DB) CreateWebhookEndpoint(ctx context.Context, orgID, userID string, e *WebhookEndpoint, sealedSecret []byte) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	e.ID, e.OrganizationID, e.CreatedAt, e.UpdatedAt = newID(), orgID, now, now
	if e.Enabled {
		e.DisabledReason = nil
	} else {
		e.DisabledReason = ptr("manual")
	}
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		// Serialise the organization's creates so the cap holds under concurrent requests.
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "webhook-endpoints:"+orgID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM webhook_endpoints WHERE organization_id = ?", orgID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxWebhookEndpoints {
			return domain.Errorf(domain.ECONFLICT, "An organization has at most %d webhook endpoints: delete one you no longer use first.", MaxWebhookEndpoints)
		}
		_, err := tx.NewRaw(`INSERT INTO webhook_endpoints (organization_id, id, url, description, events, enabled,
			disabled_reason, secret, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			orgID, e.ID, e.URL, e.Description, pgdialect.Array(e.Events), e.Enabled, e.DisabledReason, sealedSecret,
			nullIfEmpty(userID), now, now).Exec(ctx)
		if err != nil {
			return err
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditWebhookEndpointCreated,
			EntityType: "webhook_endpoint", EntityID: e.ID, Metadata: auditWebhookEndpoint(e)})
	})
	return mapError(err, webhookEndpointNotFound)
}

// WebhookEndpoints lists orgID's endpoints, oldest first, each with its last delivery.
func (db *DB) WebhookEndpoints(ctx context.Context, orgID string) ([]*WebhookEndpoint, error) {
	var out []*WebhookEndpoint
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+webhookEndpointColumns+webhookEndpointFrom+
			" WHERE e.organization_id = ? ORDER BY e.created_at, e.id", orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanWebhookEndpoint(rows)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// WebhookEndpoint returns one endpoint of orgID. Errors: ENOTFOUND (also for another tenant's ID).
func (db *DB) WebhookEndpoint(ctx context.Context, orgID, id string) (*WebhookEndpoint, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, webhookEndpointNotFound)
	}
	var out *WebhookEndpoint
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = webhookEndpointIn(ctx, tx, orgID, id, "")
		return err
	})
	return out, mapError(err, webhookEndpointNotFound)
}

// webhookEndpointIn reads one endpoint inside tx, locked when lock is "FOR UPDATE OF e".
func webhookEndpointIn(ctx context.Context, tx bun.Tx, orgID, id, lock string) (*WebhookEndpoint, error) {
	row := tx.QueryRowContext(ctx, "SELECT "+webhookEndpointColumns+webhookEndpointFrom+
		" WHERE e.organization_id = ? AND e.id = ? "+lock, orgID, id)
	return scanWebhookEndpoint(row)
}

// UpdateWebhookEndpoint loads the endpoint, lets change modify URL, description, events and enabled (the
// caller validates what it sets), and saves it in one transaction. Disabling by hand records the reason
// "manual"; enabling clears the reason and the failure run, so a re-enabled endpoint gets a fresh 24 hours.
// Errors: ENOTFOUND, EINVALID.
func (db *DB) UpdateWebhookEndpoint(ctx context.Context, orgID, id string, change func(*WebhookEndpoint) error) (*WebhookEndpoint, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, webhookEndpointNotFound)
	}
	var out *WebhookEndpoint
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		e, err := webhookEndpointIn(ctx, tx, orgID, id, "FOR UPDATE OF e")
		if err != nil {
			return err
		}
		wasEnabled := e.Enabled
		before := auditWebhookEndpoint(e)
		if err := change(e); err != nil {
			return err
		}
		switch {
		case e.Enabled && !wasEnabled:
			e.DisabledReason, e.FailingSince = nil, nil
		case !e.Enabled && wasEnabled:
			e.DisabledReason = ptr("manual")
		}
		e.UpdatedAt = time.Now().UTC().Truncate(time.Microsecond)
		if _, err := tx.NewRaw(`UPDATE webhook_endpoints SET url = ?, description = ?, events = ?, enabled = ?,
			disabled_reason = ?, failing_since = ?, updated_at = ? WHERE organization_id = ? AND id = ?`,
			e.URL, e.Description, pgdialect.Array(e.Events), e.Enabled, e.DisabledReason, e.FailingSince, e.UpdatedAt,
			orgID, id).Exec(ctx); err != nil {
			return err
		}
		out = e
		change := domain.AuditChange(before, auditWebhookEndpoint(e))
		if len(change["after"].(map[string]any)) == 0 {
			return nil
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditWebhookEndpointUpdated,
			EntityType: "webhook_endpoint", EntityID: id, Metadata: change})
	})
	return out, mapError(err, webhookEndpointNotFound)
}

// DeleteWebhookEndpoint removes an endpoint and its delivery log. Errors: ENOTFOUND.
func (db *DB) DeleteWebhookEndpoint(ctx context.Context, orgID, id string) error {
	if !validUUID(id) {
		return domain.Errorf(domain.ENOTFOUND, webhookEndpointNotFound)
	}
	return db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var gone []struct {
			URL         string `bun:"url"`
			Description string `bun:"description"`
		}
		if err := tx.NewRaw("DELETE FROM webhook_endpoints WHERE organization_id = ? AND id = ? RETURNING url, description",
			orgID, id).Scan(ctx, &gone); err != nil {
			return err
		}
		if len(gone) == 0 {
			return domain.Errorf(domain.ENOTFOUND, webhookEndpointNotFound)
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditWebhookEndpointDeleted,
			EntityType: "webhook_endpoint", EntityID: id, Metadata: map[string]any{"url": auditURL(gone[0].URL),
				"description": gone[0].Description}})
	})
}

// RotateWebhookSecret makes sealedSecret the endpoint's signing secret. The current secret keeps signing
// beside it for grace (deliveries carry one v1 per secret), so receivers can switch without a gap; a zero
// grace drops it at once. A secret still in an earlier grace period is dropped either way. Errors: ENOTFOUND.
func (db *DB) RotateWebhookSecret(ctx context.Context, orgID, id string, sealedSecret []byte, grace time.Duration) (*WebhookEndpoint, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, webhookEndpointNotFound)
	}
	var out *WebhookEndpoint
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewRaw(`UPDATE webhook_endpoints SET
			previous_secret = CASE WHEN ? > 0 THEN secret END,
			previous_secret_expires_at = CASE WHEN ? > 0 THEN now() + make_interval(secs => ?) END,
			secret = ?, updated_at = now() WHERE organization_id = ? AND id = ?`,
			grace.Seconds(), grace.Seconds(), grace.Seconds(), sealedSecret, orgID, id).Exec(ctx)
		if err := mustAffect(res, err, webhookEndpointNotFound); err != nil {
			return err
		}
		if out, err = webhookEndpointIn(ctx, tx, orgID, id, ""); err != nil {
			return err
		}
		// Neither secret is logged: only that it changed and how long the old one keeps signing.
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditWebhookEndpointSecretRotated,
			EntityType: "webhook_endpoint", EntityID: id, Metadata: map[string]any{"url": auditURL(out.URL),
				"grace_hours": grace.Hours()}})
	})
	return out, mapError(err, webhookEndpointNotFound)
}

// auditWebhookEndpoint is e as the audit log records it (never its secret).
func auditWebhookEndpoint(e *WebhookEndpoint) map[string]any {
	return map[string]any{"url": auditURL(e.URL), "description": e.Description, "events": e.Events, "enabled": e.Enabled}
}

// auditURL is u without its query, fragment and user info, which often carry a receiver's token.
func auditURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	p.User, p.RawQuery, p.ForceQuery, p.Fragment, p.RawFragment = nil, "", false, "", ""
	return p.String()
}

// webhookDeliveryColumns read webhook_deliveries d in the order scanWebhookDelivery expects.
const webhookDeliveryColumns = `d.id, d.endpoint_id, d.event_id, d.event_type, d.status, d.attempts, d.last_status_code,
	d.last_error, d.response_excerpt, d.duration_ms, d.next_attempt_at, d.replay_of, d.created_at, d.completed_at`

func scanWebhookDelivery(r rowScanner) (*WebhookDelivery, error) {
	var d WebhookDelivery
	err := r.Scan(&d.ID, &d.EndpointID, &d.EventID, &d.EventType, &d.Status, &d.AttemptCount, &d.LastStatusCode,
		&d.LastError, &d.ResponseExcerpt, &d.DurationMS, &d.NextAttemptAt, &d.ReplayOf, &d.CreatedAt, &d.CompletedAt)
	return &d, err
}

// WebhookDeliveries lists one page of an endpoint's delivery log, newest first (ids are UUIDv7, so the
// keyset on id is the creation order; webhook_deliveries_log_idx and _status_idx serve it). The returned
// cursor is empty on the last page. Errors: ENOTFOUND for an unknown endpoint, EINVALID for a bad cursor.
func (db *DB) WebhookDeliveries(ctx context.Context, orgID, endpointID string, f WebhookDeliveryFilter) ([]*WebhookDelivery, string, error) {
	if !validUUID(endpointID) {
		return nil, "", domain.Errorf(domain.ENOTFOUND, webhookEndpointNotFound)
	}
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var out []*WebhookDelivery
	err = db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if err := webhookEndpointExists(ctx, tx, orgID, endpointID); err != nil {
			return err
		}
		var b strings.Builder
		args := []any{orgID, endpointID}
		b.WriteString("SELECT " + webhookDeliveryColumns + " FROM webhook_deliveries d WHERE d.organization_id = ? AND d.endpoint_id = ?")
		if f.Status != "" {
			b.WriteString(" AND d.status = ?")
			args = append(args, f.Status)
		}
		if f.EventType != "" {
			b.WriteString(" AND d.event_type = ?")
			args = append(args, f.EventType)
		}
		if after != "" {
			b.WriteString(" AND d.id < ?")
			args = append(args, after)
		}
		b.WriteString(" ORDER BY d.id DESC LIMIT ?")
		args = append(args, f.Limit+1)
		rows, err := tx.QueryContext(ctx, b.String(), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanWebhookDelivery(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, "", mapError(err, webhookEndpointNotFound)
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = encodeCursor(out[len(out)-1].ID)
	}
	return out, next, nil
}

// webhookEndpointExists answers ENOTFOUND unless orgID has the endpoint.
func webhookEndpointExists(ctx context.Context, tx bun.Tx, orgID, endpointID string) error {
	ok, err := tx.NewSelect().TableExpr("webhook_endpoints").Where("organization_id = ? AND id = ?", orgID, endpointID).Exists(ctx)
	if err == nil && !ok {
		return domain.Errorf(domain.ENOTFOUND, webhookEndpointNotFound)
	}
	return err
}

// WebhookDelivery returns one delivery of an endpoint with the request body and every attempt.
// Errors: ENOTFOUND (unknown endpoint or delivery, or one of another endpoint or tenant).
func (db *DB) WebhookDelivery(ctx context.Context, orgID, endpointID, id string) (*WebhookDelivery, error) {
	if !validUUID(endpointID) || !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, webhookDeliveryNotFound)
	}
	var out *WebhookDelivery
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = webhookDeliveryIn(ctx, tx, orgID, endpointID, id)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT attempt, status_code, error, response_excerpt, duration_ms, started_at
			FROM webhook_delivery_attempts WHERE organization_id = ? AND delivery_id = ? ORDER BY attempt`, orgID, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		out.Attempts = []WebhookAttempt{}
		for rows.Next() {
			var a WebhookAttempt
			if err := rows.Scan(&a.Attempt, &a.StatusCode, &a.Error, &a.ResponseExcerpt, &a.DurationMS, &a.StartedAt); err != nil {
				return err
			}
			out.Attempts = append(out.Attempts, a)
		}
		return rows.Err()
	})
	return out, mapError(err, webhookDeliveryNotFound)
}

// webhookDeliveryIn reads one delivery with its body inside tx.
func webhookDeliveryIn(ctx context.Context, tx bun.Tx, orgID, endpointID, id string) (*WebhookDelivery, error) {
	var body []byte
	row := tx.QueryRowContext(ctx, "SELECT "+webhookDeliveryColumns+", d.body FROM webhook_deliveries d "+
		"WHERE d.organization_id = ? AND d.endpoint_id = ? AND d.id = ?", orgID, endpointID, id)
	var d WebhookDelivery
	err := row.Scan(&d.ID, &d.EndpointID, &d.EventID, &d.EventType, &d.Status, &d.AttemptCount, &d.LastStatusCode,
		&d.LastError, &d.ResponseExcerpt, &d.DurationMS, &d.NextAttemptAt, &d.ReplayOf, &d.CreatedAt, &d.CompletedAt, &body)
	d.Body = body
	return &d, err
}

// errEndpointDisabled refuses new deliveries to a disabled endpoint: its workflow would only mark them failed.
var errEndpointDisabled = domain.Errorf(domain.ECONFLICT, "The endpoint is disabled; enable it first.")

// enabledEndpoint locks the endpoint's row (so a concurrent disable or delete waits for this delivery) and
// answers ENOTFOUND or ECONFLICT unless it exists and is enabled.
func enabledEndpoint(ctx context.Context, tx bun.Tx, orgID, endpointID string) error {
	var enabled bool
	err := tx.NewRaw("SELECT enabled FROM webhook_endpoints WHERE organization_id = ? AND id = ? FOR SHARE",
		orgID, endpointID).Scan(ctx, &enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, webhookEndpointNotFound)
	}
	if err == nil && !enabled {
		return errEndpointDisabled
	}
	return err
}

// CreateWebhookPing inserts a pending "ping" delivery to the endpoint: a new event id and the envelope
// {id, type: "ping", created_at, organization_id, data: {message}}, which "Send test" then delivers once.
// Errors: ENOTFOUND, ECONFLICT (the endpoint is disabled).
func (db *DB) CreateWebhookPing(ctx context.Context, orgID, endpointID, message string) (*WebhookDelivery, error) {
	if !validUUID(endpointID) {
		return nil, domain.Errorf(domain.ENOTFOUND, webhookEndpointNotFound)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	d := &WebhookDelivery{ID: newID(), EndpointID: endpointID, EventID: newID(), EventType: domain.WebhookPing,
		Status: domain.WebhookPending, CreatedAt: now, Attempts: []WebhookAttempt{}}
	body, err := json.Marshal(domain.WebhookEnvelope{ID: d.EventID, Type: domain.WebhookPing, CreatedAt: now,
		OrganizationID: orgID, Data: map[string]any{"message": message}})
	if err != nil {
		return nil, err
	}
	d.Body = body
	err = db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if err := enabledEndpoint(ctx, tx, orgID, endpointID); err != nil {
			return err
		}
		_, err := tx.NewRaw(`INSERT INTO webhook_deliveries (organization_id, id, endpoint_id, event_id, event_type, body,
			status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			orgID, d.ID, endpointID, d.EventID, d.EventType, string(body), d.Status, now).Exec(ctx)
		return err
	})
	return d, mapError(err, webhookEndpointNotFound)
}

// ReplayWebhookDelivery inserts a new pending delivery of the same event (same event id, type and body,
// replay_of = id), so a receiver that already processed the event can de-duplicate on its id.
// Errors: ENOTFOUND, ECONFLICT (the delivery is still pending, or the endpoint is disabled).
func (db *DB) ReplayWebhookDelivery(ctx context.Context, orgID, endpointID, id string) (*WebhookDelivery, error) {
	if !validUUID(endpointID) || !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, webhookDeliveryNotFound)
	}
	var out *WebhookDelivery
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if err := enabledEndpoint(ctx, tx, orgID, endpointID); err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return domain.Errorf(domain.ENOTFOUND, webhookDeliveryNotFound)
			}
			return err
		}
		orig, err := webhookDeliveryIn(ctx, tx, orgID, endpointID, id)
		if err != nil {
			return err
		}
		if orig.Status == domain.WebhookPending {
			return domain.Errorf(domain.ECONFLICT, "The delivery is still being attempted; replay it once it has finished.")
		}
		// One replay of an event on its way at a time: the lock on the original serialises repeated clicks, and
		// a pending delivery of the same event (an earlier replay) refuses the next.
		if _, err := tx.ExecContext(ctx, "SELECT 1 FROM webhook_deliveries WHERE organization_id = ? AND id = ? FOR UPDATE", orgID, id); err != nil {
			return err
		}
		var pending bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM webhook_deliveries
			WHERE organization_id = ? AND endpoint_id = ? AND event_id = ? AND status = 'pending')`,
			orgID, endpointID, orig.EventID).Scan(&pending); err != nil {
			return err
		}
		if pending {
			return domain.Errorf(domain.ECONFLICT, "A replay of this event is still being attempted; wait for its outcome.")
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		out = &WebhookDelivery{ID: newID(), EndpointID: endpointID, EventID: orig.EventID, EventType: orig.EventType,
			Status: domain.WebhookPending, ReplayOf: &orig.ID, CreatedAt: now, Body: orig.Body, Attempts: []WebhookAttempt{}}
		_, err = tx.NewRaw(`INSERT INTO webhook_deliveries (organization_id, id, endpoint_id, event_id, event_type, body,
			replay_of, status, created_at) SELECT organization_id, ?, endpoint_id, event_id, event_type, body, id, ?, ?
			FROM webhook_deliveries WHERE organization_id = ? AND id = ?`,
			out.ID, out.Status, now, orgID, id).Exec(ctx)
		if err != nil {
			return err
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditWebhookDeliveryReplayed,
			EntityType: "webhook_endpoint", EntityID: endpointID, Metadata: map[string]any{"delivery_id": id,
				"replay_id": out.ID, "event_id": orig.EventID, "event_type": orig.EventType}})
	})
	return out, mapError(err, webhookDeliveryNotFound)
}

// ReplayFailedWebhookDeliveries replays, in one INSERT … SELECT, every event whose delivery to the endpoint
// failed at or after since (at most MaxWebhookReplay, oldest first) and returns the new deliveries' ids.
// Each event is replayed once (from its newest failed delivery), and an event that also has a delivery
// pending or delivered is skipped, so repeating the request re-sends nothing already on its way or
// received. Pings are tests, not events, and are never replayed. Errors: ENOTFOUND, ECONFLICT (disabled).
func (db *DB) ReplayFailedWebhookDeliveries(ctx context.Context, orgID, endpointID string, since time.Time) ([]string, error) {
	if !validUUID(endpointID) {
		return nil, domain.Errorf(domain.ENOTFOUND, webhookEndpointNotFound)
	}
	ids := make([]string, MaxWebhookReplay)
	for i := range ids {
		ids[i] = newID()
	}
	var out []string
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if err := enabledEndpoint(ctx, tx, orgID, endpointID); err != nil {
			return err
		}
		if err := tx.NewRaw(`WITH candidates AS (
				SELECT DISTINCT ON (d.event_id) d.id, d.event_id, d.event_type, d.body
				FROM webhook_deliveries d
				WHERE d.organization_id = ?0 AND d.endpoint_id = ?1 AND d.status = 'failed' AND d.created_at >= ?2
					AND d.event_type <> 'ping'
					AND NOT EXISTS (SELECT 1 FROM webhook_deliveries o WHERE o.organization_id = d.organization_id
						AND o.endpoint_id = d.endpoint_id AND o.event_id = d.event_id AND o.status <> 'failed')
				ORDER BY d.event_id, d.id DESC),
			chosen AS (SELECT c.*, row_number() OVER (ORDER BY c.id) AS n FROM candidates c ORDER BY c.id LIMIT ?3)
			INSERT INTO webhook_deliveries (organization_id, id, endpoint_id, event_id, event_type, body, replay_of, status)
			SELECT ?0, (?4::uuid[])[n], ?1, event_id, event_type, body, id, 'pending' FROM chosen ORDER BY n
			RETURNING id::text`,
			orgID, endpointID, since, MaxWebhookReplay, pgdialect.Array(ids)).Scan(ctx, &out); err != nil {
			return err
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditWebhookDeliveriesReplayed,
			EntityType: "webhook_endpoint", EntityID: endpointID, Metadata: map[string]any{"since": since,
				"replayed": len(out)}})
	})
	return out, mapError(err, webhookEndpointNotFound)
}

// ForgetUnstartedWebhookDeliveries deletes the named deliveries that are still untouched (pending, no
// attempt): the API inserts a delivery before starting its workflow, and when the start fails it removes
// the row again instead of leaving one pending forever. A row whose workflow did run is kept.
func (db *DB) ForgetUnstartedWebhookDeliveries(ctx context.Context, orgID string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw(`DELETE FROM webhook_deliveries WHERE organization_id = ? AND id = ANY(?::uuid[])
			AND status = 'pending' AND attempts = 0`, orgID, pgdialect.Array(ids)).Exec(ctx)
		return err
	})
}

// mustAffect turns "no row changed" into ENOTFOUND.
func mustAffect(res sql.Result, err error, notFound string) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "%s", notFound)
	}
	return nil
}

// nullIfEmpty stores "" as NULL (an actor unknown to a system change).
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func ptr[T any](v T) *T { return &v }
