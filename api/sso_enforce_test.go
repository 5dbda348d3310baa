package api_test

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/stream"
)

// testIdP is the OIDC connection the enforcement tests save: a loopback issuer nothing listens on (the
// tests never sign in through it; RecordSSOTest stands in for a successful test sign-in).
var testIdP = map[string]any{"protocol": "oidc", "oidc_issuer": "http://127.0.0.1:1/idp",
	"oidc_client_id": "clientflow-test", "oidc_client_secret": "idp-client-secret"}

// securityJSON is GET /security as a client decodes it.
type securityJSON struct {
	Connection *struct {
		Protocol        string     `json:"protocol"`
		OIDCIssuer      string     `json:"oidc_issuer"`
		HasClientSecret bool       `json:"has_client_secret"`
		LastSuccessAt   *time.Time `json:"last_success_at"`
	} `json:"connection"`
	Domains     []ssoDomainJSON `json:"domains"`
	SSORequired bool            `json:"sso_required"`
	Allowlist   []struct {
		CIDR  string `json:"cidr"`
		Label string `json:"label"`
	} `json:"allowlist"`
	CurrentIP string `json:"current_ip"`
}

// mustSecurity reads orgID's security settings as b.
func mustSecurity(t *testing.T, b *browser, orgID string, h ...header) securityJSON {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+orgID+"/security", nil, h...)
	MustStatus(t, res, http.StatusOK)
	var s securityJSON
	res.MustJSON(t, &s)
	return s
}

// mustRequireSSO turns "require SSO" on through the API, as an owner would: save the OIDC connection, let a
// test sign-in through it succeed (recorded directly: no IdP runs here), then require it. h are the
// headers of every request (an allowed X-Forwarded-For when the organization has an allowlist).
func mustRequireSSO(t *testing.T, owner *browser, orgID string, h ...header) {
	t.Helper()
	base := "/api/v1/orgs/" + orgID + "/security"
	MustStatus(t, owner.Do(http.MethodPut, base+"/sso", testIdP, h...), http.StatusOK)
	require.NoError(t, owner.srv.DB.App.RecordSSOTest(context.Background(), orgID, owner.User.ID, domain.SSOProtocolOIDC, owner.User.Email))
	res := owner.Do(http.MethodPut, base+"/sso-required", map[string]any{"sso_required": true}, h...)
	MustStatus(t, res, http.StatusOK)
	var s securityJSON
	res.MustJSON(t, &s)
	require.True(t, s.SSORequired)
}

// mustSession opens a session for userID directly in the store (as an external sign-in would, with its
// auth method and SSO organization) and returns a browser holding its cookie.
func (s *testServer) mustSession(t *testing.T, userID string, sess store.Session) *browser {
	t.Helper()
	token := rand.Text()
	mac := hmac.New(sha256.New, []byte("test-session-secret"))
	mac.Write([]byte(token))
	sess.UserID, sess.TokenHash, sess.IP, sess.ExpiresAt = userID, mac.Sum(nil), "127.0.0.1", time.Now().Add(time.Hour)
	require.NoError(t, s.DB.App.CreateSession(context.Background(), &sess))
	b := s.NewBrowser(t)
	b.User = userJSON{ID: userID}
	b.setSessionCookie(token)
	return b
}

// on returns a browser of srv holding b's session cookie: the same person reaching another server (with
// another proxy configuration) of the same database.
func (b *browser) on(srv *testServer) *browser {
	b.t.Helper()
	c := srv.NewBrowser(b.t)
	c.User = b.User
	c.setSessionCookie(b.SessionCookie())
	return c
}

func (b *browser) setSessionCookie(token string) {
	u, err := url.Parse(b.srv.URL)
	require.NoError(b.t, err)
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: "cf_session", Value: token, Path: "/"}})
}

// orgRoutes are the organization routes the auth middleware guards: every operation of the document with
// an {org_id} under /api/v1/orgs/ that declares security (the public logo route does not).
func orgRoutes(t *testing.T, w *walker) []walkOp {
	t.Helper()
	return w.operations(t, func(o walkOp) bool {
		return o.hasParam("org_id") && len(o.Security) > 0 && strings.HasPrefix(o.Path, "/api/v1/orgs/")
	})
}

// enforcementRequest builds o aimed at orgID, with random IDs for every other record (enforcement answers
// before anything is looked up; a route that gets past it finds nothing and changes nothing).
func enforcementRequest(t *testing.T, w *walker, o walkOp, orgID string) walkRequest {
	t.Helper()
	ids := walkIDs{"org_id": orgID, "role": "member", "domain": "walker.example"}
	for _, m := range pathParam.FindAllStringSubmatch(o.Path, -1) {
		if _, ok := ids[m[1]]; !ok {
			ids[m[1]] = uuid.NewString()
		}
	}
	req, err := w.request(o, ids)
	require.NoError(t, err, "the walker cannot exercise this route")
	return req
}

// problemCode is the code of a problem response, or "" for any other body.
func problemCode(r *response) string {
	var p problemJSON
	if r.Status < 400 || json.Unmarshal(r.Body, &p) != nil {
		return ""
	}
	return p.Code
}

// requiredOrg is an organization that requires SSO, its owner and a member (role member).
type requiredOrg struct {
	owner, member *browser
	orgID         string
}

func mustSSOOrg(t *testing.T, srv *testServer, h ...header) requiredOrg {
	t.Helper()
	owner := srv.MustSignUp(t, "Olga Owner")
	mustVerify(t, srv.DB, owner)
	orgID := owner.MustCreateOrg(uniqueName("SSO Agency")).ID
	member := srv.MustSignUp(t, "Max Member")
	mustJoin(t, srv.DB, orgID, member, domain.RoleMember)
	mustRequireSSO(t, owner, orgID, h...)
	return requiredOrg{owner: owner, member: member, orgID: orgID}
}

// keepRequiringSSO switches enforcement back on after a route of the walk switched it off (removing the
// connection, saving require-SSO false), so every later route is still tried under enforcement.
func (o requiredOrg) keepRequiringSSO(t *testing.T, op walkOp) {
	t.Helper()
	if !strings.Contains(op.Path, "/security") || op.Method == http.MethodGet {
		return
	}
	if !mustSecurity(t, o.owner, o.orgID).SSORequired {
		mustRequireSSO(t, o.owner, o.orgID)
	}
}

// TestSSOEnforcement is a security regression suite: keep it forever. While an organization requires SSO,
// every one of its routes refuses a session not opened through its IdP (403 sso_required), except an
// owner's (the audited break-glass) and API keys.
func TestSSOEnforcement(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(1<<20))
	w := mustWalker(t)
	ops := orgRoutes(t, w)

	t.Run("refused", func(t *testing.T) {
		org := mustSSOOrg(t, srv)
		other := mustSSOOrg(t, srv)
		mustJoin(t, db, other.orgID, org.member, domain.RoleMember)
		refused := map[string]*browser{
			"member_password_session": org.member,
			"member_google_session":   srv.mustSession(t, org.member.User.ID, store.Session{AuthMethod: domain.AuthMethodGoogle}),
			// Another organization's IdP vouches for nobody here.
			"member_session_from_another_organizations_idp": srv.mustSession(t, org.member.User.ID,
				store.Session{AuthMethod: domain.AuthMethodSSO, SSOOrgID: other.orgID}),
		}
		before := MustSnapshotOrg(t, db, org.orgID)
		for name, b := range refused {
			for _, o := range ops {
				t.Run(name+"_gets_sso_required_on_"+o.ID, func(t *testing.T) {
					res := enforcementRequest(t, w, o, org.orgID).do(b)

					p := MustProblem(t, res, http.StatusForbidden, "sso_required")
					assert.Contains(t, p.Detail, "identity provider")
				})
			}
		}
		assert.Equal(t, before, MustSnapshotOrg(t, db, org.orgID), "a refused request changed the organization")
		t.Run("the_same_member_still_reaches_an_organization_without_sso", func(t *testing.T) {
			plain := org.owner.MustCreateOrg(uniqueName("Plain Agency"))
			mustJoin(t, db, plain.ID, org.member, domain.RoleMember)
			MustStatus(t, org.member.Do(http.MethodGet, "/api/v1/orgs/"+plain.ID, nil), http.StatusOK)
		})
	})

	passes := map[string]func(t *testing.T, org requiredOrg) func(walkRequest) *response{
		"owner_password_session": func(t *testing.T, org requiredOrg) func(walkRequest) *response {
			return func(r walkRequest) *response { return r.do(org.owner) }
		},
		"member_session_opened_through_the_organizations_idp": func(t *testing.T, org requiredOrg) func(walkRequest) *response {
			b := srv.mustSession(t, org.member.User.ID, store.Session{AuthMethod: domain.AuthMethodSSO, SSOOrgID: org.orgID})
			return func(r walkRequest) *response { return r.do(b) }
		},
		"api_key": func(t *testing.T, org requiredOrg) func(walkRequest) *response {
			_, key := mustCreateAPIKey(t, org.owner, org.orgID, map[string]any{"name": "Script", "expires_in": "never"})
			return func(r walkRequest) *response {
				return bearer(srv, t, key, r.Method, r.url(), r.Body, r.Headers...)
			}
		},
	}
	for name, caller := range passes {
		t.Run(name+"_is_not_refused", func(t *testing.T) {
			// An organization of its own: an owner's or key's walk may change roles or switch enforcement off.
			org := mustSSOOrg(t, srv)
			send := caller(t, org)
			MustStatus(t, send(walkRequest{Method: http.MethodGet, Path: "/api/v1/orgs/" + org.orgID}), http.StatusOK)
			for _, o := range ops {
				res := send(enforcementRequest(t, w, o, org.orgID))

				assert.NotEqual(t, "sso_required", problemCode(res), "%s %s: %d %s", o.Method, o.Path, res.Status, res.Body)
				org.keepRequiringSSO(t, o)
			}
		})
	}
}

// TestIPAllowlist is a security regression suite: keep it forever. With an allowlist, every organization
// route refuses sessions (owners' included) and API keys from other addresses (403 ip_not_allowed), and
// audits the refusal; the client IP is X-Forwarded-For only when a trusted proxy sent it.
func TestIPAllowlist(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withTrustedProxies(loopbackProxy4, loopbackProxy6), withAPILimit(1<<20))
	const office, outside = "198.51.100.7", "203.0.113.9"
	fromOffice, fromOutside := header{"X-Forwarded-For", office}, header{"X-Forwarded-For", outside}
	owner := srv.MustSignUp(t, "Olga Owner")
	orgID := owner.MustCreateOrg(uniqueName("Allowlisted Agency")).ID
	member := srv.MustSignUp(t, "Max Member")
	mustJoin(t, db, orgID, member, domain.RoleMember)
	_, key := mustCreateAPIKey(t, owner, orgID, map[string]any{"name": "Script", "expires_in": "never"})
	path := "/api/v1/orgs/" + orgID
	list := map[string]any{"entries": []map[string]any{{"cidr": "198.51.100.0/24", "label": "Office"}}}

	t.Run("a_list_that_leaves_out_the_saving_address_is_refused", func(t *testing.T) {
		res := owner.Do(http.MethodPut, path+"/security/ip-allowlist", list, fromOutside)

		p := MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"body.entries"}, p.Locations())
		assert.Contains(t, string(res.Body), "would lock you out")
		assert.Contains(t, string(res.Body), outside)
		assert.Empty(t, mustSecurity(t, owner, orgID, fromOutside).Allowlist, "nothing was saved")
	})

	res := owner.Do(http.MethodPut, path+"/security/ip-allowlist", list, fromOffice)
	MustStatus(t, res, http.StatusOK)
	var saved securityJSON
	res.MustJSON(t, &saved)
	require.Len(t, saved.Allowlist, 1)
	assert.Equal(t, "198.51.100.0/24", saved.Allowlist[0].CIDR)
	assert.Equal(t, office, saved.CurrentIP)

	w := mustWalker(t)
	callers := map[string]func(walkRequest, ...header) *response{
		"owner_session": func(r walkRequest, h ...header) *response {
			return owner.Do(r.Method, r.url(), r.Body, append(r.Headers, h...)...)
		},
		"member_session": func(r walkRequest, h ...header) *response {
			return member.Do(r.Method, r.url(), r.Body, append(r.Headers, h...)...)
		},
		"api_key": func(r walkRequest, h ...header) *response {
			return bearer(srv, t, key, r.Method, r.url(), r.Body, append(r.Headers, h...)...)
		},
	}
	before := MustSnapshotOrg(t, db, orgID)
	for name, send := range callers {
		for _, o := range orgRoutes(t, w) {
			t.Run(name+"_from_outside_gets_ip_not_allowed_on_"+o.ID, func(t *testing.T) {
				res := send(enforcementRequest(t, w, o, orgID), fromOutside)

				p := MustProblem(t, res, http.StatusForbidden, "ip_not_allowed")
				assert.Contains(t, p.Detail, outside)
			})
		}
	}
	assert.Equal(t, before, MustSnapshotOrg(t, db, orgID), "a refused request changed the organization")

	t.Run("refusals_are_audited", func(t *testing.T) {
		rows := mustAuditRows(t, owner, orgID, domain.AuditIPBlocked, fromOffice)
		require.NotEmpty(t, rows)
		assert.Equal(t, outside, rows[0].Metadata["ip"])
		assert.Equal(t, outside, rows[0].IP)
		assert.True(t, strings.HasPrefix(rows[0].Metadata["path"].(string), path), "path %v", rows[0].Metadata["path"])
		assert.Equal(t, "ip_allowlist", rows[0].EntityType)
	})

	t.Run("a_stream_of_refusals_is_audited_at_most_ten_times_a_minute", func(t *testing.T) {
		const flood = "203.0.113.50"
		for range 15 {
			MustProblem(t, owner.Do(http.MethodGet, path, nil, header{"X-Forwarded-For", flood}), http.StatusForbidden, "ip_not_allowed")
		}
		n := 0
		for _, r := range mustAuditRows(t, owner, orgID, domain.AuditIPBlocked, fromOffice) {
			if r.Metadata["ip"] == flood {
				n++
			}
		}
		assert.Equal(t, 10, n)
	})

	t.Run("behind_a_trusted_proxy_the_forwarded_address_counts", func(t *testing.T) {
		for name, send := range callers {
			res := send(walkRequest{Method: http.MethodGet, Path: path}, fromOffice)
			assert.Equal(t, http.StatusOK, res.Status, "%s: %s", name, res.Body)
		}
	})

	t.Run("the_proxys_own_address_is_outside_the_list", func(t *testing.T) {
		MustProblem(t, owner.Do(http.MethodGet, path, nil), http.StatusForbidden, "ip_not_allowed")
	})

	t.Run("an_allowed_address_the_client_prepended_does_not_count", func(t *testing.T) {
		// The proxy appends the address it saw; what the client wrote before it is theirs to invent.
		MustProblem(t, owner.Do(http.MethodGet, path, nil, header{"X-Forwarded-For", office + ", " + outside}),
			http.StatusForbidden, "ip_not_allowed")
	})

	t.Run("from_an_untrusted_peer_X_Forwarded_For_is_ignored", func(t *testing.T) {
		direct := MustStart(t, db, withAPILimit(1<<20))
		MustProblem(t, owner.on(direct).Do(http.MethodGet, path, nil, fromOffice), http.StatusForbidden, "ip_not_allowed")
		MustProblem(t, bearer(direct, t, key, http.MethodGet, path, nil, fromOffice), http.StatusForbidden, "ip_not_allowed")
	})

	t.Run("an_empty_list_lifts_the_restriction", func(t *testing.T) {
		MustStatus(t, owner.Do(http.MethodPut, path+"/security/ip-allowlist", map[string]any{"entries": []any{}}, fromOffice), http.StatusOK)
		MustStatus(t, owner.Do(http.MethodGet, path, nil, fromOutside), http.StatusOK)
		MustStatus(t, bearer(srv, t, key, http.MethodGet, path, nil, fromOutside), http.StatusOK)
		changes := mustAuditRows(t, owner, orgID, domain.AuditIPAllowlistChanged, fromOutside)
		require.Len(t, changes, 2)
		assert.Equal(t, []any{}, changes[0].Metadata["after"])
	})
}

// mustAuditRows lists orgID's audit rows of action, newest first, as b.
func mustAuditRows(t *testing.T, b *browser, orgID, action string, h ...header) []auditRowJSON {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+orgID+"/audit-log?"+url.Values{"action": {action}, "limit": {"100"}}.Encode(), nil, h...)
	MustStatus(t, res, http.StatusOK)
	var page auditPageJSON
	res.MustJSON(t, &page)
	return page.Data
}

// mustStartLiveWith is mustStartLive with server options (a trusted proxy, here).
func mustStartLiveWith(t *testing.T, db *storetest.DB, cfg api.StreamConfig, opts ...option) *testServer {
	t.Helper()
	handle, err := store.Open(context.Background(), db.URL, store.Options{MaxConns: 5})
	require.NoError(t, err)
	broker := stream.NewHub()
	live := stream.NewAsync(broker, 256, slog.New(slog.NewTextHandler(io.Discard, nil)))
	handle.SetPublisher(live)
	t.Cleanup(func() { live.Close(); handle.Close() })
	cfg.Broker = broker
	return MustStart(t, db, append([]option{func(d *api.Deps) { d.DB, d.Stream = handle, cfg }}, opts...)...)
}

// TestSignInRulesOnTheStream is a security regression suite: keep it forever. The event stream is no
// organization route, but it carries every organization of the user: one whose IP allowlist or
// "require SSO" refuses the session sends it nothing, and turning a rule on ends an open stream.
func TestSignInRulesOnTheStream(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := mustStartLiveWith(t, db, api.StreamConfig{Refresh: 200 * time.Millisecond},
		withTrustedProxies(loopbackProxy4, loopbackProxy6), withAPILimit(1<<20))
	fromOffice, fromOutside := header{"X-Forwarded-For", "198.51.100.7"}, header{"X-Forwarded-For", "203.0.113.9"}
	sso := mustSSOOrg(t, srv)
	owner, member := sso.owner, sso.member
	plain := owner.MustCreateOrg(uniqueName("Plain Agency")).ID
	fenced := owner.MustCreateOrg(uniqueName("Fenced Agency")).ID
	for _, orgID := range []string{plain, fenced} {
		mustJoin(t, db, orgID, member, domain.RoleMember)
	}
	MustStatus(t, owner.Do(http.MethodPut, "/api/v1/orgs/"+fenced+"/security/ip-allowlist",
		map[string]any{"entries": []map[string]any{{"cidr": "198.51.100.0/24", "label": "Office"}}}, fromOffice), http.StatusOK)
	// heard opens b's stream, has the owner create a client in each organization (the plain one last) and
	// returns the organizations whose change reached the stream by the time the plain one's did.
	heard := func(t *testing.T, b *browser, from header) map[string]bool {
		t.Helper()
		s := openStream(t, srv, b, "", from)
		for _, orgID := range []string{sso.orgID, fenced} {
			MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/clients", map[string]any{"name": "Heard?"}, fromOffice),
				http.StatusCreated)
		}
		last := owner.MustCreateClient(plain, map[string]any{"name": "Last"})
		orgs := map[string]bool{}
		for _, ev := range s.until(changeOf(last.ID)) {
			if ev.Name == "change" {
				orgs[ev.Data.OrganizationID] = true
			}
		}
		return orgs
	}

	t.Run("a_password_session_from_outside_hears_only_the_organization_without_rules", func(t *testing.T) {
		orgs := heard(t, member, fromOutside)
		assert.True(t, orgs[plain])
		assert.False(t, orgs[sso.orgID], "the organization requiring SSO reached a password session")
		assert.False(t, orgs[fenced], "the allowlisted organization reached an address outside its list")
	})

	t.Run("a_session_of_the_organizations_idp_from_the_office_hears_all", func(t *testing.T) {
		b := srv.mustSession(t, member.User.ID, store.Session{AuthMethod: domain.AuthMethodSSO, SSOOrgID: sso.orgID})
		s := openStream(t, srv, b, "", fromOffice)
		for _, orgID := range []string{sso.orgID, fenced, plain} {
			res := owner.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/clients", map[string]any{"name": "Heard"}, fromOffice)
			MustStatus(t, res, http.StatusCreated)
			var c clientJSON
			res.MustJSON(t, &c)
			s.until(changeOf(c.ID))
		}
	})

	t.Run("the_owners_password_session_hears_the_organization_requiring_sso", func(t *testing.T) {
		orgs := heard(t, owner, fromOutside)
		assert.True(t, orgs[sso.orgID])
		assert.False(t, orgs[fenced])
	})

	t.Run("requiring_sso_ends_an_open_stream_of_a_password_session", func(t *testing.T) {
		s := openStream(t, srv, member, "", fromOffice)
		mustRequireSSO(t, owner, plain)
		s.mustEnd(5 * time.Second)
	})
}

// Client contacts are the agency's customers, never in its IdP: requiring SSO leaves their portal open.
func TestSSORequiredLeavesClientContactsAlone(t *testing.T) {
	t.Parallel()
	srv := MustStart(t, storetest.MustOpen(t))
	f := mustPortalFixture(t, srv)
	mustExec(t, f.db, "UPDATE organization_settings SET sso_required = true WHERE organization_id = ?", f.orgID)
	MustStatus(t, f.contactA.Do(http.MethodGet, f.portal("/projects"), nil), http.StatusOK)
	staff := srv.MustSignUp(t, "Stan Staff")
	mustJoin(t, f.db, f.orgID, staff, domain.RoleManager)
	MustProblem(t, staff.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/clients", nil), http.StatusForbidden, "sso_required")
}
