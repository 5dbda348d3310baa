package api_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/oauth2-proxy/mockoidc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// oidcIdP is an OpenID provider running in-process (mockoidc). rewrite, when set, changes the claims of
// the ID token its token endpoint returns and signs it again with its own key (or signWith), so a test can
// make it answer what a broken or hostile provider would.
type oidcIdP struct {
	*mockoidc.MockOIDC
	mu       sync.Mutex
	rewrite  func(claims map[string]any)
	signWith *rsa.PrivateKey
}

// MustRunIdP starts a provider on a loopback port for the test's lifetime.
func MustRunIdP(t *testing.T) *oidcIdP {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	require.NoError(t, err)
	p := &oidcIdP{MockOIDC: m}
	require.NoError(t, m.AddMiddleware(p.tamper))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, m.Start(ln, nil))
	t.Cleanup(func() { _ = m.Shutdown() })
	return p
}

// Rewrite makes the next token responses carry an ID token changed by fn (nil: as issued), signed with key
// (nil: the provider's own).
func (p *oidcIdP) Rewrite(fn func(claims map[string]any), key *rsa.PrivateKey) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rewrite, p.signWith = fn, key
}

func (p *oidcIdP) tamper(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		fn, key := p.rewrite, p.signWith
		p.mu.Unlock()
		if r.URL.Path != mockoidc.TokenEndpoint || (fn == nil && key == nil) {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var body map[string]any
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body["id_token"] == nil {
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		body["id_token"] = p.resign(body["id_token"].(string), fn, key)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body)
	})
}

// resign decodes a JWT's claims (its signature was the provider's), applies fn and signs the result with
// key or the provider's key, under the provider's key ID.
func (p *oidcIdP) resign(raw string, fn func(map[string]any), key *rsa.PrivateKey) string {
	parts := strings.Split(raw, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		panic(err)
	}
	claims := map[string]any{}
	if err := json.Unmarshal(payload, &claims); err != nil {
		panic(err)
	}
	if fn != nil {
		fn(claims)
	}
	if key == nil {
		key = p.Keypair.PrivateKey
	}
	kid, err := p.Keypair.KeyID()
	if err != nil {
		panic(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic(err)
	}
	out, err := json.Marshal(claims)
	if err != nil {
		panic(err)
	}
	jws, err := signer.Sign(out)
	if err != nil {
		panic(err)
	}
	compact, err := jws.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return compact
}

// QueuePerson makes the next authorization sign in this person.
func (p *oidcIdP) QueuePerson(subject, email string, verified bool) {
	p.QueueUser(&mockoidc.MockUser{Subject: subject, Email: email, EmailVerified: verified})
}

// hop is one navigation's answer: its status and where it redirects.
type hop struct {
	Status   int
	Location string
}

// Navigate makes a browser GET of rawURL (absolute, or a path on the app) with b's cookies, without
// following a redirect.
func (b *browser) Navigate(rawURL string) hop {
	b.t.Helper()
	if strings.HasPrefix(rawURL, "/") {
		rawURL = b.srv.URL + rawURL
	}
	client := &http.Client{Jar: b.client.Jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(rawURL)
	require.NoError(b.t, err)
	defer res.Body.Close()
	return hop{Status: res.StatusCode, Location: res.Header.Get("Location")}
}

// MustRedirect asserts a redirect and returns its target.
func MustRedirect(t *testing.T, h hop) string {
	t.Helper()
	require.Contains(t, []int{http.StatusFound, http.StatusSeeOther}, h.Status, "location %q", h.Location)
	require.NotEmpty(t, h.Location)
	return h.Location
}

// signInHops are the three legs of a sign-in: our start route to the provider, the provider back to our
// callback, and the callback's own answer.
type signInHops struct {
	AuthorizeURL string
	CallbackURL  string
	Final        string
}

// MustSignInVia runs start → provider → callback in b. editAuthorize (optional) changes the authorization
// request before the provider sees it, as an attacker in the browser could.
func (b *browser) MustSignInVia(startPath string, editAuthorize func(url.Values)) signInHops {
	b.t.Helper()
	var out signInHops
	out.AuthorizeURL = MustRedirect(b.t, b.Navigate(startPath))
	if editAuthorize != nil {
		u, err := url.Parse(out.AuthorizeURL)
		require.NoError(b.t, err)
		q := u.Query()
		editAuthorize(q)
		u.RawQuery = q.Encode()
		out.AuthorizeURL = u.String()
	}
	out.CallbackURL = MustRedirect(b.t, b.Navigate(out.AuthorizeURL))
	out.Final = MustRedirect(b.t, b.Navigate(out.CallbackURL))
	return out
}

// MustBeRefused asserts a sign-in landed on page with an sso_error and returns the message.
func MustBeRefused(t *testing.T, target, page string) string {
	t.Helper()
	u, err := url.Parse(target)
	require.NoError(t, err)
	require.Equal(t, page, u.Path, "target %q", target)
	msg := u.Query().Get("sso_error")
	require.NotEmpty(t, msg, "target %q", target)
	return msg
}

// uniqueDomain is an email domain no other test claims.
func uniqueDomain() string { return "d-" + strings.ToLower(rand.Text()[:12]) + ".test" }

// MustSignUpAt creates an account with email (its address verified when verified) and returns the
// signed-in browser.
func (s *testServer) MustSignUpAt(t *testing.T, name, email string, verified bool) *browser {
	t.Helper()
	b := s.NewBrowser(t)
	res := b.Do(http.MethodPost, "/api/v1/auth/sign-up", map[string]string{"name": name, "email": email, "password": testPassword})
	MustStatus(t, res, http.StatusCreated)
	var body struct{ User userJSON }
	res.MustJSON(t, &body)
	b.User = body.User
	if verified {
		token := domain.SignVerifyToken("test-session-secret", b.User.ID, b.User.Email, time.Now().Add(time.Hour))
		MustStatus(t, b.Do(http.MethodPost, "/api/v1/auth/verify-email", map[string]string{"token": token}), http.StatusOK)
	}
	return b
}

// ssoOrg is an organization whose owner has connected p (OIDC, default role manager) and verified Domain.
type ssoOrg struct {
	ID     string
	Name   string
	Domain string
	Owner  *browser
}

// MustConnectOrg creates an organization with an owner at a fresh domain, saves an OIDC connection to p
// with clientID, and claims the owner's domain (verified at once: the owner's address there is verified).
func MustConnectOrg(t *testing.T, srv *testServer, p *oidcIdP, clientID string) ssoOrg {
	t.Helper()
	d := uniqueDomain()
	owner := srv.MustSignUpAt(t, "Olive Owner", "olive@"+d, true)
	org := owner.MustCreateOrg(uniqueName("Acme"))
	res := owner.Do(http.MethodPut, "/api/v1/orgs/"+org.ID+"/security/sso", map[string]string{"protocol": "oidc",
		"oidc_issuer": p.Issuer(), "oidc_client_id": clientID, "oidc_client_secret": p.ClientSecret, "default_role": "manager"})
	MustStatus(t, res, http.StatusOK)
	res = owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/security/domains", map[string]string{"domain": d})
	MustStatus(t, res, http.StatusCreated)
	mustProveDomain(t, srv.DB, org.ID, d)
	return ssoOrg{ID: org.ID, Name: org.Name, Domain: d, Owner: owner}
}

func ssoStart(orgID string) string { return "/api/v1/auth/sso/" + orgID + "/start" }

// meJSON is GET /api/v1/me as the tests read it.
type meJSON struct {
	User        userJSON
	Memberships []struct {
		Organization orgJSON
		Role         string
	}
}

// MustBeSignedOut asserts the browser has no working session.
func (b *browser) MustBeSignedOut() {
	b.t.Helper()
	MustStatus(b.t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusUnauthorized)
}

// refusedReasons lists the reasons of orgID's refused-sign-in audit rows, oldest first.
func refusedReasons(t *testing.T, db *storetest.DB, orgID string) []string {
	t.Helper()
	var out []string
	require.NoError(t, db.Owner.Bun().NewRaw(`SELECT metadata->>'reason' FROM audit_logs WHERE organization_id = ?
		AND action = ? ORDER BY created_at, id`, orgID, domain.AuditSSOSignInRefused).Scan(context.Background(), &out))
	return out
}

func withSSOTestLimits() option { return withAuthLimit(100000) }

func TestOIDCSignIn(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("a_new_person_at_the_verified_domain_joins_with_the_default_role_and_signs_in", func(t *testing.T) {
		srv := MustStart(t, db, withSSOTestLimits())
		idp := MustRunIdP(t)
		org := MustConnectOrg(t, srv, idp, idp.ClientID)
		idp.QueuePerson("jane-sub", "Jane@"+org.Domain, true)

		jane := srv.NewBrowser(t)
		hops := jane.MustSignInVia(ssoStart(org.ID)+"?return_to=/orgs/"+org.ID+"/projects", nil)
		assert.Equal(t, "/orgs/"+org.ID+"/projects", hops.Final)
		assert.True(t, strings.HasPrefix(hops.CallbackURL, srv.URL+"/api/v1/auth/sso/"+org.ID+"/oidc/callback?"))

		authz, err := url.Parse(hops.AuthorizeURL)
		require.NoError(t, err)
		q := authz.Query()
		assert.Equal(t, "S256", q.Get("code_challenge_method"), "PKCE")
		assert.NotEmpty(t, q.Get("nonce"))
		assert.Equal(t, "openid email profile", q.Get("scope"))

		MustStatus(t, jane.Do(http.MethodGet, "/api/v1/orgs/"+org.ID, nil), http.StatusOK)
		var me meJSON
		jane.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me)
		assert.Equal(t, "jane@"+org.Domain, me.User.Email)
		assert.True(t, me.User.EmailVerified)
		require.Len(t, me.Memberships, 1)
		assert.Equal(t, org.ID, me.Memberships[0].Organization.ID)
		assert.Equal(t, "manager", me.Memberships[0].Role, "the connection's default role")

		var ids struct {
			SSO []struct {
				OrganizationID   string `json:"organization_id"`
				OrganizationName string `json:"organization_name"`
				Email            string
			}
		}
		jane.Do(http.MethodGet, "/api/v1/me/identities", nil).MustJSON(t, &ids)
		require.Len(t, ids.SSO, 1)
		assert.Equal(t, org.ID, ids.SSO[0].OrganizationID)
		assert.Equal(t, org.Name, ids.SSO[0].OrganizationName)

		t.Run("and_signs_in_again_as_the_same_member", func(t *testing.T) {
			idp.QueuePerson("jane-sub", "jane@"+org.Domain, true)
			again := srv.NewBrowser(t)
			assert.Equal(t, "/orgs/"+org.ID, again.MustSignInVia(ssoStart(org.ID), nil).Final)
			var me2 meJSON
			again.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me2)
			assert.Equal(t, me.User.ID, me2.User.ID)
			require.Len(t, me2.Memberships, 1)
		})
	})
}

func TestOIDCRefusals(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withSSOTestLimits())
	idp := MustRunIdP(t)
	org := MustConnectOrg(t, srv, idp, idp.ClientID)
	person := func() string { return "p-" + strings.ToLower(rand.Text()[:8]) }
	queue := func() { idp.QueuePerson(person(), person()+"@"+org.Domain, true) }

	// refusedAt runs a sign-in whose callback must be refused and checks nobody was signed in.
	refusedAt := func(t *testing.T, edit func(url.Values)) string {
		t.Helper()
		queue()
		b := srv.NewBrowser(t)
		msg := MustBeRefused(t, b.MustSignInVia(ssoStart(org.ID), edit).Final, "/sign-in")
		b.MustBeSignedOut()
		return msg
	}
	lastReason := func(t *testing.T) string {
		t.Helper()
		r := refusedReasons(t, db, org.ID)
		require.NotEmpty(t, r, "a refused token is audited")
		return r[len(r)-1]
	}

	t.Run("a_state_that_is_not_the_browser's_is_refused", func(t *testing.T) {
		queue()
		b := srv.NewBrowser(t)
		authorize := MustRedirect(t, b.Navigate(ssoStart(org.ID)))
		callback := MustRedirect(t, b.Navigate(authorize))
		u, _ := url.Parse(callback)
		q := u.Query()
		q.Set("state", "forged-"+q.Get("state"))
		u.RawQuery = q.Encode()
		MustBeRefused(t, MustRedirect(t, b.Navigate(u.String())), "/sign-in")
		b.MustBeSignedOut()
	})

	t.Run("a_callback_in_another_browser_(no_state_cookie)_is_refused", func(t *testing.T) {
		queue()
		victim := srv.NewBrowser(t)
		authorize := MustRedirect(t, victim.Navigate(ssoStart(org.ID)))
		callback := MustRedirect(t, victim.Navigate(authorize))
		other := srv.NewBrowser(t)
		MustBeRefused(t, MustRedirect(t, other.Navigate(callback)), "/sign-in")
		other.MustBeSignedOut()
	})

	t.Run("a_replayed_code_is_refused", func(t *testing.T) {
		queue()
		b := srv.NewBrowser(t)
		hops := b.MustSignInVia(ssoStart(org.ID), nil)
		require.Equal(t, "/orgs/"+org.ID, hops.Final)

		// The same callback again, its state cookie put back: the state was used.
		cu, _ := url.Parse(hops.CallbackURL)
		state := cu.Query().Get("state")
		b.client.Jar.SetCookies(cu, []*http.Cookie{{Name: "cf_login_state", Value: state, Path: "/api/v1/auth/"}})
		msg := MustBeRefused(t, MustRedirect(t, b.Navigate(hops.CallbackURL)), "/sign-in")
		assert.Contains(t, msg, "has expired or was started in another browser")
		// The same code with a fresh state of this browser: the provider has granted it already (and its
		// PKCE challenge was another sign-in's).
		replay := srv.NewBrowser(t)
		fresh := MustRedirect(t, replay.Navigate(ssoStart(org.ID)))
		fu, _ := url.Parse(fresh)
		q := cu.Query()
		q.Set("state", fu.Query().Get("state"))
		cu.RawQuery = q.Encode()
		msg = MustBeRefused(t, MustRedirect(t, replay.Navigate(cu.String())), "/sign-in")
		assert.Contains(t, msg, "did not accept this sign-in")
		replay.MustBeSignedOut()
	})

	t.Run("a_token_with_another_nonce_is_refused_and_audited", func(t *testing.T) {
		refusedAt(t, func(q url.Values) { q.Set("nonce", "attacker-chosen-nonce") })
		assert.Contains(t, lastReason(t), "nonce")
	})

	t.Run("a_token_for_another_audience_is_refused_and_audited", func(t *testing.T) {
		idp.Rewrite(func(c map[string]any) { c["aud"] = []string{"another-application"} }, nil)
		defer idp.Rewrite(nil, nil)
		refusedAt(t, nil)
		assert.Contains(t, lastReason(t), "audience")
	})

	t.Run("an_expired_token_is_refused_and_audited", func(t *testing.T) {
		idp.FastForward(-time.Hour) // the provider issues a token that expired 50 minutes ago
		defer idp.FastForward(time.Hour)
		refusedAt(t, nil)
		assert.Contains(t, lastReason(t), "expired")
	})

	t.Run("a_token_signed_with_another_key_is_refused_and_audited", func(t *testing.T) {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		idp.Rewrite(nil, key)
		defer idp.Rewrite(nil, nil)
		refusedAt(t, nil)
		assert.Contains(t, lastReason(t), "signature")
	})

	t.Run("a_token_from_another_issuer_is_refused_and_audited", func(t *testing.T) {
		idp.Rewrite(func(c map[string]any) { c["iss"] = "https://evil.example" }, nil)
		defer idp.Rewrite(nil, nil)
		refusedAt(t, nil)
		assert.Contains(t, lastReason(t), "different provider")
	})

	t.Run("a_token_without_an_email_is_refused_and_audited", func(t *testing.T) {
		idp.Rewrite(func(c map[string]any) { delete(c, "email") }, nil)
		defer idp.Rewrite(nil, nil)
		refusedAt(t, nil)
		assert.Contains(t, lastReason(t), "email")
	})

	t.Run("an_email_at_a_domain_the_organization_has_not_verified_is_refused", func(t *testing.T) {
		idp.QueuePerson(person(), "mallory@"+uniqueDomain(), true)
		b := srv.NewBrowser(t)
		msg := MustBeRefused(t, b.MustSignInVia(ssoStart(org.ID), nil).Final, "/sign-in")
		assert.Contains(t, msg, "has not verified that domain")
		b.MustBeSignedOut()
	})

	t.Run("the_provider's_own_refusal_is_shown", func(t *testing.T) {
		b := srv.NewBrowser(t)
		authorize := MustRedirect(t, b.Navigate(ssoStart(org.ID)))
		au, _ := url.Parse(authorize)
		msg := MustBeRefused(t, MustRedirect(t, b.Navigate("/api/v1/auth/sso/"+org.ID+"/oidc/callback?error=access_denied&state="+
			url.QueryEscape(au.Query().Get("state")))), "/sign-in")
		assert.Contains(t, msg, "did not let you sign in")
		b.MustBeSignedOut()
	})
}

func TestOIDCOrganizationScoping(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withSSOTestLimits())
	idp := MustRunIdP(t)
	// Both organizations use the same provider and client (e.g. one Google Workspace tenant's app).
	a := MustConnectOrg(t, srv, idp, idp.ClientID)
	b := MustConnectOrg(t, srv, idp, idp.ClientID)

	idp.QueuePerson("ann-sub", "ann@"+a.Domain, true)
	ann := srv.NewBrowser(t)
	require.Equal(t, "/orgs/"+a.ID, ann.MustSignInVia(ssoStart(a.ID), nil).Final)

	t.Run("an_identity_of_organization_A_cannot_sign_in_to_organization_B", func(t *testing.T) {
		idp.QueuePerson("ann-sub", "ann@"+a.Domain, true)
		other := srv.NewBrowser(t)
		msg := MustBeRefused(t, other.MustSignInVia(ssoStart(b.ID), nil).Final, "/sign-in")
		assert.Contains(t, msg, a.Domain)
		other.MustBeSignedOut()
		var n int
		require.NoError(t, db.Owner.Bun().NewRaw(`SELECT count(*) FROM organization_memberships m JOIN users u ON u.id = m.user_id
			WHERE m.organization_id = ? AND u.email = ?`, b.ID, "ann@"+a.Domain).Scan(context.Background(), &n))
		assert.Zero(t, n, "no membership of B")
		MustStatus(t, ann.Do(http.MethodGet, "/api/v1/orgs/"+b.ID, nil), http.StatusNotFound)
	})

	t.Run("a_sign_in_started_for_A_cannot_finish_at_B's_callback", func(t *testing.T) {
		idp.QueuePerson("ann-sub", "ann@"+a.Domain, true)
		other := srv.NewBrowser(t)
		authorize := MustRedirect(t, other.Navigate(ssoStart(a.ID)))
		callback := MustRedirect(t, other.Navigate(authorize))
		swapped := strings.Replace(callback, "/sso/"+a.ID+"/", "/sso/"+b.ID+"/", 1)
		require.NotEqual(t, callback, swapped)
		MustBeRefused(t, MustRedirect(t, other.Navigate(swapped)), "/sign-in")
		other.MustBeSignedOut()
	})
}

// TestOIDCConnectionTest covers "test connection": the owner's sign-in through the IdP records a success
// and lands back on the security tab, without joining or signing anyone in.
func TestOIDCConnectionTest(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withSSOTestLimits())
	idp := MustRunIdP(t)
	org := MustConnectOrg(t, srv, idp, idp.ClientID)
	idp.QueuePerson("olive-sub", "olive@"+org.Domain, true)
	hops := org.Owner.MustSignInVia(ssoStart(org.ID)+"?purpose=test", nil)
	assert.True(t, strings.HasPrefix(hops.Final, "/orgs/"+org.ID+"/settings/security?sso_test=ok"), hops.Final)
	var sec struct {
		Connection struct {
			LastSuccessAt *time.Time `json:"last_success_at"`
		}
	}
	org.Owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/security", nil).MustJSON(t, &sec)
	assert.NotNil(t, sec.Connection.LastSuccessAt)
}
