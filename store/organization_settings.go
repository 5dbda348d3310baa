package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// settingsSQL reads an organization's settings with its name and slug; the caller's tenant scope applies.
const settingsSQL = `SELECT o.id, o.name, o.slug, s.sender_name, s.logo_key, s.logo_type, s.logo_hash, s.brand_color, s.timezone, s.currency,
	s.session_timeout_minutes, greatest(o.updated_at, s.updated_at)
	FROM organizations AS o JOIN organization_settings AS s ON s.organization_id = o.id
	WHERE o.id = $1 AND o.status = 'active'`

// OrganizationSettings returns orgID's settings. Errors: ENOTFOUND.
func (db *DB) OrganizationSettings(ctx context.Context, orgID string) (*domain.OrganizationSettings, error) {
	var s domain.OrganizationSettings
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return scanSettings(ctx, tx, orgID, &s, "")
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	return &s, nil
}

// UpdateOrganizationSettings loads orgID's settings, lets change edit them, validates and saves them in one
// transaction (the organization's name and slug included); an error from change aborts it unchanged.
// The logo is not written here (see SetOrganizationLogo). Errors: ENOTFOUND, EINVALID, ECONFLICT (slug
// taken), and change's.
func (db *DB) UpdateOrganizationSettings(ctx context.Context, orgID, userID string, change func(*domain.OrganizationSettings) error) (*domain.OrganizationSettings, error) {
	var s domain.OrganizationSettings
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		if err := scanSettings(ctx, tx, orgID, &s, " FOR UPDATE OF o, s"); err != nil {
			return err
		}
		before := auditSettings(&s)
		if err := change(&s); err != nil {
			return err
		}
		if err := s.Validate(); err != nil {
			return err
		}
		if err := auditSettingsChange(ctx, tx, orgID, before, auditSettings(&s)); err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, "UPDATE organizations SET name = ?, slug = ?, updated_at = ? WHERE id = ?",
			s.Name, s.Slug, now, orgID); err != nil {
			return slugTaken(err)
		}
		s.UpdatedAt = now
		_, err := tx.ExecContext(ctx, `UPDATE organization_settings SET sender_name = ?, brand_color = ?, timezone = ?,
			currency = ?, session_timeout_minutes = ?, updated_at = ? WHERE organization_id = ?`,
			s.SenderName, s.BrandColor, s.Timezone, s.Currency, s.SessionTimeoutMinutes, now, orgID)
		return err
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	return &s, nil
}

// brandingFields are the settings an organization's look is made of: changing only these is a branding
// change in the audit log, anything else a settings change.
var brandingFields = map[string]bool{"sender_name": true, "brand_color": true, "logo_type": true, "logo_hash": true}

// auditSettings is s as the audit log records it (the logo by type and content hash, not its storage key).
func auditSettings(s *domain.OrganizationSettings) map[string]any {
	return map[string]any{"name": s.Name, "slug": s.Slug, "sender_name": s.SenderName, "brand_color": s.BrandColor,
		"timezone": s.Timezone, "currency": s.Currency, "session_timeout_minutes": s.SessionTimeoutMinutes,
		"logo_type": s.LogoType, "logo_hash": s.LogoHash}
}

// auditSettingsChange records the fields that differ between before and after (nothing when none do) as
// organization.branding_changed when only branding fields changed, else organization.settings_changed.
func auditSettingsChange(ctx context.Context, tx bun.Tx, orgID string, before, after map[string]any) error {
	change := domain.AuditChange(before, after)
	changed := change["after"].(map[string]any)
	if len(changed) == 0 {
		return nil
	}
	action := domain.AuditOrganizationBrandingChanged
	for k := range changed {
		if !brandingFields[k] {
			action = domain.AuditOrganizationSettingsChanged
		}
	}
	return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: action, EntityType: "organization", EntityID: orgID,
		Metadata: change})
}

func scanSettings(ctx context.Context, tx bun.Tx, orgID string, s *domain.OrganizationSettings, lock string) error {
	return tx.Tx.QueryRowContext(ctx, settingsSQL+lock, prepared, orgID).Scan(&s.OrganizationID, &s.Name, &s.Slug,
		&s.SenderName, &s.LogoKey, &s.LogoType, &s.LogoHash, &s.BrandColor, &s.Timezone, &s.Currency, &s.SessionTimeoutMinutes, &s.UpdatedAt)
}

// slugTaken names the field when the slug's unique index refuses the update: slugs are global, and other
// tenants' rows are invisible under RLS, so the index is the only judge.
func slugTaken(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return &domain.Error{Code: domain.ECONFLICT, Message: "That slug is already taken.",
			Fields: []domain.FieldError{{Field: "body.slug", Message: "is already taken"}}}
	}
	return err
}
