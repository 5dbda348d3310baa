package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
)

// Push delivery statuses (notification_deliveries.status).
const (
	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
	DeliverySkipped = "skipped"
)

// PushDelivery is a notification's push delivery: what to show and every browser of the recipient to show
// it on.
type PushDelivery struct {
	Notification domain.Notification
	Status       string
	Attempts     int
	// RecipientActive is whether the recipient is still an active member of the organization; when not,
	// Subscriptions is empty and nothing may be sent.
	RecipientActive bool
	Subscriptions   []domain.PushSubscription
}

const pushDeliveryNotFound = "Push delivery not found."

// The two reads of PushDeliveryFor, run in one round trip. The subscriptions are the notification's
// recipient's in the same organization, whose session is still live (liveSubscriptionSQL), and none when
// the recipient is no longer an active member (removed or suspended since): another member's or
// organization's are never reached, nor a browser its user signed out of. Only the
// newest 20 are pushed to (older ones are most likely abandoned browsers), which bounds the
// work of one delivery whatever a member registered.
const (
	pushDeliverySQL = `SELECT n.recipient_id::text, n.type, n.title, n.body, n.link, d.status, d.attempts,
			EXISTS (SELECT 1 FROM organization_memberships m WHERE m.organization_id = n.organization_id
				AND m.user_id = n.recipient_id AND m.status = 'active')
		FROM notifications n JOIN notification_deliveries d ON d.organization_id = n.organization_id
			AND d.notification_id = n.id AND d.channel = 'push'
		WHERE n.organization_id = $1 AND n.id = $2`
	pushDeliverySubscriptionsSQL = `SELECT s.id::text, s.user_id::text, s.endpoint, s.p256dh, s.auth, s.user_agent,
			s.created_at, s.last_success_at
		FROM notifications n JOIN push_subscriptions s ON s.organization_id = n.organization_id AND s.user_id = n.recipient_id
		WHERE n.organization_id = $1 AND n.id = $2 AND ` + liveSubscriptionSQL + `
			AND EXISTS (SELECT 1 FROM organization_memberships m WHERE m.organization_id = n.organization_id
				AND m.user_id = n.recipient_id AND m.status = 'active')
		ORDER BY s.id DESC LIMIT 20`
)

// PushDeliveryFor reads notificationID's push delivery in orgID with its recipient's live subscriptions.
// Errors: ENOTFOUND when the notification does not exist or has no push delivery (push was off for it).
func (db *DB) PushDeliveryFor(ctx context.Context, orgID, notificationID string) (*PushDelivery, error) {
	if !validUUID(notificationID) {
		return nil, domain.Errorf(domain.ENOTFOUND, pushDeliveryNotFound)
	}
	var d PushDelivery
	found := false
	err := db.tenantRead(ctx, orgID, "",
		read{sql: pushDeliverySQL, args: []any{orgID, notificationID}, scan: func(r pgx.Rows) error {
			for r.Next() {
				found = true
				n := &d.Notification
				if err := r.Scan(&n.RecipientID, &n.Type, &n.Title, &n.Body, &n.Link, &d.Status, &d.Attempts,
					&d.RecipientActive); err != nil {
					return err
				}
			}
			return nil
		}},
		read{sql: pushDeliverySubscriptionsSQL, args: []any{orgID, notificationID}, scan: func(r pgx.Rows) error {
			for r.Next() {
				s := domain.PushSubscription{OrganizationID: orgID}
				if err := r.Scan(&s.ID, &s.UserID, &s.Endpoint, &s.P256dh, &s.Auth, &s.UserAgent, &s.CreatedAt,
					&s.LastSuccessAt); err != nil {
					return err
				}
				d.Subscriptions = append(d.Subscriptions, s)
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, domain.Errorf(domain.ENOTFOUND, pushDeliveryNotFound)
	}
	d.Notification.ID, d.Notification.OrganizationID = notificationID, orgID
	return &d, nil
}

// PushOutcome is what one attempt at a push delivery did.
type PushOutcome struct {
	// Status is the delivery's new status: DeliveryPending when the attempt will be retried.
	Status    string
	LastError string
	// Delivered lists the subscriptions the push service accepted the message for; Gone those it no longer
	// knows (404/410), which are deleted.
	Delivered []string
	Gone      []string
}

// RecordPushOutcome counts one attempt of notificationID's push delivery and records o, in one transaction.
// A delivery no longer pending (a concurrent attempt finished it) keeps its status.
func (db *DB) RecordPushOutcome(ctx context.Context, orgID, notificationID string, o PushOutcome) error {
	if !validUUID(notificationID) {
		return domain.Errorf(domain.ENOTFOUND, pushDeliveryNotFound)
	}
	now := time.Now().UTC()
	return db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if len(o.Gone) > 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM push_subscriptions WHERE organization_id = ? AND id = ANY (?::uuid[])",
				orgID, pgdialect.Array(o.Gone)); err != nil {
				return err
			}
		}
		if len(o.Delivered) > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE push_subscriptions SET last_success_at = ?
				WHERE organization_id = ? AND id = ANY (?::uuid[])`, now, orgID, pgdialect.Array(o.Delivered)); err != nil {
				return err
			}
		}
		var sentAt *time.Time
		if o.Status == DeliverySent {
			sentAt = &now
		}
		_, err := tx.ExecContext(ctx, `UPDATE notification_deliveries
			SET status = ?, attempts = attempts + 1, last_error = NULLIF(?, ''), sent_at = ?
			WHERE organization_id = ? AND notification_id = ? AND channel = 'push' AND status = 'pending'`,
			o.Status, clipRunes(o.LastError, 2000), sentAt, orgID, notificationID)
		return err
	})
}

// clipRunes cuts s to at most n characters (the column limits count characters, not bytes).
func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
