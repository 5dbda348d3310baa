package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// Per-account sign-in throttling, on top of the per-IP auth limit: an attacker spreading guesses over many
// addresses still gets at most 10 per 15 minutes, and never more than 100 an hour, checked per account.
const (
	failLimit, failWindow         = 10, 15 * time.Minute
	failHourLimit, failHourWindow = 100, time.Hour
	challengeLifetime             = 5 * time.Minute
)

// SignInResponse is the body of a sign-in: the user when signed in, or a challenge for the second step.
type SignInResponse struct {
	User *User `json:"user,omitempty" doc:"The signed-in user; absent when two_factor_required."`
	// TwoFactorRequired means the password was right and a code is needed: post it with the challenge.
	TwoFactorRequired bool   `json:"two_factor_required"`
	Challenge         string `json:"challenge,omitempty" doc:"Opaque; valid 5 minutes and for 5 wrong codes."`
}

// SignInTwoFactorRequest completes a sign-in with a TOTP code or a backup code.
type SignInTwoFactorRequest struct {
	Challenge string `json:"challenge" minLength:"1" maxLength:"200"`
	Code      string `json:"code" minLength:"1" maxLength:"32" doc:"A 6-digit authenticator code or a backup code."`
}

type signInOutput struct {
	SetCookie string `header:"Set-Cookie"`
	Body      SignInResponse
}

func (s *Server) registerSignIn() {
	huma.Register(s.api, huma.Operation{
		OperationID: "sign-in-two-factor", Method: http.MethodPost, Path: "/api/v1/auth/sign-in/2fa", Tags: []string{"Auth"},
		Summary:     "Finish a two-factor sign-in with a code",
		Description: "A code already used (even within its 30 s window) is refused; a backup code works once.",
		Errors:      []int{http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, s.signInTwoFactor)
}

func (s *Server) signIn(ctx context.Context, in *struct {
	Body      SignInRequest
	UserAgent string `header:"User-Agent" hidden:"true"`
}) (*signInOutput, error) {
	email := domain.NormalizeEmail(in.Body.Email)
	if err := s.checkSignInThrottle(ctx, email); err != nil {
		return nil, err
	}
	wrong := domain.Errorf(domain.EUNAUTHENTICATED, "Email or password is incorrect.")
	u, err := s.db.UserByEmail(ctx, email)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		argon2id.ComparePasswordAndHash(in.Body.Password, dummyHash)
		s.recordSignInFailure(ctx, email)
		return nil, problem(ctx, wrong)
	} else if err != nil {
		return nil, problem(ctx, err)
	}
	if ok, err := argon2id.ComparePasswordAndHash(in.Body.Password, u.PasswordHash); err != nil || !ok {
		s.recordSignInFailure(ctx, email)
		s.auditSignInFailure(ctx, u.ID, "wrong_password")
		return nil, problem(ctx, wrong)
	}
	if u.TOTPEnabledAt != nil {
		return s.openChallenge(ctx, u)
	}
	return s.completeSignIn(ctx, u, in.UserAgent)
}

// openChallenge answers a right password on a two-factor account with a short-lived challenge, no cookie.
func (s *Server) openChallenge(ctx context.Context, u *domain.User) (*signInOutput, error) {
	token, err := randomToken()
	if err != nil {
		return nil, problem(ctx, err)
	}
	if err := s.db.CreateSignInChallenge(ctx, u.ID, s.tokenHash(token), time.Now().Add(challengeLifetime)); err != nil {
		return nil, problem(ctx, err)
	}
	return &signInOutput{Body: SignInResponse{TwoFactorRequired: true, Challenge: token}}, nil
}

func (s *Server) signInTwoFactor(ctx context.Context, in *struct {
	Body      SignInTwoFactorRequest
	UserAgent string `header:"User-Agent" hidden:"true"`
}) (*signInOutput, error) {
	hash := s.tokenHash(in.Body.Challenge)
	u, err := s.db.SignInChallengeUser(ctx, hash)
	if err != nil {
		return nil, challengeProblem(ctx, err)
	}
	// Wrong codes count against the account like wrong passwords: a challenge dies after 5, but whoever
	// knows the password could otherwise open challenge after challenge and guess codes without end.
	if err := s.checkSignInThrottle(ctx, u.Email); err != nil {
		return nil, err
	}
	ok, err := s.checkSecondFactor(ctx, u, in.Body.Code)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if !ok {
		s.recordSignInFailure(ctx, u.Email)
		s.auditSignInFailure(ctx, u.ID, "wrong_second_factor")
		if err := s.db.FailSignInChallenge(ctx, hash); err != nil {
			return nil, problem(ctx, err)
		}
		return nil, problem(ctx, domain.Invalid("body.code", "is incorrect or already used"))
	}
	if err := s.db.UseSignInChallenge(ctx, hash); err != nil {
		return nil, challengeProblem(ctx, err)
	}
	return s.completeSignIn(ctx, u, in.UserAgent)
}

// challengeProblem answers a dead challenge on its field, so the SPA knows to start over.
func challengeProblem(ctx context.Context, err error) error {
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		err = domain.Invalid("body.challenge", "is invalid or expired; sign in again")
	}
	return problem(ctx, err)
}

// completeSignIn opens the session and, when the device and network are new for the user, records a
// security event and emails them; an owner's password sign-in into organizations that require SSO is
// reported there (reportBreakGlass). Detection failing never fails the sign-in: it is logged instead.
func (s *Server) completeSignIn(ctx context.Context, u *domain.User, userAgent string) (*signInOutput, error) {
	suspicious, err := s.isSuspiciousSignIn(ctx, u.ID, clientIPFrom(ctx), userAgent)
	if err != nil {
		s.logger.ErrorContext(ctx, "risky sign-in check", "err", err, "user_id", u.ID)
	}
	var out *authOutput
	var sessionID string
	// The session and its audit row commit together.
	err = s.db.Atomically(ctx, "", "", func(ctx context.Context) (err error) {
		if out, sessionID, err = s.openSession(ctx, u, userAgent); err != nil {
			return err
		}
		return s.db.RecordUserAudit(ctx, u.ID, domain.AuditSignedIn, map[string]any{"session_id": sessionID,
			"two_factor": u.TOTPEnabledAt != nil, "new_device": suspicious})
	})
	if err != nil {
		// openSession answers with a problem already; the audit row's or the commit's error is mapped here.
		var answered huma.StatusError
		if errors.As(err, &answered) {
			return nil, err
		}
		return nil, problem(ctx, err)
	}
	if suspicious {
		s.reportSuspiciousSignIn(ctx, u, sessionID, userAgent)
	}
	s.reportBreakGlass(ctx, u, sessionID, domain.AuthMethodPassword, "")
	user := out.Body.User
	return &signInOutput{SetCookie: out.SetCookie.String(), Body: SignInResponse{User: &user}}, nil
}

// auditSignInFailure records a refused sign-in of a known account in its organizations' audit logs: why
// (reason), never what was typed. A failure to write it is logged; the answer stays the same.
func (s *Server) auditSignInFailure(ctx context.Context, userID, reason string) {
	if err := s.db.RecordUserAudit(ctx, userID, domain.AuditSignInFailed, map[string]any{"reason": reason}); err != nil {
		s.logger.ErrorContext(ctx, "audit sign-in failure", "err", err, "user_id", userID)
	}
}

// checkSignInThrottle refuses, without looking at the password, an email that failed too often lately.
func (s *Server) checkSignInThrottle(ctx context.Context, email string) error {
	for _, l := range []struct {
		key    string
		limit  int
		window time.Duration
	}{{"signin-fail:" + email, failLimit, failWindow}, {"signin-fail-hour:" + email, failHourLimit, failHourWindow}} {
		d, err := s.limiter.Peek(ctx, l.key, l.limit, l.window)
		if err != nil {
			// Failing open like the per-IP limit: a Redis blip must not lock everyone out.
			s.logger.WarnContext(ctx, "rate limiter unavailable", "err", err)
			return nil
		}
		if !d.Allowed {
			secs := max(1, int(math.Ceil(d.RetryAfter.Seconds())))
			err := problem(ctx, domain.Errorf(domain.ERATELIMITED,
				"Too many failed sign-ins for this account. Try again in %s.", humanSeconds(secs)))
			return huma.ErrorWithHeaders(err, http.Header{"Retry-After": {strconv.Itoa(secs)}})
		}
	}
	return nil
}

// recordSignInFailure counts one failed sign-in against the email (known or not, so the limit leaks
// nothing about which accounts exist).
func (s *Server) recordSignInFailure(ctx context.Context, email string) {
	for key, l := range map[string]struct {
		limit  int
		window time.Duration
	}{"signin-fail:" + email: {failLimit, failWindow}, "signin-fail-hour:" + email: {failHourLimit, failHourWindow}} {
		if _, err := s.limiter.Allow(ctx, key, l.limit, l.window); err != nil {
			s.logger.WarnContext(ctx, "rate limiter unavailable", "err", err)
		}
	}
}

func humanSeconds(secs int) string {
	if secs < 120 {
		return fmt.Sprintf("%d s", secs)
	}
	return fmt.Sprintf("%d min", (secs+59)/60)
}

// suspiciousLookback is how far back a device and network still count as known.
const suspiciousLookback = 90 * 24 * time.Hour

// isSuspiciousSignIn reports whether no session of the user in the last 90 days came from the same device
// family and IP range. A user's first sign-in (at most the session sign-up opened exists) never is.
func (s *Server) isSuspiciousSignIn(ctx context.Context, userID, ip, userAgent string) (bool, error) {
	total, err := s.db.CountSessions(ctx, userID)
	if err != nil || total <= 1 {
		return false, err
	}
	origins, err := s.db.RecentSessionOrigins(ctx, userID, time.Now().Add(-suspiciousLookback))
	if err != nil {
		return false, err
	}
	device, network := domain.DeviceFamily(userAgent), domain.IPRange(ip)
	for _, o := range origins {
		if domain.DeviceFamily(o.UserAgent) == device && domain.IPRange(o.IP) == network {
			return false, nil
		}
	}
	return true, nil
}

// reportSuspiciousSignIn records the event and sends the "suspicious login" email once per session; the
// email's start commits with the event (the workflow outbox), so a Temporal outage delays it, never loses it.
// The session is open either way, so a failure here is logged, not answered.
func (s *Server) reportSuspiciousSignIn(ctx context.Context, u *domain.User, sessionID, userAgent string) {
	ip := clientIPFrom(ctx)
	loc, err := time.LoadLocation(u.Timezone)
	if err != nil {
		loc = time.UTC
	}
	var mail []queuedEmail
	err = s.db.Atomically(ctx, "", "", func(ctx context.Context) error {
		if _, err := s.db.CreateSecurityEvent(ctx, u.ID, store.SecurityEventSuspiciousLogin, ip, truncate(userAgent, 512)); err != nil {
			return err
		}
		// The in-app notice goes through the outbox relay (no fast path: a few seconds do not matter here).
		notice := domain.UserNoticeStart(domain.UserNotice{UserID: u.ID, Type: domain.NotifySessionActivity,
			Title: "New sign-in from " + domain.DeviceFamily(userAgent), Body: "From " + ip + ". If it was not you, sign out everywhere and change your password.",
			SourceKey: "session-activity/" + sessionID})
		if err := s.db.EnqueueStarts(ctx, &notice); err != nil {
			return err
		}
		mail, err = s.queueEmails(ctx, domain.EmailRequest{
			Key: "suspicious-login/" + sessionID, To: u.Email, Template: domain.EmailSuspiciousLogin,
			Data: map[string]string{
				"Name": u.Name, "Time": time.Now().In(loc).Format("Mon 2 Jan 2006 15:04 MST"), "IP": ip,
				"Device": domain.DeviceFamily(userAgent), "SessionsURL": s.cfg.AppURL + "/account/security",
			},
		})
		return err
	})
	if err != nil {
		s.logger.ErrorContext(ctx, "record suspicious sign-in", "err", err, "user_id", u.ID)
		return
	}
	s.sendQueued(ctx, mail)
}
