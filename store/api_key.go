package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
)

const apiKeyNotFound = "API key not found."

// apiKeyRow is one api_keys row with its creator's name.
type apiKeyRow struct {
	ID             string     `bun:"id"`
	OrganizationID string     `bun:"organization_id"`
	Name           string     `bun:"name"`
	Prefix         string     `bun:"prefix"`
	LastFour       string     `bun:"last_four"`
	Scopes         []string   `bun:"scopes,array"`
	CreatedBy      string     `bun:"created_by"`
	CreatedByName  string     `bun:"created_by_name"`
	CreatedAt      time.Time  `bun:"created_at"`
	ExpiresAt      *time.Time `bun:"expires_at"`
	RevokedAt      *time.Time `bun:"revoked_at"`
	LastUsedAt     *time.Time `bun:"last_used_at"`
	LastUsedIP     *string    `bun:"last_used_ip"`
}

func (r *apiKeyRow) domain() *domain.APIKey {
	k := &domain.APIKey{ID: r.ID, OrganizationID: r.OrganizationID, Name: r.Name, Prefix: r.Prefix,
		LastFour: r.LastFour, CreatedBy: r.CreatedBy, CreatedByName: r.CreatedByName, CreatedAt: r.CreatedAt,
		ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt, LastUsedAt: r.LastUsedAt}
	if r.Scopes != nil {
		k.Scopes = make([]domain.Permission, len(r.Scopes))
		for i, s := range r.Scopes {
			k.Scopes[i] = domain.Permission(s)
		}
	}
	if r.LastUsedIP != nil {
		k.LastUsedIP = *r.LastUsedIP
	}
	return k
}

// apiKeyColumns are what an APIKey carries, from api_keys k joined with its creator u.
const apiKeyColumns = `k.id, k.organization_id, k.name, k.prefix, k.last_four, k.scopes, k.created_by,
	u.name AS created_by_name, k.created_at, k.expires_at, k.revoked_at, k.last_used_at, k.last_used_ip`

// CreateAPIKey stores k for orgID on behalf of userID (its creator) with the key's SHA-256, filling ID and
// CreatedAt. The key itself is never stored. Errors: EINVALID.
func (db *DB) CreateAPIKey(ctx context.Context, orgID, userID string, k *domain.APIKey, keyHash []byte) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	k.ID, k.OrganizationID, k.CreatedBy, k.CreatedAt = newID(), orgID, userID, now
	var scopes any
	if k.Scopes != nil {
		scopes = pgdialect.Array(k.Scopes)
	}
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewRaw(`INSERT INTO api_keys (organization_id, id, name, prefix, last_four, key_hash, scopes,
				created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING (SELECT name FROM users WHERE id = ?)`,
			orgID, k.ID, k.Name, k.Prefix, k.LastFour, keyHash, scopes, userID, now, k.ExpiresAt, userID).
			Scan(ctx, &k.CreatedByName); err != nil {
			return err
		}
		// The key itself and its hash never reach the log: the prefix and last four identify it.
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditAPIKeyCreated, EntityType: "api_key",
			EntityID: k.ID, Metadata: map[string]any{"name": k.Name, "prefix": k.Prefix, "last_four": k.LastFour,
				"scopes": k.Scopes, "expires_at": k.ExpiresAt}})
	})
	return mapError(err, apiKeyNotFound)
}

// APIKeys lists orgID's keys newest first, up to limit after the cursor; the returned cursor is empty on the
// last page. Errors: EINVALID for a malformed cursor.
func (db *DB) APIKeys(ctx context.Context, orgID string, limit int, cursor string) ([]*domain.APIKey, string, error) {
	after, err := decodeCursor(cursor)
	if err != nil {
		return nil, "", err
	}
	var rows []apiKeyRow
	err = db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewSelect().ColumnExpr(apiKeyColumns).TableExpr("api_keys AS k").
			Join("JOIN users AS u ON u.id = k.created_by").
			Where("k.organization_id = ?", orgID)
		if after != "" {
			q = q.Where("k.id < ?", after)
		}
		// ids are UUIDv7, so id order is creation order.
		return q.OrderExpr("k.id DESC").Limit(int64(limit+1)).Scan(ctx, &rows)
	})
	if err != nil {
		return nil, "", mapError(err, apiKeyNotFound)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = encodeCursor(rows[len(rows)-1].ID)
	}
	out := make([]*domain.APIKey, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, next, nil
}

// RevokeAPIKey revokes one of orgID's keys on behalf of actorID and returns it; revoking a revoked key keeps
// its first revocation. Errors: ENOTFOUND (also for another tenant's ID).
func (db *DB) RevokeAPIKey(ctx context.Context, orgID, actorID, id string) (*domain.APIKey, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, apiKeyNotFound)
	}
	var row apiKeyRow
	err := db.inTenant(ctx, orgID, actorID, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewRaw(`UPDATE api_keys SET revoked_at = now(), revoked_by = ?
			WHERE organization_id = ? AND id = ? AND revoked_at IS NULL`, nullable(actorID), orgID, id).Exec(ctx)
		if err != nil {
			return err
		}
		if err := tx.NewSelect().ColumnExpr(apiKeyColumns).TableExpr("api_keys AS k").
			Join("JOIN users AS u ON u.id = k.created_by").
			Where("k.organization_id = ? AND k.id = ?", orgID, id).Scan(ctx, &row); err != nil {
			return err
		}
		// Revoking a revoked key changes nothing, and logs nothing.
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditAPIKeyRevoked, EntityType: "api_key",
			EntityID: id, ActorID: actorID, Metadata: map[string]any{"name": row.Name, "prefix": row.Prefix}})
	})
	if err != nil {
		return nil, mapError(err, apiKeyNotFound)
	}
	return row.domain(), nil
}

// DeleteAPIKey removes one of orgID's keys; a deleted key is unknown from then on (401 api_key_invalid).
// Errors: ENOTFOUND (also for another tenant's ID).
func (db *DB) DeleteAPIKey(ctx context.Context, orgID, id string) error {
	if !validUUID(id) {
		return domain.Errorf(domain.ENOTFOUND, apiKeyNotFound)
	}
	return db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var gone []struct {
			Name   string `bun:"name"`
			Prefix string `bun:"prefix"`
		}
		if err := tx.NewRaw("DELETE FROM api_keys WHERE organization_id = ? AND id = ? RETURNING name, prefix", orgID, id).
			Scan(ctx, &gone); err != nil {
			return err
		}
		if len(gone) == 0 {
			return domain.Errorf(domain.ENOTFOUND, apiKeyNotFound)
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditAPIKeyDeleted, EntityType: "api_key",
			EntityID: id, Metadata: map[string]any{"name": gone[0].Name, "prefix": gone[0].Prefix}})
	})
}

// APIKeyPrincipal is who a bearer key acts as: its creator in the key's organization, with the key's
// effective permissions, and the key's own state.
type APIKeyPrincipal struct {
	Principal
	KeyID          string
	OrganizationID string
	// Status is domain.APIKeyActive, APIKeyExpired or APIKeyRevoked.
	Status     string
	LastUsedAt *time.Time
}

// apiKeyPrincipalSQL resolves a key hash in one round trip: api_key_by_hash (SECURITY DEFINER: the key's
// organization is not known yet, so no tenant scope can be set) finds the key, and member_access gives its
// creator's current role, permissions and the plan's features in the key's organization.
const apiKeyPrincipalSQL = `SELECT u.*, k.out_id AS key_id, k.out_organization_id AS key_org_id,
	k.out_scopes AS scopes, k.out_expires_at AS expires_at, k.out_revoked_at AS revoked_at,
	k.out_last_used_at AS last_used_at,
	ma.out_role AS role, ma.out_timeout AS session_timeout, ma.out_permissions AS permissions,
	ma.out_client_id AS client_id, ma.out_features AS features, ma.out_allowlist AS allowlist
	FROM api_key_by_hash($1) AS k JOIN users AS u ON u.id = k.out_created_by
	LEFT JOIN LATERAL member_access(k.out_organization_id, u.id, $2::jsonb) AS ma ON true`

// APIKeyByHash resolves a bearer key's SHA-256 to its principal. The permissions are the creator's current
// ones narrowed to the key's scopes. A revoked or expired key still resolves (with its Status) so the caller
// can answer precisely and notice reuse of a revoked key. Errors: EAPIKEYINVALID for an unknown key or one
// whose creator is no longer an active member of its organization (or the organization is being deleted).
func (db *DB) APIKeyByHash(ctx context.Context, keyHash []byte) (*APIKeyPrincipal, error) {
	var out struct {
		userRow
		KeyID      string     `bun:"key_id"`
		KeyOrgID   string     `bun:"key_org_id"`
		Scopes     []string   `bun:"scopes,array"`
		ExpiresAt  *time.Time `bun:"expires_at"`
		RevokedAt  *time.Time `bun:"revoked_at"`
		LastUsedAt *time.Time `bun:"last_used_at"`
		Role       *string    `bun:"role"`
		// SessionTimeout is NULL when member_access found no membership (it applies to sessions only).
		SessionTimeout *int     `bun:"session_timeout"`
		Permissions    []string `bun:"permissions,array"`
		ClientID       *string  `bun:"client_id"`
		Features       []string `bun:"features,array"`
		Allowlist      []string `bun:"allowlist,array"`
	}
	// $n placeholders keep this hot statement prepared once per connection (see setTenantSQL).
	rows, err := db.bun.DB.QueryContext(ctx, apiKeyPrincipalSQL, prepared, keyHash, defaultPermissionsJSON)
	if err == nil {
		err = db.bun.ScanRows(ctx, rows, &out)
	}
	if err == nil && out.KeyID == "" {
		err = sql.ErrNoRows
	}
	if err != nil {
		if domain.ErrorCode(mapError(err, "")) == domain.ENOTFOUND {
			return nil, domain.InvalidAPIKey()
		}
		return nil, err
	}
	p := &APIKeyPrincipal{Principal: Principal{User: out.userRow.domain()}, KeyID: out.KeyID,
		OrganizationID: out.KeyOrgID, LastUsedAt: out.LastUsedAt,
		Status: domain.APIKeyStatus(out.RevokedAt, out.ExpiresAt, time.Now())}
	if out.Role == nil || out.SessionTimeout == nil {
		// Not (or no longer) a member: a revoked key still says so, anything else is simply invalid.
		if p.Status == domain.APIKeyRevoked {
			return p, nil
		}
		return nil, domain.InvalidAPIKey()
	}
	var scopes []domain.Permission
	if out.Scopes != nil {
		scopes = permissionsFrom(out.Scopes)
	}
	p.Role = *out.Role
	p.Permissions = domain.APIKeyPermissions(permissionsFrom(out.Permissions), scopes)
	p.Features = out.Features
	p.Allowlist = out.Allowlist
	if out.ClientID != nil {
		p.ClientID = *out.ClientID
	}
	return p, nil
}

// TouchAPIKey records that the key was just used from ip, at most once per touchEvery per key, so a busy
// integration's reads stay reads.
func (db *DB) TouchAPIKey(ctx context.Context, p *APIKeyPrincipal, ip string) error {
	if p.LastUsedAt != nil && time.Since(*p.LastUsedAt) < touchEvery {
		return nil
	}
	return db.inTenant(ctx, p.OrganizationID, "", func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw(`UPDATE api_keys SET last_used_at = now(), last_used_ip = ?
			WHERE organization_id = ? AND id = ?`, nullable(truncateIP(ip)), p.OrganizationID, p.KeyID).Exec(ctx)
		return err
	})
}

// truncateIP keeps an address within the column's 64 characters (an IPv6 with a zone can be long).
func truncateIP(ip string) string {
	if len(ip) > 64 {
		return ip[:64]
	}
	return ip
}

// APIKeyExposure is what the "API key exposure" notice tells: which key, of which organization, to whom.
type APIKeyExposure struct {
	Key     domain.APIKey
	OrgName string
	// Recipients are the key's creator (while still an active member) and the organization's active owners,
	// each once.
	Recipients []*domain.User
}

// ClaimAPIKeyExposure claims today's exposure notice of a revoked key: it returns nil when the key is not
// revoked, no longer exists, or today's notice was already claimed. Run it in the transaction that queues the
// emails (see Atomically), so a claimed notice is never lost.
func (db *DB) ClaimAPIKeyExposure(ctx context.Context, orgID, keyID string) (*APIKeyExposure, error) {
	if !validUUID(keyID) {
		return nil, nil
	}
	var out *APIKeyExposure
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var row apiKeyRow
		err := tx.NewRaw(`WITH claimed AS (
				UPDATE api_keys SET exposure_notified_on = (now() AT TIME ZONE 'UTC')::date
				WHERE organization_id = ? AND id = ? AND revoked_at IS NOT NULL
				  AND exposure_notified_on IS DISTINCT FROM (now() AT TIME ZONE 'UTC')::date
				RETURNING *)
			SELECT `+apiKeyColumns+` FROM claimed AS k JOIN users AS u ON u.id = k.created_by`, orgID, keyID).Scan(ctx, &row)
		if err == sql.ErrNoRows {
			return nil
		} else if err != nil {
			return err
		}
		e := &APIKeyExposure{Key: *row.domain()}
		if err := tx.NewRaw("SELECT name FROM organizations WHERE id = ?", orgID).Scan(ctx, &e.OrgName); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT u.id, u.name, u.email FROM organization_memberships m
			JOIN users u ON u.id = m.user_id
			WHERE m.organization_id = ? AND m.status = 'active' AND (m.role = ? OR m.user_id = ?)
			ORDER BY m.user_id = ? DESC, m.created_at`, orgID, domain.RoleOwner, row.CreatedBy, row.CreatedBy)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u domain.User
			if err := rows.Scan(&u.ID, &u.Name, &u.Email); err != nil {
				return err
			}
			e.Recipients = append(e.Recipients, &u)
		}
		out = e
		return rows.Err()
	})
	return out, err
}
