package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/api/dnstest"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// ssoDomainJSON is a claimed domain as the API answers it.
type ssoDomainJSON struct {
	Domain         string     `json:"domain"`
	Verified       bool       `json:"verified"`
	VerifiedMethod string     `json:"verified_method"`
	VerifiedAt     *time.Time `json:"verified_at"`
	TXTName        string     `json:"txt_name"`
	TXTValue       string     `json:"txt_value"`
}

// securityRoutes are the operations of the security settings API.
func securityRoutes(t *testing.T, w *walker) []walkOp {
	t.Helper()
	return w.operations(t, func(o walkOp) bool { return strings.HasPrefix(o.Path, "/api/v1/orgs/{org_id}/security") })
}

func TestSecuritySettings(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(1<<20))
	owner := srv.MustSignUp(t, "Olga Owner")
	orgID := owner.MustCreateOrg(uniqueName("Secure Agency")).ID
	base := "/api/v1/orgs/" + orgID + "/security"
	requireSSO := func(on bool) *response {
		return owner.Do(http.MethodPut, base+"/sso-required", map[string]any{"sso_required": on})
	}

	t.Run("enforcement_without_a_connection_is_refused", func(t *testing.T) {
		p := MustProblem(t, requireSSO(true), http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"body.sso_required"}, p.Locations())
	})

	t.Run("an_issuer_must_be_https_or_loopback_and_without_placeholders", func(t *testing.T) {
		for _, issuer := range []string{"http://idp.example.com", "https://{your-org}.okta.com", "not a url"} {
			body := map[string]any{"protocol": "oidc", "oidc_issuer": issuer, "oidc_client_id": "c", "oidc_client_secret": "s"}
			p := MustProblem(t, owner.Do(http.MethodPut, base+"/sso", body), http.StatusUnprocessableEntity, "validation_failed")
			assert.Equal(t, []string{"body.oidc_issuer"}, p.Locations(), issuer)
		}
	})

	t.Run("a_new_oidc_connection_needs_its_client_secret", func(t *testing.T) {
		body := map[string]any{"protocol": "oidc", "oidc_issuer": "http://127.0.0.1:1/idp", "oidc_client_id": "c"}
		p := MustProblem(t, owner.Do(http.MethodPut, base+"/sso", body), http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"body.oidc_client_secret"}, p.Locations())
	})

	res := owner.Do(http.MethodPut, base+"/sso", testIdP)
	MustStatus(t, res, http.StatusOK)
	t.Run("the_saved_connection_never_shows_its_secret", func(t *testing.T) {
		assert.NotContains(t, string(res.Body), testIdP["oidc_client_secret"])
		s := mustSecurity(t, owner, orgID)
		require.NotNil(t, s.Connection)
		assert.True(t, s.Connection.HasClientSecret)
		assert.Equal(t, "http://127.0.0.1:1/idp", s.Connection.OIDCIssuer)
		assert.Nil(t, s.Connection.LastSuccessAt)
	})

	t.Run("enforcement_before_any_successful_sign_in_through_the_connection_is_refused", func(t *testing.T) {
		p := MustProblem(t, requireSSO(true), http.StatusUnprocessableEntity, "validation_failed")
		assert.Contains(t, p.Errors[0].Message, "Test connection")
		assert.False(t, mustSecurity(t, owner, orgID).SSORequired)
	})

	t.Run("after_a_successful_test_enforcement_switches_on_and_is_audited", func(t *testing.T) {
		require.NoError(t, db.App.RecordSSOTest(context.Background(), orgID, owner.User.ID, domain.SSOProtocolOIDC, owner.User.Email))
		MustStatus(t, requireSSO(true), http.StatusOK)
		assert.True(t, mustSecurity(t, owner, orgID).SSORequired)
		rows := mustAuditRows(t, owner, orgID, domain.AuditSSOEnforcementChanged)
		require.Len(t, rows, 1)
		assert.Equal(t, map[string]any{"sso_required": true}, rows[0].Metadata["after"])
	})

	t.Run("saving_the_same_idp_again_keeps_enforcement", func(t *testing.T) {
		same := map[string]any{"protocol": "oidc", "oidc_issuer": testIdP["oidc_issuer"], "oidc_client_id": testIdP["oidc_client_id"],
			"default_role": "manager"}
		MustStatus(t, owner.Do(http.MethodPut, base+"/sso", same), http.StatusOK)
		assert.True(t, mustSecurity(t, owner, orgID).SSORequired)
	})

	t.Run("pointing_the_connection_at_another_idp_switches_enforcement_off", func(t *testing.T) {
		moved := map[string]any{"protocol": "oidc", "oidc_issuer": "http://127.0.0.1:1/other-idp", "oidc_client_id": "c2"}
		MustStatus(t, owner.Do(http.MethodPut, base+"/sso", moved), http.StatusOK)
		s := mustSecurity(t, owner, orgID)
		assert.False(t, s.SSORequired)
		assert.Nil(t, s.Connection.LastSuccessAt, "the new IdP has not worked yet")
		MustProblem(t, requireSSO(true), http.StatusUnprocessableEntity, "validation_failed")
	})

	t.Run("removing_the_connection_switches_enforcement_off", func(t *testing.T) {
		mustRequireSSO(t, owner, orgID)
		res := owner.Do(http.MethodDelete, base+"/sso", nil)
		MustStatus(t, res, http.StatusNoContent)
		s := mustSecurity(t, owner, orgID)
		assert.Nil(t, s.Connection)
		assert.False(t, s.SSORequired)
		MustProblem(t, owner.Do(http.MethodDelete, base+"/sso", nil), http.StatusNotFound, "not_found")
	})

	w := mustWalker(t)
	for _, role := range []string{domain.RoleAdmin, domain.RoleManager, domain.RoleMember} {
		b := srv.MustSignUp(t, "A "+role)
		mustJoin(t, db, orgID, b, role)
		for _, o := range securityRoutes(t, w) {
			t.Run(role+"_gets_403_on_"+o.ID, func(t *testing.T) {
				MustProblem(t, enforcementRequest(t, w, o, orgID).do(b), http.StatusForbidden, "forbidden")
			})
		}
	}

	// The cross-tenant suite walks these routes too (with org B's real domain); this names the attack.
	stranger := srv.MustSignUp(t, "Owner of B")
	stranger.MustCreateOrg(uniqueName("Org B"))
	for _, o := range securityRoutes(t, w) {
		t.Run("the_owner_of_another_organization_gets_404_on_"+o.ID, func(t *testing.T) {
			MustProblem(t, enforcementRequest(t, w, o, orgID).do(stranger), http.StatusNotFound, "not_found")
		})
	}
}

// mustSignUpAs creates an account with a chosen email address (MustSignUp picks a random one).
func mustSignUpAs(t *testing.T, srv *testServer, name, email string) *browser {
	t.Helper()
	b := srv.NewBrowser(t)
	res := b.Do(http.MethodPost, "/api/v1/auth/sign-up", map[string]string{"name": name, "email": email, "password": testPassword})
	MustStatus(t, res, http.StatusCreated)
	var body struct{ User userJSON }
	res.MustJSON(t, &body)
	b.User = body.User
	return b
}

func TestDomainVerification(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	dns := dnstest.Start(t)
	srv := MustStart(t, db, withAPILimit(1<<20), func(d *api.Deps) { d.Config.DNSResolver = dns.Addr })
	ownerA, ownerB := srv.MustSignUp(t, "Owner of A"), srv.MustSignUp(t, "Owner of B")
	orgA, orgB := ownerA.MustCreateOrg(uniqueName("Org A")).ID, ownerB.MustCreateOrg(uniqueName("Org B")).ID
	domains := func(orgID string) string { return "/api/v1/orgs/" + orgID + "/security/domains" }
	claim := func(b *browser, orgID, name string) *response {
		return b.Do(http.MethodPost, domains(orgID), map[string]any{"domain": name})
	}
	verify := func(b *browser, orgID, name string) *response {
		return b.Do(http.MethodPost, domains(orgID)+"/"+name+"/verify", nil)
	}
	mustClaim := func(b *browser, orgID, name string) ssoDomainJSON {
		t.Helper()
		res := claim(b, orgID, name)
		MustStatus(t, res, http.StatusCreated)
		var d ssoDomainJSON
		res.MustJSON(t, &d)
		return d
	}

	t.Run("a_claim_verifies_by_its_dns_txt_record", func(t *testing.T) {
		name := uniqueDomain()
		d := mustClaim(ownerA, orgA, strings.ToUpper(name)+".")
		assert.Equal(t, name, d.Domain, "normalized")
		assert.False(t, d.Verified)
		assert.Equal(t, "_clientflow-verification."+name, d.TXTName)
		assert.True(t, strings.HasPrefix(d.TXTValue, "clientflow-verification="), d.TXTValue)

		res := verify(ownerA, orgA, name)
		p := MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
		assert.Contains(t, p.Errors[0].Message, d.TXTName, "says which record to publish")
		assert.Contains(t, p.Errors[0].Message, d.TXTValue)

		dns.Publish(d.TXTName, "clientflow-verification=someone-elses-token")
		MustProblem(t, verify(ownerA, orgA, name), http.StatusUnprocessableEntity, "validation_failed")

		dns.Publish(d.TXTName, d.TXTValue)
		res = verify(ownerA, orgA, name)
		MustStatus(t, res, http.StatusOK)
		var got ssoDomainJSON
		res.MustJSON(t, &got)
		assert.True(t, got.Verified)
		assert.Equal(t, "dns_txt", got.VerifiedMethod)
		assert.NotNil(t, got.VerifiedAt)
		rows := mustAuditRows(t, ownerA, orgA, domain.AuditSSODomainVerified)
		require.Len(t, rows, 1)
		assert.Equal(t, name, rows[0].EntityID)
		assert.Equal(t, "dns_txt", rows[0].Metadata["method"])

		t.Run("verifying_again_answers_the_verified_claim", func(t *testing.T) {
			MustStatus(t, verify(ownerA, orgA, name), http.StatusOK)
		})
		t.Run("another_organization_cannot_claim_it", func(t *testing.T) {
			MustProblem(t, claim(ownerB, orgB, name), http.StatusConflict, "conflict")
		})
		t.Run("claiming_it_twice_is_a_conflict", func(t *testing.T) {
			MustProblem(t, claim(ownerA, orgA, name), http.StatusConflict, "conflict")
		})
	})

	t.Run("a_domain_verified_elsewhere_first_cannot_be_verified", func(t *testing.T) {
		name := uniqueDomain()
		b := mustClaim(ownerB, orgB, name)
		a := mustClaim(ownerA, orgA, name)
		dns.Publish(a.TXTName, a.TXTValue)
		MustStatus(t, verify(ownerA, orgA, name), http.StatusOK)

		dns.Publish(b.TXTName, b.TXTValue)
		MustProblem(t, verify(ownerB, orgB, name), http.StatusConflict, "conflict")
		s := mustSecurity(t, ownerB, orgB)
		for _, d := range s.Domains {
			if d.Domain == name {
				assert.False(t, d.Verified)
			}
		}
	})

	t.Run("an_owners_own_verified_address_at_the_domain_proves_nothing_only_dns_does", func(t *testing.T) {
		// One mailbox at a domain is not control of it: any employee could otherwise point their own IdP at
		// their colleagues' accounts.
		name := uniqueDomain()
		boss := mustSignUpAs(t, srv, "Boss", "boss@"+name)
		mustVerify(t, db, boss)
		orgID := boss.MustCreateOrg(uniqueName("Boss Agency")).ID
		d := mustClaim(boss, orgID, name)
		assert.False(t, d.Verified)
		MustProblem(t, verify(boss, orgID, name), http.StatusUnprocessableEntity, "validation_failed")
		dns.Publish(d.TXTName, d.TXTValue)
		res := verify(boss, orgID, name)
		MustStatus(t, res, http.StatusOK)
		var got ssoDomainJSON
		res.MustJSON(t, &got)
		assert.True(t, got.Verified)
		assert.Equal(t, "dns_txt", got.VerifiedMethod)
	})

	t.Run("a_removed_claim_is_gone", func(t *testing.T) {
		name := uniqueDomain()
		mustClaim(ownerA, orgA, name)
		MustStatus(t, ownerA.Do(http.MethodDelete, domains(orgA)+"/"+name, nil), http.StatusNoContent)
		MustProblem(t, verify(ownerA, orgA, name), http.StatusNotFound, "not_found")
		MustProblem(t, ownerA.Do(http.MethodDelete, domains(orgA)+"/"+name, nil), http.StatusNotFound, "not_found")
	})

	t.Run("a_malformed_domain_is_refused", func(t *testing.T) {
		for _, name := range []string{"localhost", "exa mple.com", "-bad.example", "a..b"} {
			p := MustProblem(t, claim(ownerA, orgA, name), http.StatusUnprocessableEntity, "validation_failed")
			assert.Equal(t, []string{"body.domain"}, p.Locations(), name)
		}
	})
}

// mustProveDomain marks orgID's claim of name verified as its TXT record would (TestDomainVerification runs the
// DNS lookup itself; the sign-in tests only need a proven domain).
func mustProveDomain(t *testing.T, db *storetest.DB, orgID, name string) {
	t.Helper()
	mustExec(t, db, "UPDATE sso_domains SET verified_at = now(), verified_method = 'dns_txt' WHERE organization_id = ? AND domain = ?",
		orgID, name)
}
