package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

const notFoundSSO = "This organization has no SSO connection."

// ssoConnectionRow is one sso_connections row; the sealed secrets stay in the store layer's callers that
// need them (SSOConnectionSecrets).
type ssoConnectionRow struct {
	bun.BaseModel `bun:"table:sso_connections"`

	OrganizationID   string     `bun:"organization_id,pk"`
	Protocol         string     `bun:"protocol"`
	Preset           string     `bun:"preset"`
	OIDCIssuer       string     `bun:"oidc_issuer"`
	OIDCClientID     string     `bun:"oidc_client_id"`
	OIDCClientSecret []byte     `bun:"oidc_client_secret"`
	SAMLMetadataURL  string     `bun:"saml_metadata_url"`
	SAMLMetadataXML  string     `bun:"saml_metadata_xml"`
	SAMLSPKey        []byte     `bun:"saml_sp_key"`
	SAMLSPCert       string     `bun:"saml_sp_cert"`
	DefaultRole      string     `bun:"default_role"`
	LastSuccessAt    *time.Time `bun:"last_success_at"`
	CreatedBy        *string    `bun:"created_by"`
	CreatedAt        time.Time  `bun:"created_at"`
	UpdatedAt        time.Time  `bun:"updated_at"`
}

func (r *ssoConnectionRow) domain() *domain.SSOConnection {
	return &domain.SSOConnection{OrganizationID: r.OrganizationID, Protocol: r.Protocol, Preset: r.Preset,
		OIDCIssuer: r.OIDCIssuer, OIDCClientID: r.OIDCClientID, HasClientSecret: len(r.OIDCClientSecret) > 0,
		SAMLMetadataURL: r.SAMLMetadataURL, SAMLMetadataXML: r.SAMLMetadataXML, SAMLCertificate: r.SAMLSPCert,
		DefaultRole: r.DefaultRole, LastSuccessAt: r.LastSuccessAt, UpdatedAt: r.UpdatedAt}
}

// auditView is what the audit log keeps of a connection: never a secret.
func (r *ssoConnectionRow) auditView() map[string]any {
	return map[string]any{"protocol": r.Protocol, "preset": r.Preset, "oidc_issuer": r.OIDCIssuer,
		"oidc_client_id": r.OIDCClientID, "saml_metadata_url": r.SAMLMetadataURL, "default_role": r.DefaultRole}
}

// SSOSecrets are a connection's sealed secrets, for the sign-in flows only.
type SSOSecrets struct {
	Connection *domain.SSOConnection
	// ClientSecret is the sealed OIDC client secret; SPKey the sealed SAML service provider key (PKCS#8 DER).
	ClientSecret []byte
	SPKey        []byte
}

// SSOConnection returns orgID's connection. Errors: ENOTFOUND.
func (db *DB) SSOConnection(ctx context.Context, orgID string) (*domain.SSOConnection, error) {
	s, err := db.SSOConnectionSecrets(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return s.Connection, nil
}

// SSOConnectionSecrets returns orgID's connection with its sealed secrets. Errors: ENOTFOUND.
func (db *DB) SSOConnectionSecrets(ctx context.Context, orgID string) (*SSOSecrets, error) {
	var row ssoConnectionRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&row).Where("organization_id = ?", orgID).Scan(ctx)
	})
	if err != nil {
		return nil, mapError(err, notFoundSSO)
	}
	return &SSOSecrets{Connection: row.domain(), ClientSecret: row.OIDCClientSecret, SPKey: row.SAMLSPKey}, nil
}

// SSOConnectionInput is a connection as the owner saves it. A nil ClientSecret keeps the stored one; SPKey
// and SPCert are set when the connection first becomes SAML (our service provider's key pair).
type SSOConnectionInput struct {
	Connection   domain.SSOConnection
	ClientSecret []byte
	SPKey        []byte
	SPCert       string
}

// SaveSSOConnection creates or replaces orgID's connection. Pointing it at another IdP (protocol, issuer,
// client or metadata changed) forgets the last successful sign-in and switches enforcement off, so a typo
// can never lock the organization out: the owner tests the new IdP, then requires it again.
func (db *DB) SaveSSOConnection(ctx context.Context, orgID, userID string, in SSOConnectionInput) (*domain.SSOConnection, error) {
	var out *domain.SSOConnection
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		var old ssoConnectionRow
		err := tx.NewSelect().Model(&old).Where("organization_id = ?", orgID).For("UPDATE").Scan(ctx)
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		c := in.Connection
		now := time.Now().UTC().Truncate(time.Microsecond)
		row := ssoConnectionRow{OrganizationID: orgID, Protocol: c.Protocol, Preset: c.Preset, OIDCIssuer: c.OIDCIssuer,
			OIDCClientID: c.OIDCClientID, OIDCClientSecret: in.ClientSecret, SAMLMetadataURL: c.SAMLMetadataURL,
			SAMLMetadataXML: c.SAMLMetadataXML, SAMLSPKey: in.SPKey, SAMLSPCert: in.SPCert, DefaultRole: c.DefaultRole,
			CreatedBy: nullable(userID), CreatedAt: now, UpdatedAt: now}
		if exists {
			row.CreatedBy, row.CreatedAt = old.CreatedBy, old.CreatedAt
			if row.OIDCClientSecret == nil {
				row.OIDCClientSecret = old.OIDCClientSecret
			}
			if row.SAMLSPKey == nil {
				row.SAMLSPKey, row.SAMLSPCert = old.SAMLSPKey, old.SAMLSPCert
			}
			if sameIdP(&old, &row) && in.ClientSecret == nil {
				row.LastSuccessAt = old.LastSuccessAt
			}
		}
		if _, err := tx.NewInsert().Model(&row).On("CONFLICT (organization_id) DO UPDATE").
			Set("protocol = EXCLUDED.protocol, preset = EXCLUDED.preset, oidc_issuer = EXCLUDED.oidc_issuer").
			Set("oidc_client_id = EXCLUDED.oidc_client_id, oidc_client_secret = EXCLUDED.oidc_client_secret").
			Set("saml_metadata_url = EXCLUDED.saml_metadata_url, saml_metadata_xml = EXCLUDED.saml_metadata_xml").
			Set("saml_sp_key = EXCLUDED.saml_sp_key, saml_sp_cert = EXCLUDED.saml_sp_cert").
			Set("default_role = EXCLUDED.default_role, last_success_at = EXCLUDED.last_success_at, updated_at = EXCLUDED.updated_at").
			Exec(ctx); err != nil {
			return err
		}
		meta := map[string]any{"after": row.auditView()}
		if exists {
			meta = domain.AuditChange(old.auditView(), row.auditView())
		}
		if row.LastSuccessAt == nil {
			off, err := switchEnforcementOff(ctx, tx, orgID)
			if err != nil {
				return err
			}
			meta["enforcement_switched_off"] = off
		}
		out = row.domain()
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditSSOConnectionSaved,
			EntityType: "sso_connection", EntityID: orgID, Metadata: meta})
	})
	return out, err
}

// sameIdP reports whether a saved connection still points at the same identity provider.
func sameIdP(a, b *ssoConnectionRow) bool {
	return a.Protocol == b.Protocol && a.OIDCIssuer == b.OIDCIssuer && a.OIDCClientID == b.OIDCClientID &&
		a.SAMLMetadataURL == b.SAMLMetadataURL && a.SAMLMetadataXML == b.SAMLMetadataXML
}

func switchEnforcementOff(ctx context.Context, tx bun.Tx, orgID string) (bool, error) {
	res, err := tx.NewUpdate().Table("organization_settings").Set("sso_required = false, updated_at = now()").
		Where("organization_id = ? AND sso_required", orgID).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// DeleteSSOConnection removes orgID's connection and switches enforcement off; identities stay (a new
// connection to the same IdP finds its users again). Errors: ENOTFOUND.
func (db *DB) DeleteSSOConnection(ctx context.Context, orgID, userID string) error {
	return db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Table("sso_connections").Where("organization_id = ?", orgID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, notFoundSSO)
		}
		off, err := switchEnforcementOff(ctx, tx, orgID)
		if err != nil {
			return err
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditSSOConnectionDeleted,
			EntityType: "sso_connection", EntityID: orgID, Metadata: map[string]any{"enforcement_switched_off": off}})
	})
}

// RecordSSOTest notes a successful "test connection" sign-in by userID: the connection has worked, so
// enforcement may be switched on. subject and email are what the IdP asserted.
func (db *DB) RecordSSOTest(ctx context.Context, orgID, userID, protocol, email string) error {
	return db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Table("sso_connections").Set("last_success_at = now()").
			Where("organization_id = ?", orgID).Exec(ctx); err != nil {
			return err
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditSSOConnectionTested, ActorID: userID,
			EntityType: "sso_connection", EntityID: orgID, Metadata: map[string]any{"protocol": protocol, "email": email}})
	})
}

// SetSSORequired switches enforcement on or off. Switching it on needs a connection through which a sign-in
// (or a test) has succeeded. Errors: EINVALID.
func (db *DB) SetSSORequired(ctx context.Context, orgID, userID string, on bool) error {
	return db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		if on {
			var ok bool
			if err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM sso_connections WHERE organization_id = ? AND last_success_at IS NOT NULL)`,
				orgID).Scan(ctx, &ok); err != nil {
				return err
			}
			if !ok {
				return domain.Invalid("body.sso_required",
					"Sign in through the SSO connection once (Test connection) before requiring it, so nobody is locked out.")
			}
		}
		var before bool
		if err := tx.NewRaw(`SELECT sso_required FROM organization_settings WHERE organization_id = ? FOR UPDATE`, orgID).
			Scan(ctx, &before); err != nil {
			return err
		}
		if before == on {
			return nil
		}
		if _, err := tx.NewUpdate().Table("organization_settings").Set("sso_required = ?, updated_at = now()", on).
			Where("organization_id = ?", orgID).Exec(ctx); err != nil {
			return err
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditSSOEnforcementChanged,
			EntityType: "sso_connection", EntityID: orgID,
			Metadata: domain.AuditChange(map[string]any{"sso_required": before}, map[string]any{"sso_required": on})})
	})
}

// SecuritySettings is the security tab: the connection (nil when none), claimed domains, enforcement and the
// IP allowlist.
type SecuritySettings struct {
	Connection  *domain.SSOConnection
	Domains     []domain.SSODomain
	SSORequired bool
	Allowlist   []domain.AllowlistEntry
}

// OrganizationSecurity reads orgID's security settings in one transaction.
func (db *DB) OrganizationSecurity(ctx context.Context, orgID string) (*SecuritySettings, error) {
	out := &SecuritySettings{}
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var row ssoConnectionRow
		err := tx.NewSelect().Model(&row).Where("organization_id = ?", orgID).Scan(ctx)
		if err == nil {
			out.Connection = row.domain()
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.NewRaw(`SELECT sso_required FROM organization_settings WHERE organization_id = ?`, orgID).
			Scan(ctx, &out.SSORequired); err != nil {
			return err
		}
		if out.Domains, err = ssoDomains(ctx, tx, orgID); err != nil {
			return err
		}
		out.Allowlist, err = ipAllowlist(ctx, tx, orgID)
		return err
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	return out, nil
}

type ssoDomainRow struct {
	Domain            string     `bun:"domain"`
	VerificationToken string     `bun:"verification_token"`
	VerifiedAt        *time.Time `bun:"verified_at"`
	VerifiedMethod    *string    `bun:"verified_method"`
	CreatedAt         time.Time  `bun:"created_at"`
}

func (r *ssoDomainRow) domain() domain.SSODomain {
	d := domain.SSODomain{Domain: r.Domain, VerificationToken: r.VerificationToken, VerifiedAt: r.VerifiedAt, CreatedAt: r.CreatedAt}
	if r.VerifiedMethod != nil {
		d.VerifiedMethod = *r.VerifiedMethod
	}
	return d
}

func ssoDomains(ctx context.Context, tx bun.Tx, orgID string) ([]domain.SSODomain, error) {
	var rows []ssoDomainRow
	if err := tx.NewRaw(`SELECT domain, verification_token, verified_at, verified_method, created_at FROM sso_domains
		WHERE organization_id = ? ORDER BY domain`, orgID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]domain.SSODomain, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// SSODomain returns one of orgID's claimed domains. Errors: ENOTFOUND.
func (db *DB) SSODomain(ctx context.Context, orgID, name string) (*domain.SSODomain, error) {
	var row ssoDomainRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(`SELECT domain, verification_token, verified_at, verified_method, created_at FROM sso_domains
			WHERE organization_id = ? AND domain = ?`, orgID, name).Scan(ctx, &row)
	})
	if err != nil {
		return nil, mapError(err, "Domain not found.")
	}
	d := row.domain()
	return &d, nil
}

// ClaimSSODomain adds an unverified claim of name with its DNS verification token. Errors: ECONFLICT when
// this organization claims it already or another organization has verified it.
func (db *DB) ClaimSSODomain(ctx context.Context, orgID, userID, name, token string) (*domain.SSODomain, error) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	out := &domain.SSODomain{Domain: name, VerificationToken: token, CreatedAt: now}
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		var holder *string
		if err := tx.NewRaw(`SELECT sso_domain_organization(?)::text`, name).Scan(ctx, &holder); err != nil {
			return err
		}
		if holder != nil && *holder != orgID {
			return domain.Errorf(domain.ECONFLICT, "Another organization has verified %s.", name)
		}
		res, err := tx.NewRaw(`INSERT INTO sso_domains (organization_id, domain, verification_token, created_at)
			VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, orgID, name, token, now).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ECONFLICT, "This organization already claims %s.", name)
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditSSODomainClaimed,
			EntityType: "sso_domain", EntityID: name})
	})
	return out, err
}

// VerifySSODomain marks a claim verified by method (domain.SSOVerified*). Errors: ENOTFOUND, ECONFLICT when
// another organization verified the domain first.
func (db *DB) VerifySSODomain(ctx context.Context, orgID, userID, name, method string) error {
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewRaw(`UPDATE sso_domains SET verified_at = now(), verified_method = ?
			WHERE organization_id = ? AND domain = ? AND verified_at IS NULL`,
			method, orgID, name).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "Domain not found.")
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditSSODomainVerified,
			EntityType: "sso_domain", EntityID: name, Metadata: map[string]any{"method": method}})
	})
	if domain.ErrorCode(mapError(err, "")) == domain.ECONFLICT {
		return domain.Errorf(domain.ECONFLICT, "Another organization has verified %s.", name)
	}
	return err
}

// RemoveSSODomain drops a claim. Errors: ENOTFOUND.
func (db *DB) RemoveSSODomain(ctx context.Context, orgID, userID, name string) error {
	return db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewRaw(`DELETE FROM sso_domains WHERE organization_id = ? AND domain = ?`, orgID, name).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "Domain not found.")
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditSSODomainRemoved,
			EntityType: "sso_domain", EntityID: name})
	})
}

// SSODomainOrganization returns the organization that has verified the email domain d, or "" when none.
func (db *DB) SSODomainOrganization(ctx context.Context, d string) (string, error) {
	var org *string
	if err := db.bun.NewRaw(`SELECT sso_domain_organization(?)::text`, d).Scan(ctx, &org); err != nil {
		return "", err
	}
	if org == nil {
		return "", nil
	}
	return *org, nil
}

func ipAllowlist(ctx context.Context, tx bun.Tx, orgID string) ([]domain.AllowlistEntry, error) {
	var rows []struct {
		ID        string    `bun:"id"`
		CIDR      string    `bun:"cidr"`
		Label     string    `bun:"label"`
		CreatedAt time.Time `bun:"created_at"`
	}
	if err := tx.NewRaw(`SELECT id, cidr::text AS cidr, label, created_at FROM ip_allowlist_entries
		WHERE organization_id = ? ORDER BY created_at, id`, orgID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]domain.AllowlistEntry, len(rows))
	for i, r := range rows {
		out[i] = domain.AllowlistEntry{ID: r.ID, CIDR: r.CIDR, Label: r.Label, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// ReplaceIPAllowlist replaces orgID's allowlist with entries (CIDRs canonical, see domain.ParseCIDR) and
// returns the saved list. An empty list lifts the restriction.
func (db *DB) ReplaceIPAllowlist(ctx context.Context, orgID, userID string, entries []domain.AllowlistEntry) ([]domain.AllowlistEntry, error) {
	var out []domain.AllowlistEntry
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		// Serialise concurrent saves of one organization's list (the last one wins whole).
		if _, err := tx.NewRaw(`SELECT 1 FROM organization_settings WHERE organization_id = ? FOR UPDATE`, orgID).Exec(ctx); err != nil {
			return err
		}
		before, err := ipAllowlist(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if _, err := tx.NewRaw(`DELETE FROM ip_allowlist_entries WHERE organization_id = ?`, orgID).Exec(ctx); err != nil {
			return err
		}
		for _, e := range entries {
			if _, err := tx.NewRaw(`INSERT INTO ip_allowlist_entries (organization_id, id, cidr, label, created_by)
				VALUES (?, ?, ?::cidr, ?, ?)`, orgID, newID(), e.CIDR, e.Label, nullable(userID)).Exec(ctx); err != nil {
				if domain.ErrorCode(mapError(err, "")) == domain.ECONFLICT {
					return domain.Invalid("body.entries", e.CIDR+" is listed twice.")
				}
				return err
			}
		}
		if out, err = ipAllowlist(ctx, tx, orgID); err != nil {
			return err
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditIPAllowlistChanged,
			EntityType: "ip_allowlist", EntityID: orgID,
			Metadata: map[string]any{"before": allowlistAudit(before), "after": allowlistAudit(out)}})
	})
	return out, err
}

func allowlistAudit(es []domain.AllowlistEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.CIDR
		if e.Label != "" {
			out[i] += " (" + e.Label + ")"
		}
	}
	return out
}
