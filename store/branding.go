package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// brandingSQL reads an organization's branding and whether its plan includes custom_branding (an
// organization without a subscription has no plan features, as in member_access).
const brandingSQL = `SELECT o.id, o.name, s.sender_name, s.brand_color, s.logo_key, s.logo_type, s.logo_hash,
	COALESCE((SELECT 'custom_branding' = ANY (p.features) FROM subscriptions sub JOIN plans p ON p.id = sub.plan_id
		WHERE sub.organization_id = o.id), false)
	FROM organizations AS o JOIN organization_settings AS s ON s.organization_id = o.id
	WHERE o.id = $1 AND o.status = 'active'`

// OrganizationBranding returns orgID's branding: name, sender name, colour, stored logo and whether the
// plan includes custom_branding. Errors: ENOTFOUND.
func (db *DB) OrganizationBranding(ctx context.Context, orgID string) (*domain.Branding, error) {
	var b domain.Branding
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.Tx.QueryRowContext(ctx, brandingSQL, prepared, orgID).Scan(&b.OrganizationID, &b.Name, &b.SenderName,
			&b.BrandColor, &b.LogoKey, &b.LogoType, &b.LogoHash, &b.CustomBranding)
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	return &b, nil
}

// SetOrganizationLogo records orgID's logo (key, content type and content hash; all "" removes it) and
// returns the settings. The previous logo's stored bytes are queued for the file purge by a trigger.
// Errors: ENOTFOUND.
func (db *DB) SetOrganizationLogo(ctx context.Context, orgID, userID, key, contentType, hash string) (*domain.OrganizationSettings, error) {
	var s domain.OrganizationSettings
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		if err := scanSettings(ctx, tx, orgID, &s, " FOR UPDATE OF o, s"); err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `UPDATE organization_settings SET logo_key = ?, logo_type = ?, logo_hash = ?,
			updated_at = ? WHERE organization_id = ?`, key, contentType, hash, now, orgID); err != nil {
			return err
		}
		before := auditSettings(&s)
		s.LogoKey, s.LogoType, s.LogoHash, s.UpdatedAt = key, contentType, hash, now
		return auditSettingsChange(ctx, tx, orgID, before, auditSettings(&s))
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	return &s, nil
}

const sessionBrandSQL = `SELECT s.brand_color FROM sessions AS se
	JOIN organization_memberships AS m ON m.user_id = se.user_id AND m.organization_id = $2 AND m.status = 'active'
	JOIN organizations AS o ON o.id = m.organization_id AND o.status = 'active'
	JOIN organization_settings AS s ON s.organization_id = o.id
	JOIN subscriptions AS sub ON sub.organization_id = o.id
	JOIN plans AS p ON p.id = sub.plan_id AND 'custom_branding' = ANY (p.features)
	WHERE se.token_hash = $1 AND se.revoked_at IS NULL AND se.expires_at > now()`

// SessionBrandColor returns the brand colour orgID's pages should open with for the browser session whose
// token hashes to tokenHash: the organization's colour when the session is live, its user an active
// member, and the plan includes custom_branding; "" otherwise (ClientFlow's default colours apply). One
// round trip (tenant scope and statement pipelined), so serving the app's page stays cheap.
func (db *DB) SessionBrandColor(ctx context.Context, tokenHash []byte, orgID string) (string, error) {
	if !validUUID(orgID) || len(tokenHash) == 0 {
		return "", nil
	}
	var color string
	err := db.tenantQuery(ctx, orgID, "", sessionBrandSQL, []any{tokenHash, orgID}, func(rows pgx.Rows) error {
		for rows.Next() {
			if err := rows.Scan(&color); err != nil {
				return err
			}
		}
		return nil
	})
	return color, err
}
