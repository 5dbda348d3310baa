package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// NotificationEmail is what one coalesced notification email needs: the recipient, the organization, and
// the notifications whose email delivery is still pending, oldest first.
type NotificationEmail struct {
	RecipientEmail   string
	RecipientName    string
	OrganizationName string
	Notifications    []*domain.Notification
}

// PendingNotificationEmail reads recipientID's notifications among ids whose email delivery is pending,
// dropping (marking skipped) those whose type's email channel the recipient has switched off since: the
// choice at send time wins. When the recipient is no longer an active member of orgID, every one is
// skipped and none returned. Errors: ENOTFOUND (the organization or the recipient is gone).
func (db *DB) PendingNotificationEmail(ctx context.Context, orgID, recipientID string, ids []string) (*NotificationEmail, error) {
	ids = validIDs(ids)
	out := &NotificationEmail{Notifications: []*domain.Notification{}}
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var active bool
		if err := tx.NewRaw(`SELECT u.email, u.name, o.name, EXISTS (SELECT 1 FROM organization_memberships m
				WHERE m.organization_id = o.id AND m.user_id = u.id AND m.status = 'active')
			FROM users u, organizations o WHERE u.id = ? AND o.id = ?`,
			recipientID, orgID).Scan(ctx, &out.RecipientEmail, &out.RecipientName, &out.OrganizationName, &active); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if !active {
			// Removed or suspended since the notification: the organization's news no longer reaches them.
			return skipPendingEmails(ctx, tx, orgID, recipientID, ids)
		}
		var rows []struct {
			ID         string    `bun:"id"`
			Type       string    `bun:"type"`
			Title      string    `bun:"title"`
			Body       string    `bun:"body"`
			Link       string    `bun:"link"`
			EntityType string    `bun:"entity_type"`
			EntityID   string    `bun:"entity_id"`
			ActorName  string    `bun:"actor_name"`
			CreatedAt  time.Time `bun:"created_at"`
		}
		if err := tx.NewRaw(`SELECT n.id, n.type, n.title, n.body, n.link, n.entity_type,
			coalesce(n.entity_id::text, '') AS entity_id, coalesce(u.name, '') AS actor_name, n.created_at
			FROM notifications n JOIN notification_deliveries d ON d.organization_id = n.organization_id
				AND d.notification_id = n.id AND d.channel = ? AND d.status = 'pending'
			LEFT JOIN users u ON u.id = n.actor_id
			WHERE n.organization_id = ? AND n.recipient_id = ? AND n.id IN (?) ORDER BY n.id`,
			domain.ChannelEmail, orgID, recipientID, bun.In(ids)).Scan(ctx, &rows); err != nil {
			return err
		}
		var skipped []string
		for _, r := range rows {
			kind, _ := domain.LookupNotificationType(r.Type)
			choices, err := channelChoices(ctx, tx, orgID, r.Type, []string{recipientID})
			if err != nil {
				return err
			}
			if !channelOn(kind, choices[recipientID], domain.ChannelEmail) {
				skipped = append(skipped, r.ID)
				continue
			}
			out.Notifications = append(out.Notifications, &domain.Notification{ID: r.ID, OrganizationID: orgID,
				RecipientID: recipientID, Type: r.Type, Title: r.Title, Body: r.Body, Link: r.Link,
				EntityType: r.EntityType, EntityID: r.EntityID, ActorName: r.ActorName, CreatedAt: r.CreatedAt.UTC()})
		}
		return markDeliveries(ctx, tx, orgID, domain.ChannelEmail, skipped, "skipped", "")
	})
	return out, mapError(err, "Recipient not found.")
}

// skipPendingEmails marks skipped the pending email deliveries of recipientID's notifications among ids.
func skipPendingEmails(ctx context.Context, tx bun.Tx, orgID, recipientID string, ids []string) error {
	_, err := tx.NewRaw(`UPDATE notification_deliveries d SET status = 'skipped', attempts = attempts + 1,
		last_error = 'the recipient is no longer an active member'
		FROM notifications n WHERE n.organization_id = d.organization_id AND n.id = d.notification_id
			AND d.organization_id = ? AND d.channel = ? AND d.status = 'pending' AND n.recipient_id = ? AND n.id IN (?)`,
		orgID, domain.ChannelEmail, recipientID, bun.In(ids)).Exec(ctx)
	return err
}

// MarkNotificationDeliveries records the outcome of sending ids on channel: sent (with its time), skipped,
// or failed with cause. Only pending deliveries change, so a late retry never undoes a sent one.
func (db *DB) MarkNotificationDeliveries(ctx context.Context, orgID, channel string, ids []string, status, cause string) error {
	return db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return markDeliveries(ctx, tx, orgID, channel, validIDs(ids), status, cause)
	})
}

func markDeliveries(ctx context.Context, tx bun.Tx, orgID, channel string, ids []string, status, cause string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.NewRaw(`UPDATE notification_deliveries SET status = ?, attempts = attempts + 1,
		last_error = nullif(left(?, 2000), ''), sent_at = CASE WHEN ? = 'sent' THEN now() END
		WHERE organization_id = ? AND channel = ? AND notification_id IN (?) AND status = 'pending'`,
		status, cause, status, orgID, channel, bun.In(ids)).Exec(ctx)
	return err
}
