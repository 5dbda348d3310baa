package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// touchEvery limits last_seen_at writes to one per session per minute, so reads stay reads.
const touchEvery = time.Minute

// sessionRow is the sessions table. Only a hash of the token is stored.
type sessionRow struct {
	bun.BaseModel `bun:"table:sessions"`

	ID         string     `bun:"id,pk"`
	TokenHash  []byte     `bun:"token_hash"`
	UserID     string     `bun:"user_id"`
	IP         string     `bun:"ip"`
	UserAgent  string     `bun:"user_agent"`
	CreatedAt  time.Time  `bun:"created_at"`
	LastSeenAt time.Time  `bun:"last_seen_at"`
	ExpiresAt  time.Time  `bun:"expires_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
	AuthMethod string     `bun:"auth_method"`
	SSOOrgID   *string    `bun:"sso_organization_id"`
}

// Session is a signed-in browser.
type Session struct {
	ID        string
	UserID    string
	TokenHash []byte
	IP        string
	UserAgent string
	ExpiresAt time.Time
	// AuthMethod is how it was opened (domain.AuthMethod*; empty means password). SSOOrgID is the
	// organization whose IdP opened it (AuthMethodSSO).
	AuthMethod string
	SSOOrgID   string
}

// CreateSession stores a new session for a user and fills its ID.
func (db *DB) CreateSession(ctx context.Context, s *Session) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	s.ID = newID()
	row := sessionRow{ID: s.ID, TokenHash: s.TokenHash, UserID: s.UserID, IP: s.IP, UserAgent: s.UserAgent,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: s.ExpiresAt, AuthMethod: s.AuthMethod, SSOOrgID: nullable(s.SSOOrgID)}
	if row.AuthMethod == "" {
		row.AuthMethod = domain.AuthMethodPassword
	}
	_, err := db.idb(ctx).NewInsert().Model(&row).Exec(ctx)
	return err
}

// Principal is who a session token belongs to and, when an organization was asked for, their role there.
type Principal struct {
	User      *domain.User
	SessionID string
	// Role is the user's role in the requested organization; empty when not an active member.
	Role string
	// Permissions are the user's effective permissions in that organization.
	Permissions []domain.Permission
	// ClientID is the client a contact (role client) belongs to; empty for staff.
	ClientID string
	// Features are the organization's plan features (domain.Feature*).
	Features []string
	// SSORequired and Allowlist are the organization's sign-in rules (require SSO, IP allowlist CIDRs),
	// loaded with the membership so enforcing them costs no round trip.
	SSORequired bool
	Allowlist   []string
	// AuthMethod is how the session was opened; SSOOrgID the organization whose IdP opened it.
	AuthMethod string
	SSOOrgID   string
}

const sessionPrincipalSQL = `SELECT u.*, s.id AS session_id, s.last_seen_at, s.auth_method, s.sso_organization_id,
	ma.out_role AS role, ma.out_timeout AS session_timeout, ma.out_permissions AS permissions,
	ma.out_client_id AS client_id, ma.out_features AS features, ma.out_sso_required AS sso_required,
	ma.out_allowlist AS allowlist
	FROM sessions AS s JOIN users AS u ON u.id = s.user_id
	LEFT JOIN LATERAL member_access($2::uuid, u.id, $3::jsonb) AS ma ON true
	WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`

// SessionPrincipal resolves a live (unexpired, unrevoked) session token hash to its user and, when orgID
// is not empty, the user's role and effective permissions in that organization, in one round trip
// (member_access reads under RLS).
// An organization being deleted is no membership. When the organization's idle timeout has passed, the
// session is revoked. Errors: EUNAUTHENTICATED.
func (db *DB) SessionPrincipal(ctx context.Context, tokenHash []byte, orgID string) (*Principal, error) {
	var out struct {
		userRow
		SessionID  string    `bun:"session_id"`
		LastSeenAt time.Time `bun:"last_seen_at"`
		Role       *string   `bun:"role"`
		// SessionTimeout is the organization's idle timeout in minutes; NULL when it is no membership
		// (not a member, suspended, or the organization is being deleted).
		SessionTimeout *int `bun:"session_timeout"`
		// Permissions are the effective permissions (role set and overrides, see member_access).
		Permissions []string `bun:"permissions,array"`
		ClientID    *string  `bun:"client_id"`
		Features    []string `bun:"features,array"`
		AuthMethod  string   `bun:"auth_method"`
		SSOOrgID    *string  `bun:"sso_organization_id"`
		SSORequired *bool    `bun:"sso_required"`
		Allowlist   []string `bun:"allowlist,array"`
	}
	var org *string
	if validUUID(orgID) {
		org = &orgID
	}
	// $n placeholders keep this hot statement prepared once per connection (see setTenantSQL).
	rows, err := db.bun.DB.QueryContext(ctx, sessionPrincipalSQL, prepared, tokenHash, org, defaultPermissionsJSON)
	if err == nil {
		err = db.bun.ScanRows(ctx, rows, &out)
	}
	if err == nil && out.SessionID == "" {
		err = sql.ErrNoRows // ScanRows into a struct leaves it empty when nothing matched
	}
	if err != nil {
		if domain.ErrorCode(mapError(err, "")) == domain.ENOTFOUND {
			return nil, domain.Errorf(domain.EUNAUTHENTICATED, "Please sign in.")
		}
		return nil, err
	}
	if idleTimedOut(out.LastSeenAt, out.SessionTimeout) {
		if _, err := db.bun.NewUpdate().Table("sessions").Set("revoked_at = now()").Where("id = ?", out.SessionID).Exec(ctx); err != nil {
			return nil, err
		}
		return nil, domain.Errorf(domain.EUNAUTHENTICATED, "Your session timed out")
	}
	if time.Since(out.LastSeenAt) > touchEvery {
		_, err = db.bun.NewUpdate().Table("sessions").Set("last_seen_at = now()").Where("id = ?", out.SessionID).Exec(ctx)
	}
	p := &Principal{User: out.userRow.domain(), SessionID: out.SessionID, AuthMethod: out.AuthMethod}
	if out.SSOOrgID != nil {
		p.SSOOrgID = *out.SSOOrgID
	}
	if out.Role != nil && out.SessionTimeout != nil {
		p.Role = *out.Role
		p.Permissions = permissionsFrom(out.Permissions)
		p.Features = out.Features
		p.SSORequired = out.SSORequired != nil && *out.SSORequired
		p.Allowlist = out.Allowlist
		if out.ClientID != nil {
			p.ClientID = *out.ClientID
		}
	}
	return p, err
}

// RevokeSession ends the session with this token hash; revoking an unknown token is not an error.
func (db *DB) RevokeSession(ctx context.Context, tokenHash []byte) error {
	_, err := db.bun.NewUpdate().Table("sessions").Set("revoked_at = now()").
		Where("token_hash = ? AND revoked_at IS NULL", tokenHash).Exec(ctx)
	return err
}

// idleTimedOut reports whether a session last seen at lastSeen has been idle longer than the organization's
// timeout (minutes; nil or 0 means none). last_seen_at is written at most once per touchEvery, so it can lag
// the last request by up to that much: the timeout is counted from last_seen_at plus touchEvery, which never
// signs out a member before the full timeout and at most touchEvery (1 minute) after it.
func idleTimedOut(lastSeen time.Time, timeoutMinutes *int) bool {
	if timeoutMinutes == nil || *timeoutMinutes <= 0 {
		return false
	}
	return time.Since(lastSeen) > time.Duration(*timeoutMinutes)*time.Minute+touchEvery
}
