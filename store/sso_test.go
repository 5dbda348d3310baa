package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// ssoTables are enterprise sign-in's tenant tables, each with a statement inserting one row of
// organization ?0 (user ?1).
var ssoTables = []struct{ table, insert string }{
	{"sso_connections", `INSERT INTO sso_connections (organization_id, protocol) VALUES (?0, 'oidc')`},
	{"sso_identities", `INSERT INTO sso_identities (organization_id, subject, user_id, email) VALUES (?0, 'subject-1', ?1, 'a@example.com')`},
	{"sso_domains", `INSERT INTO sso_domains (organization_id, domain, verification_token) VALUES (?0, 'shared.example', 'token')`},
	{"sso_used_assertions", `INSERT INTO sso_used_assertions (organization_id, assertion_id, expires_at) VALUES (?0, 'assertion-1', now() + interval '1 hour')`},
	{"ip_allowlist_entries", `INSERT INTO ip_allowlist_entries (organization_id, id, cidr) VALUES (?0, gen_random_uuid(), '203.0.113.0/24')`},
}

// inOrg runs fn as the application role scoped to orgID, in a transaction it rolls back.
func inOrg(t *testing.T, db *store.DB, orgID string, fn func(tx bun.Tx) error) error {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Bun().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SELECT set_config('app.org_id', ?, true)", orgID); err != nil {
		t.Fatal(err)
	}
	return fn(tx)
}

// TestSSOTablesAreIsolatedByTenant is a security regression suite: keep it forever. Scoped to organization
// A, the application role neither sees nor writes organization B's SSO connection, identities, domains,
// used assertions or allowlist.
func TestSSOTablesAreIsolatedByTenant(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	userA, orgA := mustUserAndOrg(t, d.App, "sso-a@example.com")
	userB, orgB := mustUserAndOrg(t, d.App, "sso-b@example.com")
	for _, tc := range ssoTables {
		for _, o := range []struct{ org, user string }{{orgA.ID, userA.ID}, {orgB.ID, userB.ID}} {
			if _, err := d.Owner.Bun().NewRaw(tc.insert, o.org, o.user).Exec(ctx); err != nil {
				t.Fatalf("%s: %v", tc.table, err)
			}
		}
	}
	for _, tc := range ssoTables {
		t.Run(tc.table+"_shows_org_A_only_its_own_rows", func(t *testing.T) {
			var orgs []string
			err := inOrg(t, d.App, orgA.ID, func(tx bun.Tx) error {
				return tx.NewRaw("SELECT organization_id::text FROM "+tc.table).Scan(ctx, &orgs)
			})
			if err != nil || !slices.Equal(orgs, []string{orgA.ID}) {
				t.Fatalf("saw organizations %v (err %v), want only %s", orgs, err, orgA.ID)
			}
		})
		t.Run(tc.table+"_refuses_org_A_a_row_of_org_B", func(t *testing.T) {
			err := inOrg(t, d.App, orgA.ID, func(tx bun.Tx) error {
				_, err := tx.NewRaw(tc.insert, orgB.ID, userB.ID).Exec(ctx)
				return err
			})
			if err == nil {
				t.Fatal("insert into another tenant succeeded")
			}
		})
		t.Run(tc.table+"_lets_org_A_change_nothing_of_org_B", func(t *testing.T) {
			var n int64
			err := inOrg(t, d.App, orgA.ID, func(tx bun.Tx) error {
				res, err := tx.NewRaw("DELETE FROM "+tc.table+" WHERE organization_id = ?", orgB.ID).Exec(ctx)
				if err == nil {
					n, err = res.RowsAffected()
				}
				return err
			})
			if err != nil || n != 0 {
				t.Fatalf("deleted %d of org B's rows (err %v)", n, err)
			}
		})
		t.Run(tc.table+"_without_a_tenant_shows_nothing", func(t *testing.T) {
			var n int
			if err := d.App.Bun().NewRaw("SELECT count(*) FROM "+tc.table).Scan(ctx, &n); err != nil || n != 0 {
				t.Fatalf("app role without app.org_id sees %d rows (err %v)", n, err)
			}
		})
	}
}

func TestOwnedSSORequiredOrganizations(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	owner, required := mustUserAndOrg(t, d.App, "glass-owner@example.com")
	relaxed, err := d.App.CreateOrganization(ctx, "Relaxed", owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	admin, elsewhere := mustUserAndOrg(t, d.App, "glass-admin@example.com")
	join := func(orgID, userID, role string) {
		t.Helper()
		if _, err := d.Owner.Bun().NewRaw(`INSERT INTO organization_memberships (id, organization_id, user_id, role)
			VALUES (?, ?, ?, ?)`, uuid.NewString(), orgID, userID, role).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	join(required.ID, admin.ID, domain.RoleAdmin)
	join(elsewhere.ID, owner.ID, domain.RoleAdmin)
	for _, orgID := range []string{required.ID, elsewhere.ID} {
		if _, err := d.Owner.Bun().NewRaw(`UPDATE organization_settings SET sso_required = true WHERE organization_id = ?`,
			orgID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct {
		name, user string
		want       []string
	}{
		{"an_owner_gets_the_organizations_they_own_that_require_sso_not_those_they_administer", owner.ID, []string{required.ID}},
		{"the_admin_of_the_first_gets_only_the_one_they_own", admin.ID, []string{elsewhere.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orgs, err := d.App.OwnedSSORequiredOrganizations(ctx, tc.user)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range orgs {
				got = append(got, o.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v (relaxed %s, required %s, elsewhere %s)", got, tc.want, relaxed.ID, required.ID, elsewhere.ID)
			}
		})
	}
	t.Run("a_deleted_organization_is_left_out", func(t *testing.T) {
		if _, err := d.Owner.Bun().NewRaw(`UPDATE organizations SET status = 'deleting', deleted_at = now() WHERE id = ?`,
			required.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		orgs, err := d.App.OwnedSSORequiredOrganizations(ctx, owner.ID)
		if err != nil || len(orgs) != 0 {
			t.Fatalf("got %v (err %v), want none", orgs, err)
		}
	})
}

func TestSSOSettingsStore(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	u, org := mustUserAndOrg(t, d.App, "sso-settings@example.com")
	_, other := mustUserAndOrg(t, d.App, "sso-settings-other@example.com")
	oidc := func(issuer string) store.SSOConnectionInput {
		return store.SSOConnectionInput{Connection: domain.SSOConnection{Protocol: domain.SSOProtocolOIDC, Preset: "custom",
			OIDCIssuer: issuer, OIDCClientID: "client", DefaultRole: domain.RoleMember}, ClientSecret: []byte("sealed")}
	}
	required := func(orgID string) bool {
		t.Helper()
		s, err := d.App.OrganizationSecurity(ctx, orgID)
		if err != nil {
			t.Fatal(err)
		}
		return s.SSORequired
	}

	t.Run("enforcement_needs_a_connection_that_has_worked", func(t *testing.T) {
		if err := d.App.SetSSORequired(ctx, org.ID, u.ID, true); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("without a connection: %v", err)
		}
		if _, err := d.App.SaveSSOConnection(ctx, org.ID, u.ID, oidc("https://idp.example.com")); err != nil {
			t.Fatal(err)
		}
		if err := d.App.SetSSORequired(ctx, org.ID, u.ID, true); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("before a success: %v", err)
		}
		if err := d.App.RecordSSOTest(ctx, org.ID, u.ID, domain.SSOProtocolOIDC, u.Email); err != nil {
			t.Fatal(err)
		}
		if err := d.App.SetSSORequired(ctx, org.ID, u.ID, true); err != nil || !required(org.ID) {
			t.Fatalf("after a success: %v, required %v", err, required(org.ID))
		}
	})

	t.Run("another_idp_switches_enforcement_off", func(t *testing.T) {
		c, err := d.App.SaveSSOConnection(ctx, org.ID, u.ID, oidc("https://other-idp.example.com"))
		if err != nil || c.LastSuccessAt != nil || required(org.ID) {
			t.Fatalf("got %+v, err %v, required %v", c, err, required(org.ID))
		}
	})

	t.Run("a_domain_is_verified_for_one_organization_only", func(t *testing.T) {
		for _, o := range []string{org.ID, other.ID} {
			if _, err := d.App.ClaimSSODomain(ctx, o, "", "contested.example", "token-"+o); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.App.VerifySSODomain(ctx, org.ID, u.ID, "contested.example", "dns_txt"); err != nil {
			t.Fatal(err)
		}
		if err := d.App.VerifySSODomain(ctx, other.ID, "", "contested.example", "dns_txt"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("second verification: %v", err)
		}
		if holder, err := d.App.SSODomainOrganization(ctx, "Contested.Example"); err != nil || holder != org.ID {
			t.Fatalf("holder %q (err %v), want %s", holder, err, org.ID)
		}
		_, third := mustUserAndOrg(t, d.App, "sso-settings-third@example.com")
		if _, err := d.App.ClaimSSODomain(ctx, third.ID, "", "contested.example", "t3"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("claim of a verified domain: %v", err)
		}
	})

	t.Run("the_allowlist_is_replaced_whole_and_refuses_duplicates", func(t *testing.T) {
		entries := []domain.AllowlistEntry{{CIDR: "203.0.113.0/24", Label: "Office"}, {CIDR: "2001:db8::/32"}}
		got, err := d.App.ReplaceIPAllowlist(ctx, org.ID, u.ID, entries)
		if err != nil || len(got) != 2 || got[0].CIDR != "203.0.113.0/24" || got[1].CIDR != "2001:db8::/32" {
			t.Fatalf("got %+v, err %v", got, err)
		}
		dup := []domain.AllowlistEntry{{CIDR: "198.51.100.0/24"}, {CIDR: "198.51.100.0/24"}}
		if _, err := d.App.ReplaceIPAllowlist(ctx, org.ID, u.ID, dup); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("duplicate: %v", err)
		}
		s, err := d.App.OrganizationSecurity(ctx, org.ID)
		if err != nil || len(s.Allowlist) != 2 {
			t.Fatalf("a refused list replaced the saved one: %+v (err %v)", s.Allowlist, err)
		}
	})

	t.Run("member_access_answers_the_rules_with_the_membership", func(t *testing.T) {
		tok := []byte("sso-settings-token")
		if err := d.App.CreateSession(ctx, &store.Session{UserID: u.ID, TokenHash: tok, ExpiresAt: time.Now().Add(time.Hour),
			AuthMethod: domain.AuthMethodSSO, SSOOrgID: org.ID}); err != nil {
			t.Fatal(err)
		}
		p, err := d.App.SessionPrincipal(ctx, tok, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.AuthMethod != domain.AuthMethodSSO || p.SSOOrgID != org.ID || len(p.Allowlist) != 2 || p.SSORequired {
			t.Fatalf("principal %+v", p)
		}
	})
}

// TestSSOSignInCannotTakeOverAnAccount is a security regression suite: keep it forever. An organization's
// IdP signs in existing accounts only at domains the organization proved with DNS: a domain verified by an
// owner's own address (one mailbox of it) does not let the owner's IdP become a colleague.
func TestSSOSignInCannotTakeOverAnAccount(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	mallory, org := mustUserAndOrg(t, d.App, "mallory@bigcorp.example")
	colleague, _ := mustUserAndOrg(t, d.App, "ceo@bigcorp.example")
	staff, _ := mustUserAndOrg(t, d.App, "staff@proven.example")
	if _, err := d.App.SaveSSOConnection(ctx, org.ID, mallory.ID, store.SSOConnectionInput{Connection: domain.SSOConnection{
		Protocol: domain.SSOProtocolOIDC, Preset: "custom", OIDCIssuer: "https://idp.bigcorp.example", OIDCClientID: "c",
		DefaultRole: domain.RoleMember}, ClientSecret: []byte("sealed")}); err != nil {
		t.Fatal(err)
	}
	// bigcorp.example is only claimed (Mallory's own address is there, which proves nothing about the domain);
	// proven.example is verified by its TXT record.
	for _, name := range []string{"bigcorp.example", "proven.example"} {
		if _, err := d.App.ClaimSSODomain(ctx, org.ID, mallory.ID, name, "token-"+name); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.App.VerifySSODomain(ctx, org.ID, mallory.ID, "proven.example", "dns_txt"); err != nil {
		t.Fatal(err)
	}
	signIn := func(subject, email string) (*store.SSOSignInResult, error) {
		return d.App.SSOSignIn(ctx, org.ID, domain.SSOProtocolOIDC,
			domain.ExternalIdentity{Subject: subject, Email: email, EmailVerified: true}, "unusable")
	}

	t.Run("not_at_a_domain_merely_claimed_by_someone_with_an_address_there", func(t *testing.T) {
		res, err := signIn("mallory-as-ceo", colleague.Email)
		if domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("signed in as %+v (err %v), want forbidden", res, err)
		}
		if _, err := signIn("mallory-as-newcomer", "newcomer@bigcorp.example"); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("created an account at the domain: %v", err)
		}
	})
	t.Run("at_a_domain_verified_by_dns", func(t *testing.T) {
		// staff's address was never verified: whoever registered it may not be its owner.
		sess := &store.Session{UserID: staff.ID, TokenHash: []byte("staff-session-token-hash-000000"), ExpiresAt: time.Now().Add(time.Hour)}
		if err := d.App.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		res, err := signIn("staff-subject", staff.Email)
		if err != nil || res.User.ID != staff.ID || !res.Joined {
			t.Fatalf("got %+v (err %v), want %s joined", res, err, staff.ID)
		}
		t.Run("and_an_unverified_accounts_registrant_loses_it", func(t *testing.T) {
			u, err := d.App.UserByID(ctx, staff.ID)
			if err != nil {
				t.Fatal(err)
			}
			if u.EmailVerifiedAt == nil || u.PasswordHash != "unusable" {
				t.Fatalf("verified %v, password hash %q: want verified and the password replaced", u.EmailVerifiedAt, u.PasswordHash)
			}
			if _, err := d.App.SessionPrincipal(ctx, sess.TokenHash, ""); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
				t.Fatalf("the registrant's session still works (err %v)", err)
			}
		})
	})
}
