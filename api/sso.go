package api

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// External sign-in (Google and the organizations' SSO connections) runs as browser navigations: a start
// route redirects to the provider, the provider redirects (OIDC) or posts (SAML) back, and the callback
// opens a session and redirects into the app. Those routes are plain Gin handlers that answer with
// redirects; failures land on the sign-in page with ?sso_error= (a message fit to show).
const (
	ssoBase = "/api/v1/auth/sso/"
	// loginStateCookie binds a sign-in in flight to the browser that started it: the callback's state must
	// equal it, so a victim cannot be made to finish an attacker's sign-in (login CSRF).
	loginStateCookie   = "cf_login_state"
	loginStateLifetime = 10 * time.Minute
)

// loginStart is what a start route asks for.
type loginStart struct {
	Provider string // google, oidc, saml
	Purpose  string // store.LoginSignIn, LoginLink, LoginTest
	OrgID    string
	UserID   string
	ReturnTo string
}

// beginLogin stores a new sign-in in flight and sets its browser cookie. It returns the state (sent to the
// provider as state or RelayState) and the stored row, whose Nonce and CodeVerifier the provider's request
// carries.
func (s *Server) beginLogin(c *gin.Context, in loginStart) (string, *store.LoginState, error) {
	state, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	nonce, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	verifier, err := randomToken() // 43 URL-safe characters: a valid PKCE code verifier (RFC 7636)
	if err != nil {
		return "", nil, err
	}
	st := &store.LoginState{StateHash: s.tokenHash(state), Provider: in.Provider, Purpose: in.Purpose, OrgID: in.OrgID,
		UserID: in.UserID, Nonce: nonce, CodeVerifier: verifier, ReturnTo: safeReturnTo(in.ReturnTo),
		ExpiresAt: time.Now().Add(loginStateLifetime)}
	if err := s.db.CreateLoginState(c.Request.Context(), st); err != nil {
		return "", nil, err
	}
	s.setLoginCookie(c, state, int(loginStateLifetime.Seconds()))
	return state, st, nil
}

// setLoginCookie sets (or with maxAge -1 clears) the login state cookie. SAML posts its response from the
// IdP's site, which a SameSite=Lax cookie does not survive, so over https the cookie is SameSite=None; on
// plain-http development (no Secure flag possible) it is Lax and SAML falls back to the state alone.
func (s *Server) setLoginCookie(c *gin.Context, value string, maxAge int) {
	ck := &http.Cookie{Name: loginStateCookie, Value: value, Path: "/api/v1/auth/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode}
	if ck.Secure {
		ck.SameSite = http.SameSiteNoneMode
	}
	http.SetCookie(c.Writer, ck)
}

// errLoginState is the one answer to a missing, expired, reused or foreign state.
var errLoginState = domain.Errorf(domain.EINVALID, "This sign-in has expired or was started in another browser. Start again.")

// consumeLogin checks the state a provider sent back against the browser's cookie and consumes it (a state
// works once). requireCookie is false only for a SAML post on plain http (see setLoginCookie).
func (s *Server) consumeLogin(c *gin.Context, state string, requireCookie bool) (*store.LoginState, error) {
	cookie, _ := c.Cookie(loginStateCookie)
	s.setLoginCookie(c, "", -1)
	if state == "" {
		return nil, errLoginState
	}
	if (requireCookie || cookie != "") && subtle.ConstantTimeCompare([]byte(cookie), []byte(state)) != 1 {
		return nil, errLoginState
	}
	st, err := s.db.ConsumeLoginState(c.Request.Context(), s.tokenHash(state))
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, errLoginState
	}
	return st, err
}

// safeReturnTo keeps a post-sign-in destination on this site: a path starting with one "/", else "".
func safeReturnTo(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || len(p) > 2048 {
		return ""
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return p
}

// failLogin sends the browser back to the sign-in page (or, for a test or a link, the page that started it)
// with a message. Internal errors are logged and shown as a generic message.
func (s *Server) failLogin(c *gin.Context, st *store.LoginState, err error) {
	msg := domain.ErrorMessage(err)
	if domain.ErrorCode(err) == domain.EINTERNAL {
		s.logger.ErrorContext(c.Request.Context(), "external sign-in", "err", err)
		msg = "Sign-in failed on our side. Try again in a moment."
	}
	target := "/sign-in"
	if st != nil && st.Purpose == store.LoginLink {
		target = "/account"
	} else if st != nil && st.Purpose == store.LoginTest {
		target = "/orgs/" + st.OrgID + "/settings/security"
	}
	c.Redirect(http.StatusSeeOther, target+"?sso_error="+url.QueryEscape(msg))
}

// finishSSO completes a sign-in through orgID's IdP once the protocol has verified id: a test records the
// connection's success; a sign-in resolves the account and membership (store.SSOSignIn's rules), opens an
// SSO session for the organization and redirects into it.
func (s *Server) finishSSO(c *gin.Context, st *store.LoginState, protocol string, id domain.ExternalIdentity) {
	ctx := c.Request.Context()
	if st.Purpose == store.LoginTest {
		if err := s.db.RecordSSOTest(ctx, st.OrgID, st.UserID, protocol, id.Email); err != nil {
			s.failLogin(c, st, err)
			return
		}
		c.Redirect(http.StatusSeeOther, "/orgs/"+st.OrgID+"/settings/security?sso_test=ok&email="+url.QueryEscape(id.Email))
		return
	}
	hash, err := unusablePasswordHash()
	if err != nil {
		s.failLogin(c, st, err)
		return
	}
	res, err := s.db.SSOSignIn(ctx, st.OrgID, protocol, id, hash)
	if err != nil {
		if domain.ErrorCode(err) == domain.EFORBIDDEN {
			// A valid assertion for someone the IdP may not vouch for (a domain not verified, a suspended
			// member): the organization's admins see the attempt.
			s.auditRefusedIdentity(ctx, st.OrgID, protocol, id, domain.ErrorMessage(err))
		}
		s.failLogin(c, st, err)
		return
	}
	if err := s.openExternalSession(c, res.User, domain.AuthMethodSSO, st.OrgID); err != nil {
		s.failLogin(c, st, err)
		return
	}
	dest := st.ReturnTo
	if dest == "" || !strings.HasPrefix(dest, "/orgs/"+st.OrgID) {
		dest = "/orgs/" + st.OrgID
	}
	c.Redirect(http.StatusSeeOther, dest)
}

// auditRefusedIdentity records, in orgID's audit log, an identity its IdP asserted that the sign-in rules
// refused (reason identity_refused; detail says why).
func (s *Server) auditRefusedIdentity(ctx context.Context, orgID, protocol string, id domain.ExternalIdentity, detail string) {
	err := s.db.RecordAudit(ctx, orgID, domain.AuditEntry{Action: domain.AuditSSOSignInRefused,
		EntityType: "sso_connection", EntityID: orgID, Metadata: map[string]any{"protocol": protocol,
			"reason": "identity_refused", "email": id.Email, "subject": id.Subject, "detail": truncate(detail, 500)}})
	if err != nil {
		s.logger.ErrorContext(ctx, "audit a refused SSO identity", "err", err, "organization_id", orgID)
	}
}

// openExternalSession opens a session opened by an external provider and sets the cookie. Two-factor
// sign-in is not asked for: the provider's own (e.g. the IdP's MFA policy) applies.
func (s *Server) openExternalSession(c *gin.Context, u *domain.User, method, ssoOrgID string) error {
	ctx := c.Request.Context()
	token, err := randomToken()
	if err != nil {
		return err
	}
	sess := &store.Session{UserID: u.ID, TokenHash: s.tokenHash(token), UserAgent: truncate(c.Request.UserAgent(), 512),
		IP: clientIPFrom(ctx), ExpiresAt: time.Now().Add(sessionLifetime), AuthMethod: method, SSOOrgID: ssoOrgID}
	err = s.db.Atomically(ctx, "", "", func(ctx context.Context) error {
		if err := s.db.CreateSession(ctx, sess); err != nil {
			return err
		}
		if method == domain.AuthMethodSSO {
			return nil // SSOSignIn audited it in the organization
		}
		return s.db.RecordUserAudit(ctx, u.ID, domain.AuditSignedIn, map[string]any{"session_id": sess.ID, "method": method})
	})
	if err != nil {
		return err
	}
	ck := s.cookie(token, int(sessionLifetime.Seconds()))
	http.SetCookie(c.Writer, &ck)
	s.reportBreakGlass(ctx, u, sess.ID, method, ssoOrgID)
	return nil
}

// unusablePasswordHash is the password of an account created by an external sign-in: the hash of 256 random
// bits nobody knows. "Forgot password" sets a real one.
func unusablePasswordHash() (string, error) {
	secret, err := randomToken()
	if err != nil {
		return "", err
	}
	return HashPassword(secret)
}

// sessionUser returns the signed-in user of the request's session cookie, or an EUNAUTHENTICATED error.
func (s *Server) sessionUser(c *gin.Context, orgID string) (*store.Principal, error) {
	tok, err := c.Cookie(sessionCookie)
	if err != nil || tok == "" {
		return nil, domain.Errorf(domain.EUNAUTHENTICATED, "Please sign in.")
	}
	return s.db.SessionPrincipal(c.Request.Context(), s.tokenHash(tok), orgID)
}

// registerSSORoutes adds the browser routes of external sign-in (see the top of this file) and the JSON ones.
func (s *Server) registerSSORoutes() {
	s.router.GET(ssoBase+":org_id/start", s.ssoStart)
	s.registerOIDCRoutes()
	s.registerSAMLRoutes()
	s.registerGoogleRoutes()
	s.registerSSODiscovery()
}

// ssoStart redirects to the organization's IdP. ?purpose=test runs the owner's "test connection" (needs
// sso.manage in the organization); ?return_to= is where a sign-in lands (a path inside the organization).
func (s *Server) ssoStart(c *gin.Context) {
	ctx := c.Request.Context()
	orgID := c.Param("org_id")
	in := loginStart{Purpose: store.LoginSignIn, OrgID: orgID, ReturnTo: c.Query("return_to")}
	if c.Query("purpose") == store.LoginTest {
		in.Purpose = store.LoginTest
		p, err := s.sessionUser(c, orgID)
		if err != nil {
			s.failLogin(c, nil, err)
			return
		}
		if !slices.Contains(p.Permissions, domain.PermSSOManage) {
			s.failLogin(c, nil, domain.Errorf(domain.EFORBIDDEN, "Only an owner can test the SSO connection."))
			return
		}
		in.UserID = p.User.ID
	}
	sec, err := s.db.SSOConnectionSecrets(ctx, orgID)
	if err != nil {
		s.failLogin(c, nil, err)
		return
	}
	in.Provider = sec.Connection.Protocol
	state, st, err := s.beginLogin(c, in)
	if err != nil {
		s.failLogin(c, nil, err)
		return
	}
	var target string
	switch sec.Connection.Protocol {
	case domain.SSOProtocolOIDC:
		target, err = s.oidcAuthURL(ctx, sec, state, st)
	case domain.SSOProtocolSAML:
		target, err = s.samlAuthURL(ctx, sec, state, st)
	}
	if err != nil {
		s.failLogin(c, st, err)
		return
	}
	c.Redirect(http.StatusSeeOther, target)
}
