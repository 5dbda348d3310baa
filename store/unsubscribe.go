package store

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// SwitchOffEmail records userID's choice to get no more email of notification type typ from orgID: what
// an email's unsubscribe link does, with no session (the signed link is the permission). It upserts the
// one preference row, so a second click changes nothing. Errors: EINVALID for an unknown type or one whose
// email cannot be switched off (security notices); ENOTFOUND when the organization or the user is gone.
func (db *DB) SwitchOffEmail(ctx context.Context, orgID, userID, typ string) error {
	t, ok := domain.LookupNotificationType(typ)
	switch {
	case !validUUID(userID):
		return domain.Errorf(domain.ENOTFOUND, "User not found.")
	case !ok:
		return domain.Errorf(domain.EINVALID, "%q is not a notification type.", typ)
	case domain.NotificationLocked(t, domain.ChannelEmail):
		return domain.Errorf(domain.EINVALID, "%s: security notices cannot be switched off by email.", t.Label)
	}
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw(`INSERT INTO notification_preferences (organization_id, user_id, type, channel, enabled)
			VALUES (?, ?, ?, ?, false)
			ON CONFLICT (organization_id, user_id, type, channel) DO UPDATE SET enabled = false, updated_at = now()`,
			orgID, userID, typ, domain.ChannelEmail).Exec(ctx)
		return err
	})
	return mapError(err, "Organization not found.")
}
