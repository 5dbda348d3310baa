package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WebhookEventTypes are the domain events outbound webhooks deliver (the seed's twelve), in the order the
// settings page lists them. Every other event type stays inside the product.
var WebhookEventTypes = []string{
	EventProjectCreated, EventProjectUpdated, EventProjectDeleted,
	EventTaskCreated, EventTaskUpdated, EventTaskCompleted,
	EventClientCreated, EventClientUpdated,
	EventInvoicePaid, EventInvoiceOverdue,
	EventMemberAdded, EventMemberRemoved,
}

// webhookEventReadPermission is the read permission of each webhook event's entity. An endpoint receives
// the event's payload (a client's email and company, a member's email, an invoice's amounts), so saving an
// endpoint needs, for every event it subscribes to, the permission that reads it in the product.
var webhookEventReadPermission = map[string]Permission{
	EventProjectCreated: PermProjectsRead, EventProjectUpdated: PermProjectsRead, EventProjectDeleted: PermProjectsRead,
	EventTaskCreated: PermTasksRead, EventTaskUpdated: PermTasksRead, EventTaskCompleted: PermTasksRead,
	EventClientCreated: PermClientsRead, EventClientUpdated: PermClientsRead,
	EventInvoicePaid: PermInvoicesRead, EventInvoiceOverdue: PermInvoicesRead,
	EventMemberAdded: PermMembersRead, EventMemberRemoved: PermMembersRead,
}

// WebhookEventPermission is the read permission subscribing to the webhook event typ needs; ok is false for a
// type that is no webhook event.
func WebhookEventPermission(typ string) (perm Permission, ok bool) {
	perm, ok = webhookEventReadPermission[typ]
	return perm, ok
}

// WebhookEventsUnreadable returns, per missing read permission in catalogue order, the events (in the given
// order) whose payloads a holder of held may not read. Types that are no webhook event are skipped (the
// caller refuses them separately).
func WebhookEventsUnreadable(held []Permission, events []string) (missing []Permission, byPerm map[Permission][]string) {
	byPerm = map[Permission][]string{}
	for _, ev := range events {
		perm, ok := webhookEventReadPermission[ev]
		if !ok || slices.Contains(held, perm) {
			continue
		}
		byPerm[perm] = append(byPerm[perm], ev)
	}
	for _, info := range Permissions {
		if _, ok := byPerm[info.Key]; ok {
			missing = append(missing, info.Key)
		}
	}
	return missing, byPerm
}

// WebhookPing is the type of the signed test delivery "Send test" makes; it is no domain event.
const WebhookPing = "ping"

// IsWebhookEvent reports whether typ is an event type endpoints may subscribe to.
func IsWebhookEvent(typ string) bool { return slices.Contains(WebhookEventTypes, typ) }

// Headers of an outbound webhook request.
const (
	WebhookSignatureHeader = "X-ClientFlow-Signature"
	WebhookEventHeader     = "X-ClientFlow-Event"
	WebhookDeliveryHeader  = "X-ClientFlow-Delivery"
)

// Delivery statuses.
const (
	WebhookPending   = "pending"
	WebhookDelivered = "delivered"
	WebhookFailed    = "failed"
)

// WebhookEnvelope is the JSON body of every delivery. ID is the event id (the same on a replay, so a receiver
// can de-duplicate); Data is the event's documented payload.
type WebhookEnvelope struct {
	ID             string         `json:"id"`
	Type           string         `json:"type"`
	CreatedAt      time.Time      `json:"created_at"`
	OrganizationID string         `json:"organization_id"`
	Data           map[string]any `json:"data"`
}

// SignWebhook returns the X-ClientFlow-Signature value for body sent at t: "t=<unix>,v1=<hex HMAC-SHA256 of
// "<unix>.<body>">". While a rotated secret is still in its grace period, callers sign with both secrets and
// send one v1 per secret ("t=…,v1=…,v1=…"), so a receiver holding either verifies.
func SignWebhook(t time.Time, body []byte, secrets ...[]byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	var b strings.Builder
	b.WriteString("t=" + ts)
	for _, s := range secrets {
		m := hmac.New(sha256.New, s)
		m.Write([]byte(ts))
		m.Write([]byte{'.'})
		m.Write(body)
		b.WriteString(",v1=" + hex.EncodeToString(m.Sum(nil)))
	}
	return b.String()
}

// Signature verification failures.
var (
	ErrWebhookSignatureMalformed = errors.New("webhook: malformed signature header")
	ErrWebhookSignatureMismatch  = errors.New("webhook: no signature matches")
	ErrWebhookSignatureStale     = errors.New("webhook: timestamp outside the tolerance")
)

// VerifyWebhook checks header against body and secret as a receiver would: one v1 must match and the
// timestamp must lie within tolerance of now (5 minutes is the documented default).
func VerifyWebhook(header string, body, secret []byte, tolerance time.Duration, now time.Time) error {
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		switch {
		case !ok:
			return ErrWebhookSignatureMalformed
		case k == "t":
			ts = v
		case k == "v1":
			sigs = append(sigs, v)
		}
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrWebhookSignatureMalformed
	}
	if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {
		return ErrWebhookSignatureStale
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	want := m.Sum(nil)
	for _, s := range sigs {
		got, err := hex.DecodeString(s)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrWebhookSignatureMismatch
}

// WebhookDeliveryRef names one delivery row for its WebhookDelivery workflow (workflow ID
// "webhook-delivery/<DeliveryID>"). SingleAttempt makes one try and no retries: the "Send test" ping, whose
// result the settings page shows inline.
type WebhookDeliveryRef struct {
	OrganizationID string
	DeliveryID     string
	SingleAttempt  bool
}
