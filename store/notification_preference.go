package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
)

// preferenceKey names one cell of the preferences matrix.
type preferenceKey struct{ Type, Channel string }

// Preferences returns userID's effective choice for every notification type and channel of the catalogue,
// in display order: the explicit rows, the type's default where none was made, and always on for a locked
// channel.
func (db *DB) Preferences(ctx context.Context, orgID, userID string) ([]domain.NotificationPreference, error) {
	if !validUUID(userID) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Organization not found.")
	}
	chosen := map[preferenceKey]bool{}
	err := db.tenantQuery(ctx, orgID, userID,
		`SELECT type, channel, enabled FROM notification_preferences WHERE organization_id = $1 AND user_id = $2`,
		[]any{orgID, userID}, func(r pgx.Rows) error {
			for r.Next() {
				var k preferenceKey
				var on bool
				if err := r.Scan(&k.Type, &k.Channel, &on); err != nil {
					return err
				}
				chosen[k] = on
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	out := make([]domain.NotificationPreference, 0, len(domain.NotificationTypes)*len(domain.NotificationChannels))
	for _, t := range domain.NotificationTypes {
		for _, c := range domain.NotificationChannels {
			on, ok := chosen[preferenceKey{t.Type, c}]
			if !ok {
				on = domain.NotificationDefault(t, c)
			}
			out = append(out, domain.NotificationPreference{Type: t.Type, Channel: c,
				Enabled: on || domain.NotificationLocked(t, c)})
		}
	}
	return out, nil
}

// SetPreferences records userID's choices in one transaction: all of them or, when any is invalid, none.
// Errors: EINVALID naming every bad entry (body.preferences[i].type / .channel / .enabled): an unknown
// type or channel, a locked channel switched off, the same type and channel twice.
func (db *DB) SetPreferences(ctx context.Context, orgID, userID string, prefs []domain.NotificationPreference) error {
	if !validUUID(userID) {
		return domain.Errorf(domain.ENOTFOUND, "Organization not found.")
	}
	if err := validatePreferences(prefs); err != nil {
		return err
	}
	if len(prefs) == 0 {
		return nil
	}
	types, channels, enabled := make([]string, len(prefs)), make([]string, len(prefs)), make([]bool, len(prefs))
	for i, p := range prefs {
		types[i], channels[i], enabled[i] = p.Type, p.Channel, p.Enabled
	}
	return db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw(`INSERT INTO notification_preferences (organization_id, user_id, type, channel, enabled)
			SELECT ?, ?, t, c, e FROM unnest(?::text[], ?::text[], ?::boolean[]) AS p(t, c, e)
			ON CONFLICT (organization_id, user_id, type, channel)
			DO UPDATE SET enabled = excluded.enabled, updated_at = now()`,
			orgID, userID, pgdialect.Array(types), pgdialect.Array(channels), pgdialect.Array(enabled)).Exec(ctx)
		return err
	})
}

// validatePreferences collects every bad entry, so one 422 lists them all.
func validatePreferences(prefs []domain.NotificationPreference) error {
	var fields []domain.FieldError
	bad := func(i int, field, msg string) {
		fields = append(fields, domain.FieldError{Field: fmt.Sprintf("body.preferences[%d].%s", i, field), Message: msg})
	}
	seen := map[preferenceKey]bool{}
	for i, p := range prefs {
		t, ok := domain.LookupNotificationType(p.Type)
		switch {
		case !ok:
			bad(i, "type", "is not a notification type")
		case !domain.ValidNotificationChannel(p.Channel):
			bad(i, "channel", "must be in_app, email or push")
		case !p.Enabled && domain.NotificationLocked(t, p.Channel):
			bad(i, "enabled", fmt.Sprintf("%s cannot be switched off for %q: security notices always reach you", p.Channel, t.Label))
		case seen[preferenceKey{p.Type, p.Channel}]:
			bad(i, "channel", "is given twice for this type")
		}
		seen[preferenceKey{p.Type, p.Channel}] = true
	}
	if len(fields) == 0 {
		return nil
	}
	return &domain.Error{Code: domain.EINVALID, Message: "The request is invalid.", Fields: fields}
}
