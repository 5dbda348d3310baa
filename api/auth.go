package api

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

const (
	sessionCookie   = "cf_session"
	sessionLifetime = 30 * 24 * time.Hour
)

// passwordParams are OWASP's argon2id recommendation (19 MiB, 2 passes, 1 lane).
var passwordParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// dummyHash is compared against when an email is unknown, so sign-in takes as long either way.
var dummyHash, _ = argon2id.CreateHash("clientflow-timing-equaliser", passwordParams)

// User is a signed-in person as the API shows them.
type User struct {
	ID            string `json:"id" format:"uuid"`
	Name          string `json:"name"`
	Email         string `json:"email" format:"email"`
	EmailVerified bool   `json:"email_verified"`
	Timezone      string `json:"timezone" doc:"IANA time zone, e.g. Europe/Paris."`
	AvatarURL     string `json:"avatar_url" doc:"An https URL, or empty for none."`
	// TwoFactorEnabled says whether sign-in asks for a TOTP or backup code after the password.
	TwoFactorEnabled bool      `json:"two_factor_enabled"`
	CreatedAt        time.Time `json:"created_at"`
}

func userFrom(u *domain.User) User {
	return User{ID: u.ID, Name: u.Name, Email: u.Email, EmailVerified: u.EmailVerifiedAt != nil,
		Timezone: u.Timezone, AvatarURL: u.AvatarURL, TwoFactorEnabled: u.TOTPEnabledAt != nil, CreatedAt: u.CreatedAt}
}

// AuthResponse is the body of a successful sign-up or sign-in.
type AuthResponse struct {
	User User `json:"user"`
}

// SignUpRequest creates an account.
type SignUpRequest struct {
	Name     string `json:"name" minLength:"1" maxLength:"100" doc:"Display name."`
	Email    string `json:"email" maxLength:"254"`
	Password string `json:"password" minLength:"8" maxLength:"128"`
}

// SignInRequest opens a session.
type SignInRequest struct {
	Email    string `json:"email" maxLength:"254"`
	Password string `json:"password" maxLength:"128"`
}

// Me is the signed-in user and the organizations they belong to.
type Me struct {
	User        User         `json:"user"`
	Memberships []Membership `json:"memberships"`
}

type principalKey struct{}

// principal is who is calling and, on organization routes, their role there.
type principal struct {
	User        *domain.User
	SessionID   string
	OrgID       string
	Role        string
	Permissions []domain.Permission
	// ClientID is the client a contact (role client) belongs to; empty for staff.
	ClientID string
	// Features are the organization's plan features.
	Features []string
	// APIKeyID is the key a bearer request authenticated with (empty for the session cookie). The principal
	// is then the key's creator, with the key's permissions (the creator's current ones ∩ the key's scopes).
	APIKeyID string
}

// permissionExtension is the OpenAPI extension naming the permission an organization route needs.
const permissionExtension = "x-permission"

// requires declares the permission an organization route needs; the auth middleware enforces it and the
// OpenAPI document shows it.
func requires(p domain.Permission) map[string]any { return map[string]any{permissionExtension: p} }

func (p *principal) can(perm domain.Permission) bool { return slices.Contains(p.Permissions, perm) }

func principalFrom(ctx context.Context) *principal {
	p, _ := ctx.Value(principalKey{}).(*principal)
	return p
}

// tokenHash is what the sessions table stores: an HMAC of the cookie token under SESSION_SECRET.
func (s *Server) tokenHash(token string) []byte {
	m := hmac.New(sha256.New, []byte(s.cfg.SessionSecret))
	m.Write([]byte(token))
	return m.Sum(nil)
}

// authenticate resolves the caller on operations that declare security — an `Authorization: Bearer` API
// key when the request carries one, else the session cookie — and membership on organization routes. A
// non-member gets 404 so an organization's existence never leaks.
func (s *Server) authenticate(ctx huma.Context, next func(huma.Context)) {
	if len(ctx.Operation().Security) == 0 {
		next(ctx)
		return
	}
	if key, ok := bearerToken(ctx.Header("Authorization")); ok {
		s.authenticateKey(ctx, key, next)
		return
	}
	cookie, err := huma.ReadCookie(ctx, sessionCookie)
	if err != nil || cookie.Value == "" {
		huma.WriteErr(s.api, ctx, http.StatusUnauthorized, "Please sign in.")
		return
	}
	orgID := ctx.Param("org_id")
	sp, err := s.db.SessionPrincipal(ctx.Context(), s.tokenHash(cookie.Value), orgID)
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	p := &principal{User: sp.User, SessionID: sp.SessionID}
	if orgID != "" {
		if sp.Role == "" {
			huma.WriteErr(s.api, ctx, http.StatusNotFound, "Organization not found.")
			return
		}
		p.OrgID, p.Role, p.Permissions = orgID, sp.Role, sp.Permissions
		p.ClientID, p.Features = sp.ClientID, sp.Features
		if !s.enforceSignInRules(ctx, p, signInRules{allowlist: sp.Allowlist, ssoRequired: sp.SSORequired, sessionSSOOrg: sp.SSOOrgID}) {
			return
		}
		if !s.authorize(ctx, p) {
			return
		}
	}
	next(withPrincipal(ctx, p))
}

// withPrincipal returns ctx carrying p, with p as the actor of the audit rows the request writes.
func withPrincipal(ctx huma.Context, p *principal) huma.Context {
	o := domain.AuditOriginFrom(ctx.Context())
	o.UserID, o.APIKeyID = p.User.ID, p.APIKeyID
	return huma.WithContext(ctx, domain.WithAuditOrigin(context.WithValue(ctx.Context(), principalKey{}, p), o))
}

// authorize applies the operation's permission and route gate to an organization route's principal,
// answering the refusal itself; it reports whether the request may go on.
func (s *Server) authorize(ctx huma.Context, p *principal) bool {
	if need, ok := ctx.Operation().Extensions[permissionExtension].(domain.Permission); ok && !p.can(need) {
		s.writeError(ctx, s.refusal(ctx.Context(), p, need))
		return false
	}
	if err := routeGate(ctx.Operation(), p); err != nil {
		s.writeError(ctx, err)
		return false
	}
	return true
}

// refusal is the forbidden error of p lacking need, naming the roles of p's organization that hold it
// (their current sets; the defaults if those cannot be read, which only costs the hint's accuracy).
func (s *Server) refusal(ctx context.Context, p *principal, need domain.Permission) error {
	var sets func(string) []domain.Permission
	if rs, err := s.db.RolePermissionSets(ctx, p.OrgID); err == nil {
		sets = roleSetLookup(rs)
	} else {
		slog.WarnContext(ctx, "role sets for a refusal", "err", err)
	}
	return domain.Refusal(need, p.Role, p.APIKeyID != "", sets)
}

// roleSetLookup turns an organization's role sets into the lookup domain.Refusal and RolesHolding take.
func roleSetLookup(rs []store.RolePermissionSet) func(string) []domain.Permission {
	return func(role string) []domain.Permission {
		for _, r := range rs {
			if r.Role == role {
				return r.Permissions
			}
		}
		return nil
	}
}

// bearerToken returns the credentials of an `Authorization: Bearer <token>` header (the scheme is
// case-insensitive), and false when the header is absent or another scheme.
func bearerToken(h string) (string, bool) {
	scheme, token, _ := strings.Cut(strings.TrimSpace(h), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// authenticateKey resolves a bearer API key. A key works on the organization routes of its own
// organization only: another organization's routes answer 404 exactly like a non-member's. Unknown,
// revoked and expired keys answer 401 with their own code; a revoked key's reuse is reported to its
// creator and the owners (see noteRevokedKeyUse).
func (s *Server) authenticateKey(ctx huma.Context, key string, next func(huma.Context)) {
	orgID := ctx.Param("org_id")
	if orgID == "" {
		s.writeError(ctx, domain.Errorf(domain.EUNAUTHENTICATED, "API keys work on organization routes only."))
		return
	}
	if !domain.LooksLikeAPIKey(key) {
		s.writeError(ctx, domain.InvalidAPIKey())
		return
	}
	kp, err := s.db.APIKeyByHash(ctx.Context(), domain.HashAPIKey(key))
	if err != nil {
		if domain.ErrorCode(err) == domain.EAPIKEYINVALID {
			if secs := s.countUnknownKey(ctx.Context()); secs > 0 {
				ctx.SetHeader("Retry-After", strconv.Itoa(secs))
				err = domain.Errorf(domain.ERATELIMITED, "Too many requests with unknown API keys. Try again in %d s.", secs)
			}
		}
		s.writeError(ctx, err)
		return
	}
	if err := domain.APIKeyStatusError(kp.Status); err != nil {
		if kp.Status == domain.APIKeyRevoked {
			s.noteRevokedKeyUse(ctx.Context(), kp.OrganizationID, kp.KeyID, clientIPFrom(ctx.Context()))
		}
		s.writeError(ctx, err)
		return
	}
	if kp.OrganizationID != orgID {
		huma.WriteErr(s.api, ctx, http.StatusNotFound, "Organization not found.")
		return
	}
	// Every bearer request needs the plan's api_access, not only the key routes: a downgrade switches the
	// organization's keys off (they come back with the plan).
	if !slices.Contains(kp.Features, domain.FeatureAPIAccess) {
		s.writeError(ctx, domain.FeatureUnavailable(domain.FeatureAPIAccess))
		return
	}
	p := &principal{User: kp.User, OrgID: orgID, Role: kp.Role, Permissions: kp.Permissions,
		ClientID: kp.ClientID, Features: kp.Features, APIKeyID: kp.KeyID}
	if !s.enforceSignInRules(ctx, p, signInRules{allowlist: kp.Allowlist, apiKey: true}) {
		return
	}
	if !s.authorize(ctx, p) {
		return
	}
	if err := s.db.TouchAPIKey(ctx.Context(), kp, clientIPFrom(ctx.Context())); err != nil {
		// Only the "last used" column is behind: the request itself is fine.
		s.logger.WarnContext(ctx.Context(), "api key: record last use", "key_id", kp.KeyID, "err", err)
	}
	next(withPrincipal(ctx, p))
}

// countUnknownKey counts a request with an unknown key against its client IP at the sign-in rate (each
// made-up key has a rate-limit budget of its own, so the IP is what bounds guessing) and returns the seconds
// to wait once the IP is over its budget, else 0.
func (s *Server) countUnknownKey(ctx context.Context) int {
	d, err := s.limiter.Allow(ctx, "api:badkey:"+clientIPFrom(ctx), s.authLimit, authWindow)
	if err != nil || d.Allowed {
		return 0
	}
	return max(1, int(math.Ceil(d.RetryAfter.Seconds())))
}

// writeError writes err as a problem from inside a Huma middleware.
// The problem is written whole, so its code and details (e.g. plan_feature_unavailable's feature) survive.
func (s *Server) writeError(ctx huma.Context, err error) {
	p := problem(ctx.Context(), err).(*ErrorModel)
	ctx.SetHeader("Content-Type", "application/problem+json")
	ctx.SetStatus(p.Status)
	if err := json.NewEncoder(ctx.BodyWriter()).Encode(p); err != nil {
		slog.ErrorContext(ctx.Context(), "write problem", "err", err)
	}
}

type authOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      AuthResponse
}

func (s *Server) registerAuth() {
	huma.Register(s.api, huma.Operation{
		OperationID: "sign-up", Method: http.MethodPost, Path: "/api/v1/auth/sign-up", Tags: []string{"Auth"},
		Summary: "Create an account", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, s.signUp)
	huma.Register(s.api, huma.Operation{
		OperationID: "sign-in", Method: http.MethodPost, Path: "/api/v1/auth/sign-in", Tags: []string{"Auth"},
		Summary: "Sign in with email and password",
		Description: "When the account has two-factor sign-in on, a correct password answers " +
			"`two_factor_required` and a `challenge` (and no cookie); finish with sign-in-two-factor. " +
			"After 10 failed sign-ins for one email within 15 minutes, further attempts answer 429 unchecked.",
		Errors: []int{http.StatusUnauthorized, http.StatusTooManyRequests},
	}, s.signIn)
	huma.Register(s.api, huma.Operation{
		OperationID: "sign-out", Method: http.MethodPost, Path: "/api/v1/auth/sign-out", Tags: []string{"Auth"},
		Summary: "Sign out (revokes the session)", DefaultStatus: http.StatusNoContent,
	}, s.signOut)
	huma.Register(s.api, huma.Operation{
		OperationID: "verify-email", Method: http.MethodPost, Path: "/api/v1/auth/verify-email", Tags: []string{"Auth"},
		Summary:     "Confirm an email address with the token from the welcome email",
		Description: "Verifying twice is harmless. An invalid, expired or outdated token answers 422.",
		Errors:      []int{http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, s.verifyEmail)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: "/api/v1/me", Tags: []string{"Auth"},
		Summary: "The signed-in user and their organizations", Security: security,
		Errors: []int{http.StatusUnauthorized},
	}, s.me)
}

func (s *Server) signUp(ctx context.Context, in *struct {
	Body      SignUpRequest
	UserAgent string `header:"User-Agent" hidden:"true"`
}) (*authOutput, error) {
	email := domain.NormalizeEmail(in.Body.Email)
	if err := domain.ValidateEmail("body.email", email); err != nil {
		return nil, problem(ctx, err)
	}
	if err := domain.ValidatePassword("body.password", in.Body.Password); err != nil {
		return nil, problem(ctx, err)
	}
	if err := domain.ValidateName("body.name", in.Body.Name, 100); err != nil {
		return nil, problem(ctx, err)
	}
	hash, err := HashPassword(in.Body.Password)
	if err != nil {
		return nil, problem(ctx, err)
	}
	u := &domain.User{Name: strings.TrimSpace(in.Body.Name), Email: email, PasswordHash: hash}
	// The welcome workflow's start commits with the account (the outbox), so a Temporal outage or a crash
	// right after the commit delays the welcome email but never loses it.
	var welcome domain.WorkflowStart
	err = s.db.Atomically(ctx, "", "", func(ctx context.Context) error {
		if err := s.db.CreateUser(ctx, u); err != nil {
			return err
		}
		welcome = domain.WelcomeStart(u.ID)
		return s.db.EnqueueStarts(ctx, &welcome)
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	s.startNow(ctx, welcome, func(ctx context.Context) error { return s.Workflows.StartWelcome(ctx, u.ID) })
	out, _, err := s.openSession(ctx, u, in.UserAgent)
	return out, err
}

// openSession mints a fresh random token (a new session ID at every sign-in) for the calling client's IP
// and user agent, sets the cookie, and returns the new session's ID.
func (s *Server) openSession(ctx context.Context, u *domain.User, userAgent string) (*authOutput, string, error) {
	token, err := randomToken()
	if err != nil {
		return nil, "", problem(ctx, err)
	}
	sess := &store.Session{UserID: u.ID, TokenHash: s.tokenHash(token), UserAgent: truncate(userAgent, 512),
		IP: clientIPFrom(ctx), ExpiresAt: time.Now().Add(sessionLifetime)}
	if err := s.db.CreateSession(ctx, sess); err != nil {
		return nil, "", problem(ctx, err)
	}
	return &authOutput{SetCookie: s.cookie(token, int(sessionLifetime.Seconds())), Body: AuthResponse{User: userFrom(u)}}, sess.ID, nil
}

// randomToken returns 256 random bits, URL-safe: session cookies, reset links, sign-in challenges.
func randomToken() (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

func (s *Server) cookie(value string, maxAge int) http.Cookie {
	return http.Cookie{Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode}
}

func (s *Server) signOut(ctx context.Context, in *struct {
	Session string `cookie:"cf_session" hidden:"true"`
}) (*struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
}, error) {
	if in.Session != "" {
		if err := s.db.RevokeSession(ctx, s.tokenHash(in.Session)); err != nil {
			return nil, problem(ctx, err)
		}
	}
	return &struct {
		SetCookie http.Cookie `header:"Set-Cookie"`
	}{SetCookie: s.cookie("", -1)}, nil
}

// VerifyEmailRequest carries the token from a verify-your-address link.
type VerifyEmailRequest struct {
	Token string `json:"token" minLength:"1" maxLength:"200"`
}

func (s *Server) verifyEmail(ctx context.Context, in *struct{ Body VerifyEmailRequest }) (*struct{ Body AuthResponse }, error) {
	userID, err := domain.ParseVerifyToken(s.cfg.SessionSecret, in.Body.Token, time.Now(), func(id string) (string, error) {
		u, err := s.db.UserByID(ctx, id)
		if err != nil {
			return "", err
		}
		return u.Email, nil
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	u, err := s.db.VerifyEmail(ctx, userID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	// The address is verified either way; a missed signal only means the reminder activity re-checks.
	if err := s.Workflows.EmailVerified(ctx, u.ID); err != nil {
		s.logger.WarnContext(ctx, "signal welcome workflow", "err", err, "user_id", u.ID)
	}
	return &struct{ Body AuthResponse }{Body: AuthResponse{User: userFrom(u)}}, nil
}

func (s *Server) me(ctx context.Context, _ *struct{}) (*struct{ Body Me }, error) {
	p := principalFrom(ctx)
	ms, err := s.db.Memberships(ctx, p.User.ID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := Me{User: userFrom(p.User), Memberships: make([]Membership, len(ms))}
	for i, m := range ms {
		out.Memberships[i] = Membership{Organization: organizationFrom(&m.Organization), Role: m.Role, Permissions: m.Permissions,
			ClientID: optional(m.ClientID), Features: m.Features, HeldBy: map[string][]string{}}
		if len(m.Permissions) == len(domain.Permissions) {
			continue
		}
		var sets func(string) []domain.Permission
		if rs, err := s.db.RolePermissionSets(ctx, m.Organization.ID); err == nil {
			sets = roleSetLookup(rs)
		} else {
			slog.WarnContext(ctx, "role sets for /me", "err", err)
		}
		for _, info := range domain.Permissions {
			if !slices.Contains(m.Permissions, info.Key) {
				out.Memberships[i].HeldBy[string(info.Key)] = domain.RolesHolding(info.Key, sets)
			}
		}
	}
	return &struct{ Body Me }{Body: out}, nil
}

// truncate cuts s to at most n bytes without splitting a character (a split one would be invalid UTF-8,
// which Postgres refuses).
func truncate(s string, n int) string {
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "")
	}
	return s
}

// HashPassword hashes a password with the product's argon2id parameters (used by the demo seed too).
func HashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, passwordParams)
}
