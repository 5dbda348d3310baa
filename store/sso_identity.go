package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// LoginState is a sign-in in flight at an external provider (see the sso_login_states table).
type LoginState struct {
	StateHash     []byte
	Provider      string // google, oidc, saml
	Purpose       string // sign_in, link, test
	OrgID         string // the organization whose IdP it is (oidc, saml)
	UserID        string // who is linking or testing
	Nonce         string
	CodeVerifier  string
	SAMLRequestID string
	ReturnTo      string
	ExpiresAt     time.Time
}

// Login state purposes.
const (
	LoginSignIn = "sign_in"
	LoginLink   = "link"
	LoginTest   = "test"
)

// CreateLoginState stores st, first dropping a few expired states so the table stays small without a sweeper.
func (db *DB) CreateLoginState(ctx context.Context, st *LoginState) error {
	if _, err := db.bun.NewRaw(`DELETE FROM sso_login_states WHERE state_hash IN
		(SELECT state_hash FROM sso_login_states WHERE expires_at < now() LIMIT 100)`).Exec(ctx); err != nil {
		return err
	}
	_, err := db.bun.NewRaw(`INSERT INTO sso_login_states (state_hash, provider, purpose, sso_org_id, user_id, nonce,
		code_verifier, saml_request_id, return_to, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		st.StateHash, st.Provider, st.Purpose, nullable(st.OrgID), nullable(st.UserID), st.Nonce, st.CodeVerifier,
		st.SAMLRequestID, st.ReturnTo, st.ExpiresAt).Exec(ctx)
	return err
}

// ConsumeLoginState deletes and returns the unexpired state with this hash: a state works once.
// Errors: ENOTFOUND.
func (db *DB) ConsumeLoginState(ctx context.Context, stateHash []byte) (*LoginState, error) {
	var row struct {
		Provider      string    `bun:"provider"`
		Purpose       string    `bun:"purpose"`
		OrgID         *string   `bun:"sso_org_id"`
		UserID        *string   `bun:"user_id"`
		Nonce         string    `bun:"nonce"`
		CodeVerifier  string    `bun:"code_verifier"`
		SAMLRequestID string    `bun:"saml_request_id"`
		ReturnTo      string    `bun:"return_to"`
		ExpiresAt     time.Time `bun:"expires_at"`
	}
	err := db.bun.NewRaw(`DELETE FROM sso_login_states WHERE state_hash = ? AND expires_at > now()
		RETURNING provider, purpose, sso_org_id, user_id, nonce, code_verifier, saml_request_id, return_to, expires_at`,
		stateHash).Scan(ctx, &row)
	if err != nil {
		return nil, mapError(err, "This sign-in has expired or was already used. Start again.")
	}
	st := &LoginState{StateHash: stateHash, Provider: row.Provider, Purpose: row.Purpose, Nonce: row.Nonce,
		CodeVerifier: row.CodeVerifier, SAMLRequestID: row.SAMLRequestID, ReturnTo: row.ReturnTo, ExpiresAt: row.ExpiresAt}
	if row.OrgID != nil {
		st.OrgID = *row.OrgID
	}
	if row.UserID != nil {
		st.UserID = *row.UserID
	}
	return st, nil
}

// UseSAMLAssertion records an accepted assertion ID until it expires. Errors: EINVALID when it was used before
// (a replay).
func (db *DB) UseSAMLAssertion(ctx context.Context, orgID, id string, expires time.Time) error {
	return db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewRaw(`DELETE FROM sso_used_assertions WHERE organization_id = ? AND expires_at < now() - interval '1 hour'`,
			orgID).Exec(ctx); err != nil {
			return err
		}
		res, err := tx.NewRaw(`INSERT INTO sso_used_assertions (organization_id, assertion_id, expires_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, orgID, truncateRunes(id, 512), expires).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.EINVALID, "This SAML assertion was already used.")
		}
		return nil
	})
}

// GoogleIdentity is an account's linked Google account.
type GoogleIdentity struct {
	Subject   string
	Email     string
	CreatedAt time.Time
}

// GoogleIdentityUser returns the user linked to a Google subject. Errors: ENOTFOUND.
func (db *DB) GoogleIdentityUser(ctx context.Context, subject string) (*domain.User, error) {
	var row userRow
	err := db.bun.NewSelect().Model(&row).Where("id = (SELECT user_id FROM user_google_identities WHERE subject = ?)", subject).Scan(ctx)
	if err != nil {
		return nil, mapError(err, "No account is linked to this Google account.")
	}
	return row.domain(), nil
}

// GoogleIdentityOf returns userID's linked Google account, or nil.
func (db *DB) GoogleIdentityOf(ctx context.Context, userID string) (*GoogleIdentity, error) {
	var out GoogleIdentity
	err := db.bun.NewRaw(`SELECT subject, email, created_at FROM user_google_identities WHERE user_id = ?`, userID).
		Scan(ctx, &out.Subject, &out.Email, &out.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &out, err
}

// LinkGoogle links a Google account to userID (in ctx's transaction when it carries one) and audits it.
// Errors: ECONFLICT when the Google account is linked to another user or the user has another one linked.
func (db *DB) LinkGoogle(ctx context.Context, userID, subject, email string) error {
	_, err := db.idb(ctx).NewRaw(`INSERT INTO user_google_identities (user_id, subject, email) VALUES (?, ?, ?)`,
		userID, subject, email).Exec(ctx)
	if domain.ErrorCode(mapError(err, "")) == domain.ECONFLICT {
		return domain.Errorf(domain.ECONFLICT, "This Google account is linked to another account, or yours has another one linked.")
	}
	if err != nil {
		return err
	}
	return recordUserAudit(ctx, db.idb(ctx), userID, domain.AuditGoogleLinked, map[string]any{"email": email})
}

// UnlinkGoogle removes userID's Google link. Errors: ENOTFOUND.
func (db *DB) UnlinkGoogle(ctx context.Context, userID string) error {
	return db.Atomically(ctx, "", "", func(ctx context.Context) error {
		var email string
		err := db.idb(ctx).NewRaw(`DELETE FROM user_google_identities WHERE user_id = ? RETURNING email`, userID).Scan(ctx, &email)
		if err != nil {
			return mapError(err, "No Google account is linked.")
		}
		return recordUserAudit(ctx, db.idb(ctx), userID, domain.AuditGoogleUnlinked, map[string]any{"email": email})
	})
}

// SSOSignInResult is who an organization's IdP signed in.
type SSOSignInResult struct {
	User *domain.User
	// Joined says the user became a member now (just-in-time membership).
	Joined bool
}

// ssoRefused is the one answer to an identity the organization's IdP may not vouch for.
func ssoRefused(msg string) error { return domain.Errorf(domain.EFORBIDDEN, "%s", msg) }

// SSOSignIn resolves what orgID's IdP asserted to an account and a membership, in one transaction:
//
//   - an identity already linked (organization, subject) is its user;
//   - otherwise the email must be at a domain the organization has verified by its DNS TXT record: only then
//     is its IdP an authority for the address. An existing account with that email is linked, else one is created
//     (email verified, no usable password);
//   - an active member goes on; a suspended one is refused; anyone else joins with the connection's default
//     role (a seat on the plan, like an accepted invitation).
//
// An IdP can therefore never sign anyone into another organization (the identity is scoped to orgID) nor
// take over an account at a domain its organization has not proven it controls. The connection's
// last_success_at is set. Errors: EFORBIDDEN, EPLANLIMIT.
func (db *DB) SSOSignIn(ctx context.Context, orgID, protocol string, id domain.ExternalIdentity, newPasswordHash string) (*SSOSignInResult, error) {
	out := &SSOSignInResult{}
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var role string
		if err := tx.NewRaw(`SELECT default_role FROM sso_connections WHERE organization_id = ?`, orgID).Scan(ctx, &role); err != nil {
			return mapError(err, notFoundSSO)
		}
		user, err := ssoUser(ctx, tx, orgID, id, newPasswordHash)
		if err != nil {
			return err
		}
		out.User = user
		if out.Joined, err = ensureSSOMembership(ctx, tx, orgID, user, role); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("sso_connections").Set("last_success_at = now()").
			Where("organization_id = ?", orgID).Exec(ctx); err != nil {
			return err
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditSSOSignedIn, ActorID: user.ID,
			EntityType: "user", EntityID: user.ID, Metadata: map[string]any{"protocol": protocol, "email": id.Email,
				"subject": id.Subject, "joined": out.Joined}})
	})
	return out, err
}

// ssoUser finds or creates the account of an identity asserted by orgID's IdP (see SSOSignIn).
func ssoUser(ctx context.Context, tx bun.Tx, orgID string, id domain.ExternalIdentity, newPasswordHash string) (*domain.User, error) {
	var row userRow
	err := tx.NewSelect().Model(&row).Where(`id = (SELECT user_id FROM sso_identities WHERE organization_id = ? AND subject = ?)`,
		orgID, id.Subject).Scan(ctx)
	if err == nil {
		_, err = tx.NewRaw(`UPDATE sso_identities SET last_seen_at = now() WHERE organization_id = ? AND subject = ?`,
			orgID, id.Subject).Exec(ctx)
		return row.domain(), err
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	email := domain.NormalizeEmail(id.Email)
	if domain.ValidateEmail("email", email) != nil {
		return nil, ssoRefused("Your identity provider did not send a valid email address.")
	}
	// Only a DNS-verified domain makes the IdP an authority for its addresses. Domains are verified by DNS only
	// (see the README): an owner's own address at the domain would prove one mailbox, not control of the
	// domain, and would let any employee's own IdP sign in as a colleague's account; the method is checked
	// here again so no other kind of claim can ever count.
	var verified bool
	if err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM sso_domains WHERE organization_id = ? AND domain = ?
		AND verified_at IS NOT NULL AND verified_method = 'dns_txt')`,
		orgID, domain.EmailDomain(email)).Scan(ctx, &verified); err != nil {
		return nil, err
	}
	if !verified {
		return nil, ssoRefused("This organization's identity provider cannot sign in addresses at " + domain.EmailDomain(email) +
			": the organization has not verified that domain with its DNS record.")
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	err = tx.NewSelect().Model(&row).Where("email = ?", email).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		name := id.Name
		if name == "" {
			name, _, _ = strings.Cut(email, "@")
		}
		row = userRow{ID: newID(), Name: truncateRunes(name, 100), Email: email, EmailVerifiedAt: &now,
			PasswordHash: newPasswordHash, Timezone: "UTC", CreatedAt: now, UpdatedAt: now}
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	} else if row.EmailVerifiedAt == nil {
		// The organization controls the domain, so its IdP vouches for the address. Whoever chose the account's
		// password never proved they receive its mail: like a Google sign-in (VerifyEmailByProvider), the
		// password becomes nobody's and the account's sessions end, so an account registered in advance with
		// someone else's address is not kept by its registrant.
		if _, err := tx.NewRaw(`UPDATE users SET email_verified_at = ?, password_hash = ?, updated_at = ? WHERE id = ?`,
			now, newPasswordHash, now, row.ID).Exec(ctx); err != nil {
			return nil, err
		}
		if err := revokeUserSessions(ctx, tx, row.ID, ""); err != nil {
			return nil, err
		}
		row.EmailVerifiedAt, row.PasswordHash = &now, newPasswordHash
	}
	_, err = tx.NewRaw(`INSERT INTO sso_identities (organization_id, subject, user_id, email) VALUES (?, ?, ?, ?)`,
		orgID, truncateRunes(id.Subject, 512), row.ID, email).Exec(ctx)
	return row.domain(), err
}

// ensureSSOMembership makes user an active member of orgID with role unless they are one; it reports whether
// they joined now. A suspended member is refused.
func ensureSSOMembership(ctx context.Context, tx bun.Tx, orgID string, user *domain.User, role string) (bool, error) {
	var status string
	err := tx.NewRaw(`SELECT status FROM organization_memberships WHERE organization_id = ? AND user_id = ?`, orgID, user.ID).
		Scan(ctx, &status)
	if err == nil {
		if status != domain.MemberActive {
			return false, ssoRefused("Your membership of this organization is suspended. Ask an owner or admin.")
		}
		return false, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	m := membershipRow{ID: newID(), OrganizationID: orgID, UserID: user.ID, Role: role, Status: domain.MemberActive,
		CreatedAt: now, UpdatedAt: now}
	if _, err := tx.NewInsert().Model(&m).Exec(ctx); err != nil {
		return false, err
	}
	if err := bumpUsage(ctx, tx, orgID, domain.UsageMembers, 1); err != nil {
		return false, err
	}
	added := domain.MemberEventPayload{UserID: user.ID, Role: role, Name: user.Name, Email: user.Email}
	if err := recordEvent(ctx, tx, orgID, memberEvent(domain.EventMemberAdded, user.ID, added)); err != nil {
		return false, err
	}
	return true, recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditMemberJoined, ActorID: user.ID,
		EntityType: "member", EntityID: user.ID, Metadata: map[string]any{"via": "sso", "role": role, "email": user.Email}})
}

// SSOIdentityLink is an organization whose IdP a user has signed in through.
type SSOIdentityLink struct {
	OrganizationID   string    `bun:"organization_id"`
	OrganizationName string    `bun:"organization_name"`
	Email            string    `bun:"email"`
	LastSeenAt       time.Time `bun:"last_seen_at"`
}

// SSOIdentitiesOf lists the organizations whose IdP userID signs in through (the account page).
func (db *DB) SSOIdentitiesOf(ctx context.Context, userID string) ([]SSOIdentityLink, error) {
	out := []SSOIdentityLink{}
	err := db.bun.NewRaw(`SELECT * FROM user_sso_identities(?)`, userID).Scan(ctx, &out)
	return out, err
}
