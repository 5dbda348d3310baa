package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// OpenID Connect relying party, shared by the organizations' OIDC connections and "Sign in with Google":
// the authorization code flow with PKCE (S256), the state bound to the browser (beginLogin/consumeLogin)
// and the nonce checked in the ID token, which go-oidc verifies (signature against the provider's JWKS,
// issuer, audience = our client ID, expiry).

// idpTimeout bounds each call to an identity provider (discovery, keys, code exchange).
const idpTimeout = 10 * time.Second

// oidcScopes are what a sign-in asks for: the ID token with the address and name.
var oidcScopes = []string{oidc.ScopeOpenID, "email", "profile"}

// idpDialer is Server.idpContext as a value, for the provider cache and relying parties.
type idpDialer func(context.Context) (context.Context, context.CancelFunc)

// idpContext carries the identity-provider client (go-oidc and oauth2 take their client from the context)
// and the timeout. An organization's issuer is its owner's choice, so the client dials through the same
// guard as SAML metadata (metadataDialControl: never link-local or multicast, and in production never
// loopback or private addresses), uses no proxy, and keeps no idle connections.
func (s *Server) idpContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, idpTimeout)
	client := &http.Client{Timeout: idpTimeout, Transport: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: idpTimeout, Control: s.metadataDialControl}).DialContext,
		TLSHandshakeTimeout: idpTimeout, DisableKeepAlives: true}}
	return oidc.ClientContext(ctx, client), cancel
}

// providerTTL is how long a provider's discovery document is reused. Its keys are go-oidc's concern: the
// key set fetches them again when a token names a key it does not know (rotation).
const providerTTL = 5 * time.Minute

// providerCache spares a sign-in the discovery round trip; entries are per issuer and short-lived, and a
// failed discovery is never cached.
type providerCache struct {
	mu      sync.Mutex
	entries map[string]cachedProvider
}

type cachedProvider struct {
	provider *oidc.Provider
	fetched  time.Time
}

var providers = &providerCache{entries: map[string]cachedProvider{}}

// get returns issuer's provider, discovering it when it is not cached or its entry has expired.
func (c *providerCache) get(ctx context.Context, issuer string, idp idpDialer) (*oidc.Provider, error) {
	c.mu.Lock()
	e, ok := c.entries[issuer]
	c.mu.Unlock()
	if ok && time.Since(e.fetched) < providerTTL {
		return e.provider, nil
	}
	ctx, cancel := idp(ctx)
	defer cancel()
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for k, v := range c.entries {
		if now.Sub(v.fetched) >= providerTTL {
			delete(c.entries, k)
		}
	}
	c.entries[issuer] = cachedProvider{provider: p, fetched: now}
	return p, nil
}

// relyingParty is our client at one provider.
type relyingParty struct {
	provider *oidc.Provider
	config   oauth2.Config
	logger   *slog.Logger
	idp      idpDialer
}

// errIdPUnreachable is the answer when discovery fails: the settings or the provider are at fault, not the
// person signing in.
var errIdPUnreachable = domain.Errorf(domain.EINVALID,
	"We could not reach the identity provider. Try again later, or ask your administrator to check the SSO connection.")

// newRelyingParty discovers issuer and sets up the client. Errors: EINVALID when discovery fails.
func (s *Server) newRelyingParty(ctx context.Context, issuer, clientID, clientSecret, redirectURL string) (*relyingParty, error) {
	p, err := providers.get(ctx, issuer, s.idpContext)
	if err != nil {
		s.logger.WarnContext(ctx, "oidc discovery failed", "issuer", issuer, "err", err)
		return nil, errIdPUnreachable
	}
	return &relyingParty{provider: p, config: oauth2.Config{ClientID: clientID, ClientSecret: clientSecret,
		Endpoint: p.Endpoint(), RedirectURL: redirectURL, Scopes: oidcScopes}, logger: s.logger, idp: s.idpContext}, nil
}

// authURL is the provider's authorization request for the sign-in st in flight.
func (rp *relyingParty) authURL(state string, st *store.LoginState) string {
	return rp.config.AuthCodeURL(state, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.CodeVerifier))
}

// tokenRefusedError is an ID token (or token response) we do not accept: reason says why, for the audit
// log and our logs; the person sees a generic message.
type tokenRefusedError struct{ reason string }

func (e *tokenRefusedError) Error() string { return "id token refused: " + e.reason }

// errTokenRefused is what the person signing in is told when their provider's token is refused.
var errTokenRefused = domain.Errorf(domain.EFORBIDDEN,
	"The identity provider's answer could not be verified, so you were not signed in. Start again; if it keeps "+
		"happening, ask your administrator to check the SSO connection.")

// errCodeRefused is the answer when the provider will not exchange the code (used already, expired, or
// the PKCE verifier does not match).
var errCodeRefused = domain.Errorf(domain.EINVALID, "The identity provider did not accept this sign-in. Start again.")

// idTokenClaims are the claims we read. email_verified is a flexBool: some providers send "true".
type idTokenClaims struct {
	Email         string   `json:"email"`
	EmailVerified flexBool `json:"email_verified"`
	Name          string   `json:"name"`
	Nonce         string   `json:"nonce"`
}

// flexBool decodes a JSON boolean or the strings "true"/"false".
type flexBool bool

func (b *flexBool) UnmarshalJSON(raw []byte) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case bool:
		*b = flexBool(x)
	case string:
		*b = flexBool(strings.EqualFold(x, "true"))
	}
	return nil
}

// identity exchanges code (with st's PKCE verifier) and verifies the ID token: go-oidc checks the
// signature, issuer, audience and expiry; the nonce must be st's and the email claim present. Errors:
// *tokenRefusedError for a token we refuse, errCodeRefused when the provider refuses the code,
// errIdPUnreachable when it does not answer.
func (rp *relyingParty) identity(ctx context.Context, code string, st *store.LoginState) (domain.ExternalIdentity, error) {
	var id domain.ExternalIdentity
	if code == "" {
		return id, errCodeRefused
	}
	ctx, cancel := rp.idp(ctx)
	defer cancel()
	tok, err := rp.config.Exchange(ctx, code, oauth2.VerifierOption(st.CodeVerifier))
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		rp.logger.InfoContext(ctx, "oidc code refused by the provider", "error", re.ErrorCode, "description", re.ErrorDescription)
		return id, errCodeRefused
	} else if err != nil {
		rp.logger.WarnContext(ctx, "oidc code exchange failed", "token_url", rp.config.Endpoint.TokenURL, "err", err)
		return id, errIdPUnreachable
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return id, &tokenRefusedError{reason: "the token response has no id_token"}
	}
	verified, err := rp.provider.Verifier(&oidc.Config{ClientID: rp.config.ClientID}).Verify(ctx, raw)
	if err != nil {
		return id, &tokenRefusedError{reason: err.Error()}
	}
	var claims idTokenClaims
	if err := verified.Claims(&claims); err != nil {
		return id, &tokenRefusedError{reason: "unreadable claims: " + err.Error()}
	}
	if claims.Nonce == "" || claims.Nonce != st.Nonce {
		return id, &tokenRefusedError{reason: "the nonce is not the one this sign-in sent"}
	}
	if strings.TrimSpace(claims.Email) == "" {
		return id, &tokenRefusedError{reason: "the token has no email claim (is the email scope allowed?)"}
	}
	return domain.ExternalIdentity{Subject: verified.Subject, Email: claims.Email, EmailVerified: bool(claims.EmailVerified),
		Name: strings.TrimSpace(claims.Name)}, nil
}

// idpError is the provider's own refusal (?error= on the callback, e.g. access_denied).
func idpError(code, description string) error {
	if code == "access_denied" {
		return domain.Errorf(domain.EFORBIDDEN, "The identity provider did not let you sign in to this application.")
	}
	msg := "The identity provider answered " + truncate(code, 64)
	if description != "" {
		msg += ": " + truncate(description, 200)
	}
	return domain.Errorf(domain.EINVALID, "%s", msg)
}

// oidcRedirectURL is the callback URL registered at the organization's IdP (the security tab shows it).
func (s *Server) oidcRedirectURL(orgID string) string {
	return strings.TrimRight(s.cfg.AppURL, "/") + ssoBase + orgID + "/oidc/callback"
}

// orgRelyingParty is our client at an organization's OIDC connection.
func (s *Server) orgRelyingParty(ctx context.Context, sec *store.SSOSecrets) (*relyingParty, error) {
	secret, err := s.openSecret(sec.ClientSecret)
	if err != nil {
		return nil, err
	}
	c := sec.Connection
	return s.newRelyingParty(ctx, c.OIDCIssuer, c.OIDCClientID, secret, s.oidcRedirectURL(c.OrganizationID))
}

func (s *Server) registerOIDCRoutes() {
	s.router.GET(ssoBase+":org_id/oidc/callback", s.oidcCallback)
}

// oidcAuthURL is the authorization request to the organization's IdP for the sign-in st.
func (s *Server) oidcAuthURL(ctx context.Context, sec *store.SSOSecrets, state string, st *store.LoginState) (string, error) {
	rp, err := s.orgRelyingParty(ctx, sec)
	if err != nil {
		return "", err
	}
	return rp.authURL(state, st), nil
}

// oidcCallback is where the organization's IdP sends the browser back: the state must be this browser's
// and this organization's, the code is exchanged and the ID token verified, then finishSSO applies the
// organization's rules.
func (s *Server) oidcCallback(c *gin.Context) {
	ctx := c.Request.Context()
	st, err := s.consumeLogin(c, c.Query("state"), true)
	if err != nil {
		s.failLogin(c, nil, err)
		return
	}
	if st.Provider != domain.SSOProtocolOIDC || st.OrgID != c.Param("org_id") {
		s.failLogin(c, nil, errLoginState)
		return
	}
	if e := c.Query("error"); e != "" {
		s.failLogin(c, st, idpError(e, c.Query("error_description")))
		return
	}
	sec, err := s.db.SSOConnectionSecrets(ctx, st.OrgID)
	if err != nil {
		s.failLogin(c, st, err)
		return
	}
	if sec.Connection.Protocol != domain.SSOProtocolOIDC {
		s.failLogin(c, st, domain.Errorf(domain.EINVALID, "The organization's SSO connection changed during sign-in. Start again."))
		return
	}
	rp, err := s.orgRelyingParty(ctx, sec)
	if err != nil {
		s.failLogin(c, st, err)
		return
	}
	id, err := rp.identity(ctx, c.Query("code"), st)
	if err != nil {
		s.failLogin(c, st, s.refuseOrgToken(ctx, st.OrgID, err))
		return
	}
	s.finishSSO(c, st, domain.SSOProtocolOIDC, id)
}

// refuseOrgToken records a refused ID token in the organization's audit log (its admins see why their
// IdP's sign-ins fail) and returns what the person is told. Other errors pass through.
func (s *Server) refuseOrgToken(ctx context.Context, orgID string, err error) error {
	var refused *tokenRefusedError
	if !errors.As(err, &refused) {
		return err
	}
	s.logger.WarnContext(ctx, "oidc sign-in refused", "organization_id", orgID, "reason", refused.reason)
	if aerr := s.db.RecordAudit(ctx, orgID, domain.AuditEntry{Action: domain.AuditSSOSignInRefused,
		EntityType: "sso_connection", EntityID: orgID,
		Metadata: map[string]any{"protocol": domain.SSOProtocolOIDC, "reason": refused.reason}}); aerr != nil {
		s.logger.ErrorContext(ctx, "audit refused oidc sign-in", "err", aerr, "organization_id", orgID)
	}
	return errTokenRefused
}
