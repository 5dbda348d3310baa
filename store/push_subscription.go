package store

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// pushSubscriptionRow is the push_subscriptions table.
type pushSubscriptionRow struct {
	bun.BaseModel `bun:"table:push_subscriptions"`

	OrganizationID string     `bun:"organization_id,pk"`
	ID             string     `bun:"id,pk"`
	UserID         string     `bun:"user_id"`
	Endpoint       string     `bun:"endpoint"`
	P256dh         string     `bun:"p256dh"`
	Auth           string     `bun:"auth"`
	UserAgent      string     `bun:"user_agent"`
	CreatedAt      time.Time  `bun:"created_at"`
	LastSuccessAt  *time.Time `bun:"last_success_at"`
}

func (r *pushSubscriptionRow) domain() *domain.PushSubscription {
	return &domain.PushSubscription{ID: r.ID, OrganizationID: r.OrganizationID, UserID: r.UserID, Endpoint: r.Endpoint,
		P256dh: r.P256dh, Auth: r.Auth, UserAgent: r.UserAgent, CreatedAt: r.CreatedAt.UTC(), LastSuccessAt: r.LastSuccessAt}
}

const pushSubscriptionNotFound = "Push subscription not found."

// liveSubscriptionSQL holds for a push subscription s whose session is live: not signed out or revoked, not
// expired, and not idle past its organization's timeout (the next request to the organization would revoke
// it; see SessionPrincipal). Pushes reach only such subscriptions, so a browser stops getting a user's
// pushes when the user signs out of it, whoever signs in there next. sessions has no row security: the
// app role reads it in any scope.
const liveSubscriptionSQL = `EXISTS (SELECT 1 FROM sessions ss WHERE ss.id = s.session_id
	AND ss.revoked_at IS NULL AND ss.expires_at > now()
	AND NOT EXISTS (SELECT 1 FROM organization_settings st WHERE st.organization_id = s.organization_id
		AND st.session_timeout_minutes > 0
		AND ss.last_seen_at < now() - make_interval(mins => st.session_timeout_minutes) - interval '1 minute'))`

// Limits of a Web Push subscription (RFC 8291): the browser's P-256 key is an uncompressed point, its auth
// secret 16 bytes; the endpoint fits the column.
const (
	maxPushEndpoint = 1000
	maxUserAgent    = 500
	p256dhBytes     = 65
	authBytes       = 16
)

// SavePushSubscription records sub for userID in orgID, bound to sessionID (the session that subscribed:
// once it is signed out, revoked or expired the browser gets no more pushes), or refreshes the keys and the
// session of the subscription that already has its endpoint (a browser re-subscribing), filling ID and
// CreatedAt. Another member's subscription of the same endpoint is deleted: one browser shows one user's
// pushes, the last to subscribe it.
// Errors: EINVALID naming the field (body.endpoint, body.keys.p256dh, body.keys.auth).
func (db *DB) SavePushSubscription(ctx context.Context, orgID, userID, sessionID string, sub *domain.PushSubscription) error {
	if !validUUID(userID) || !validUUID(sessionID) {
		return domain.Errorf(domain.ENOTFOUND, "Organization not found.")
	}
	if err := validatePushSubscription(sub); err != nil {
		return err
	}
	sub.OrganizationID, sub.UserID = orgID, userID
	sub.UserAgent = truncateRunes(strings.ToValidUTF8(strings.ReplaceAll(sub.UserAgent, "\x00", ""), ""), maxUserAgent)
	row := pushSubscriptionRow{OrganizationID: orgID, ID: newID(), UserID: userID, Endpoint: sub.Endpoint,
		P256dh: sub.P256dh, Auth: sub.Auth, UserAgent: sub.UserAgent}
	// Scoped to the organization only (not the user): the other member's row must be visible to delete it.
	// Every statement names userID itself.
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM push_subscriptions
			WHERE organization_id = ? AND endpoint = ? AND user_id <> ?`, orgID, row.Endpoint, userID); err != nil {
			return err
		}
		return tx.NewRaw(`INSERT INTO push_subscriptions (organization_id, id, user_id, session_id, endpoint, p256dh, auth, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (organization_id, endpoint) DO UPDATE SET session_id = excluded.session_id,
				p256dh = excluded.p256dh, auth = excluded.auth, user_agent = excluded.user_agent
			WHERE push_subscriptions.user_id = excluded.user_id
			RETURNING id, created_at, last_success_at`,
			orgID, row.ID, userID, sessionID, row.Endpoint, row.P256dh, row.Auth, row.UserAgent).
			Scan(ctx, &row.ID, &row.CreatedAt, &row.LastSuccessAt)
	})
	if err != nil {
		return mapError(err, pushSubscriptionNotFound)
	}
	sub.ID, sub.CreatedAt, sub.LastSuccessAt = row.ID, row.CreatedAt.UTC(), row.LastSuccessAt
	return nil
}

// validatePushSubscription checks what the push sender relies on: an https endpoint, and keys that
// decode to a point on P-256 and a 16-byte secret (browsers send them base64url, unpadded).
func validatePushSubscription(sub *domain.PushSubscription) error {
	u, err := url.Parse(sub.Endpoint)
	switch {
	case len(sub.Endpoint) > maxPushEndpoint:
		return domain.Invalid("body.endpoint", "must be at most 1000 characters")
	case err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || !utf8.ValidString(sub.Endpoint):
		return domain.Invalid("body.endpoint", "must be an https URL")
	}
	key, ok := decodeBase64URL(sub.P256dh)
	if !ok || len(key) != p256dhBytes {
		return domain.Invalid("body.keys.p256dh", "must be the base64url of a 65-byte uncompressed P-256 public key")
	}
	if _, err := ecdh.P256().NewPublicKey(key); err != nil {
		return domain.Invalid("body.keys.p256dh", "is not a point on the P-256 curve")
	}
	if secret, ok := decodeBase64URL(sub.Auth); !ok || len(secret) != authBytes {
		return domain.Invalid("body.keys.auth", "must be the base64url of 16 bytes")
	}
	return nil
}

// decodeBase64URL accepts base64url with or without padding, as browsers and libraries differ.
func decodeBase64URL(s string) ([]byte, bool) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	return b, err == nil
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// ListPushSubscriptions returns userID's push subscriptions in orgID that are still delivered (their session
// is live, see liveSessionSQL), oldest first: a browser whose session ended shows as not subscribed, and
// subscribing it again binds it to the current session.
func (db *DB) ListPushSubscriptions(ctx context.Context, orgID, userID string) ([]*domain.PushSubscription, error) {
	if !validUUID(userID) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Organization not found.")
	}
	var rows []pushSubscriptionRow
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(`SELECT s.id, s.organization_id, s.user_id, s.endpoint, s.p256dh, s.auth, s.user_agent,
				s.created_at, s.last_success_at
			FROM push_subscriptions s WHERE s.organization_id = ? AND s.user_id = ? AND `+liveSubscriptionSQL+`
			ORDER BY s.id`, orgID, userID).Scan(ctx, &rows)
	})
	if err != nil {
		return nil, err
	}
	out := make([]*domain.PushSubscription, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// DeletePushSubscription removes one of userID's push subscriptions.
// Errors: ENOTFOUND (also for another member's or another organization's id).
func (db *DB) DeletePushSubscription(ctx context.Context, orgID, userID, id string) error {
	if !validUUID(id) || !validUUID(userID) {
		return domain.Errorf(domain.ENOTFOUND, pushSubscriptionNotFound)
	}
	return db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		var gone string
		err := tx.NewRaw(`DELETE FROM push_subscriptions WHERE organization_id = ? AND user_id = ? AND id = ? RETURNING id`,
			orgID, userID, id).Scan(ctx, &gone)
		return mapError(err, pushSubscriptionNotFound)
	})
}
