package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gin-gonic/gin"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// "Sign in with Google" is OIDC against Google (GOOGLE_ISSUER) with this deployment's client, outside any
// organization: a Google account signs in to the ClientFlow account it is linked to, and links itself by
// email only when Google says it has verified the address.

const (
	googleProvider       = "google"
	googleBase           = "/api/v1/auth/google/"
	defaultGoogleIssuer  = "https://accounts.google.com"
	googleNotConfigured  = "Sign in with Google is not available on this server."
	googleSignInLanding  = "/"
	googleLinkedLanding  = "/account?linked=google"
	googleUnverifiedText = "An account with this email already exists, and Google has not verified the address for us. " +
		"Sign in with your password, then link Google from your account page."
)

// googleConfigured reports whether this deployment offers "Sign in with Google".
func (s *Server) googleConfigured() bool {
	return s.cfg.GoogleClientID != "" && s.cfg.GoogleClientSecret != ""
}

// googleRelyingParty is our client at Google.
func (s *Server) googleRelyingParty(ctx context.Context) (*relyingParty, error) {
	issuer := s.cfg.GoogleIssuer
	if issuer == "" {
		issuer = defaultGoogleIssuer
	}
	return s.newRelyingParty(ctx, issuer, s.cfg.GoogleClientID, s.cfg.GoogleClientSecret,
		strings.TrimRight(s.cfg.AppURL, "/")+googleBase+"callback")
}

// LinkedGoogle is the Google account linked to the signed-in user.
type LinkedGoogle struct {
	Email    string    `json:"email"`
	LinkedAt time.Time `json:"linked_at"`
}

// LinkedSSO is an organization whose identity provider the signed-in user has signed in through.
type LinkedSSO struct {
	OrganizationID   string    `json:"organization_id" format:"uuid"`
	OrganizationName string    `json:"organization_name"`
	Email            string    `json:"email" doc:"The address the organization's IdP asserted."`
	LastSeenAt       time.Time `json:"last_seen_at"`
}

// Identities are the signed-in user's ways in besides their password.
type Identities struct {
	Google          *LinkedGoogle `json:"google" doc:"The linked Google account, or null."`
	GoogleAvailable bool          `json:"google_available" doc:"Whether this server offers \"Sign in with Google\" (so linking is possible)."`
	SSO             []LinkedSSO   `json:"sso"`
}

func (s *Server) registerGoogleRoutes() {
	s.router.GET(googleBase+"start", s.googleStart)
	s.router.GET(googleBase+"callback", s.googleCallback)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-identities", Method: http.MethodGet, Path: "/api/v1/me/identities", Tags: []string{"Account"},
		Summary: "The signed-in user's linked Google account and SSO identities", Security: security,
		Description: "Link Google by sending the browser to `GET " + googleBase + "start?link=1`.",
		Errors:      []int{http.StatusUnauthorized},
	}, s.listIdentities)
	huma.Register(s.api, huma.Operation{
		OperationID: "unlink-google", Method: http.MethodDelete, Path: "/api/v1/me/identities/google", Tags: []string{"Account"},
		Summary: "Unlink the Google account", Security: security, DefaultStatus: http.StatusNoContent,
		Description: "The account keeps its password; an account created through Google sets one with \"Forgot password\".",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.unlinkGoogle)
}

func (s *Server) listIdentities(ctx context.Context, _ *struct{}) (*struct{ Body Identities }, error) {
	userID := principalFrom(ctx).User.ID
	g, err := s.db.GoogleIdentityOf(ctx, userID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	links, err := s.db.SSOIdentitiesOf(ctx, userID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := Identities{GoogleAvailable: s.googleConfigured(), SSO: make([]LinkedSSO, len(links))}
	if g != nil {
		out.Google = &LinkedGoogle{Email: g.Email, LinkedAt: g.CreatedAt}
	}
	for i, l := range links {
		out.SSO[i] = LinkedSSO{OrganizationID: l.OrganizationID, OrganizationName: l.OrganizationName, Email: l.Email,
			LastSeenAt: l.LastSeenAt}
	}
	return &struct{ Body Identities }{Body: out}, nil
}

func (s *Server) unlinkGoogle(ctx context.Context, _ *struct{}) (*struct{}, error) {
	if err := s.db.UnlinkGoogle(ctx, principalFrom(ctx).User.ID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}

// googleStart redirects to Google. ?link=1 links Google to the signed-in account (the account page's
// button); otherwise it signs in, landing on ?return_to= (a path on this site).
func (s *Server) googleStart(c *gin.Context) {
	in := loginStart{Provider: googleProvider, Purpose: store.LoginSignIn, ReturnTo: c.Query("return_to")}
	var failed *store.LoginState // where a failure lands: the account page for a link
	if c.Query("link") == "1" {
		in.Purpose, in.ReturnTo = store.LoginLink, ""
		failed = &store.LoginState{Purpose: store.LoginLink}
	}
	if !s.googleConfigured() {
		s.failLogin(c, failed, domain.Errorf(domain.ENOTFOUND, googleNotConfigured))
		return
	}
	if in.Purpose == store.LoginLink {
		p, err := s.sessionUser(c, "")
		if err != nil {
			s.failLogin(c, nil, err)
			return
		}
		in.UserID = p.User.ID
	}
	rp, err := s.googleRelyingParty(c.Request.Context())
	if err != nil {
		s.failLogin(c, failed, err)
		return
	}
	state, st, err := s.beginLogin(c, in)
	if err != nil {
		s.failLogin(c, failed, err)
		return
	}
	c.Redirect(http.StatusSeeOther, rp.authURL(state, st))
}

// googleCallback is where Google sends the browser back: the state must be this browser's Google sign-in,
// the code is exchanged and the ID token verified, then the account is linked or signed in.
func (s *Server) googleCallback(c *gin.Context) {
	ctx := c.Request.Context()
	st, err := s.consumeLogin(c, c.Query("state"), true)
	if err != nil {
		s.failLogin(c, nil, err)
		return
	}
	if st.Provider != googleProvider || st.OrgID != "" {
		s.failLogin(c, nil, errLoginState)
		return
	}
	if e := c.Query("error"); e != "" {
		s.failLogin(c, st, idpError(e, c.Query("error_description")))
		return
	}
	if !s.googleConfigured() {
		s.failLogin(c, st, domain.Errorf(domain.ENOTFOUND, googleNotConfigured))
		return
	}
	rp, err := s.googleRelyingParty(ctx)
	if err != nil {
		s.failLogin(c, st, err)
		return
	}
	id, err := rp.identity(ctx, c.Query("code"), st)
	if err != nil {
		s.failLogin(c, st, s.refuseGoogleToken(ctx, err))
		return
	}
	if st.Purpose == store.LoginLink {
		s.finishGoogleLink(c, st, id)
		return
	}
	u, err := s.googleAccount(ctx, id)
	if err != nil {
		s.failLogin(c, st, err)
		return
	}
	if err := s.openExternalSession(c, u, domain.AuthMethodGoogle, ""); err != nil {
		s.failLogin(c, st, err)
		return
	}
	dest := st.ReturnTo
	if dest == "" {
		dest = googleSignInLanding
	}
	c.Redirect(http.StatusSeeOther, dest)
}

// refuseGoogleToken logs a refused Google ID token (no organization's audit log is concerned) and returns
// what the person is told.
func (s *Server) refuseGoogleToken(ctx context.Context, err error) error {
	var refused *tokenRefusedError
	if errors.As(err, &refused) {
		s.logger.WarnContext(ctx, "google sign-in refused", "reason", refused.reason)
		return errTokenRefused
	}
	return err
}

// finishGoogleLink links the Google account to the user who started the link, if they are still the one
// signed in in this browser.
func (s *Server) finishGoogleLink(c *gin.Context, st *store.LoginState, id domain.ExternalIdentity) {
	ctx := c.Request.Context()
	p, err := s.sessionUser(c, "")
	if err != nil || p.User.ID != st.UserID {
		s.failLogin(c, st, domain.Errorf(domain.EUNAUTHENTICATED, "Sign in again, then link Google from your account page."))
		return
	}
	linked, err := s.db.GoogleIdentityUser(ctx, id.Subject)
	switch {
	case err == nil && linked.ID == st.UserID:
		c.Redirect(http.StatusSeeOther, googleLinkedLanding)
		return
	case err == nil:
		s.failLogin(c, st, domain.Errorf(domain.ECONFLICT, "This Google account is linked to another ClientFlow account."))
		return
	case domain.ErrorCode(err) != domain.ENOTFOUND:
		s.failLogin(c, st, err)
		return
	}
	if err := s.db.LinkGoogle(ctx, st.UserID, id.Subject, domain.NormalizeEmail(id.Email)); err != nil {
		s.failLogin(c, st, err)
		return
	}
	c.Redirect(http.StatusSeeOther, googleLinkedLanding)
}

// googleAccount is the account a verified Google identity signs in to: the one it is linked to; else the
// account with its email, linked now, only when Google has verified the address; else a new account.
func (s *Server) googleAccount(ctx context.Context, id domain.ExternalIdentity) (*domain.User, error) {
	u, err := s.db.GoogleIdentityUser(ctx, id.Subject)
	if err == nil || domain.ErrorCode(err) != domain.ENOTFOUND {
		return u, err
	}
	email := domain.NormalizeEmail(id.Email)
	if domain.ValidateEmail("email", email) != nil {
		return nil, domain.Errorf(domain.EINVALID, "Google did not send a valid email address.")
	}
	existing, err := s.db.UserByEmail(ctx, email)
	switch {
	case err == nil:
		return s.linkGoogleByEmail(ctx, existing, id, email)
	case domain.ErrorCode(err) == domain.ENOTFOUND:
		return s.createGoogleAccount(ctx, id, email)
	default:
		return nil, err
	}
}

// linkGoogleByEmail links the Google identity to u, the account with its address, when Google has verified
// the address. An account whose address was never verified loses its password and sessions on the way
// (store.VerifyEmailByProvider): its registrant never proved the address was theirs.
func (s *Server) linkGoogleByEmail(ctx context.Context, u *domain.User, id domain.ExternalIdentity, email string) (*domain.User, error) {
	if !id.EmailVerified {
		return nil, domain.Errorf(domain.ECONFLICT, googleUnverifiedText)
	}
	var hash string
	if u.EmailVerifiedAt == nil {
		var err error
		if hash, err = unusablePasswordHash(); err != nil {
			return nil, err
		}
	}
	err := s.db.Atomically(ctx, "", "", func(ctx context.Context) error {
		if u.EmailVerifiedAt == nil {
			if _, err := s.db.VerifyEmailByProvider(ctx, u.ID, hash); err != nil {
				return err
			}
		}
		return s.db.LinkGoogle(ctx, u.ID, id.Subject, email)
	})
	if err != nil {
		return nil, err
	}
	return s.db.UserByID(ctx, u.ID)
}

// createGoogleAccount creates the account of a new Google identity: named as Google names it, its email
// verified when Google says so, a password nobody knows, the Google account linked, and the welcome
// workflow started like a sign-up's.
func (s *Server) createGoogleAccount(ctx context.Context, id domain.ExternalIdentity, email string) (*domain.User, error) {
	hash, err := unusablePasswordHash()
	if err != nil {
		return nil, err
	}
	name := truncateRunes(id.Name, 100)
	if domain.ValidateName("name", name, 100) != nil {
		name, _, _ = strings.Cut(email, "@")
	}
	u := &domain.User{Name: name, Email: email, PasswordHash: hash}
	var welcome domain.WorkflowStart
	err = s.db.Atomically(ctx, "", "", func(ctx context.Context) error {
		if err := s.db.CreateUser(ctx, u); err != nil {
			return err
		}
		if id.EmailVerified {
			if _, err := s.db.VerifyEmailByProvider(ctx, u.ID, hash); err != nil {
				return err
			}
		}
		if err := s.db.LinkGoogle(ctx, u.ID, id.Subject, email); err != nil {
			return err
		}
		welcome = domain.WelcomeStart(u.ID)
		return s.db.EnqueueStarts(ctx, &welcome)
	})
	if err != nil {
		return nil, err
	}
	s.startNow(ctx, welcome, func(ctx context.Context) error { return s.Workflows.StartWelcome(ctx, u.ID) })
	return s.db.UserByID(ctx, u.ID)
}
