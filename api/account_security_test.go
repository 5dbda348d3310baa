package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// Browser identities for risky sign-in tests: a User-Agent and a client IP sent through a trusted proxy.
const (
	firefoxLinux   = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	chromeWindows  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
	loopbackProxy4 = "127.0.0.1/32"
	loopbackProxy6 = "::1/128"
)

func from(ip, userAgent string) []header {
	return []header{{"X-Forwarded-For", ip}, {"User-Agent", userAgent}}
}

// signIn posts the credentials from b and returns the response.
func (b *browser) signIn(email, password string, h ...header) *response {
	b.t.Helper()
	return b.Do(http.MethodPost, "/api/v1/auth/sign-in", map[string]string{"email": email, "password": password}, h...)
}

// withSession returns a new browser whose jar holds the given session token.
func (s *testServer) withSession(t *testing.T, token string) *browser {
	t.Helper()
	b := s.NewBrowser(t)
	u, err := url.Parse(s.URL)
	require.NoError(t, err)
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: "cf_session", Value: token, Path: "/"}})
	return b
}

func mustResetToken(t *testing.T, req domain.EmailRequest) string {
	t.Helper()
	u, err := url.Parse(req.Data["ResetURL"])
	require.NoError(t, err)
	require.Equal(t, "/reset-password", u.Path)
	return u.Query().Get("token")
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("unknown_email_answers_202_and_sends_nothing", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/forgot-password", map[string]string{"email": uniqueEmail()})
		MustStatus(t, res, http.StatusAccepted)
		assert.Empty(t, srv.Workflows.Emails())
	})

	t.Run("reset_token_works_once_and_revokes_every_session", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/forgot-password", map[string]string{"email": b.User.Email})
		MustStatus(t, res, http.StatusAccepted)
		emails := srv.Workflows.Emails()
		require.Len(t, emails, 1)
		assert.Equal(t, b.User.Email, emails[0].To)
		assert.Equal(t, "password_reset", emails[0].Template)
		assert.Regexp(t, `^password-reset/[0-9a-f-]{36}$`, emails[0].Key)
		token := mustResetToken(t, emails[0])

		reset := map[string]string{"token": token, "password": "a brand new passphrase"}
		MustStatus(t, srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/reset-password", reset), http.StatusNoContent)

		MustProblem(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusUnauthorized, "unauthenticated")
		MustStatus(t, srv.NewBrowser(t).signIn(b.User.Email, "a brand new passphrase"), http.StatusOK)
		MustProblem(t, srv.NewBrowser(t).signIn(b.User.Email, testPassword), http.StatusUnauthorized, "unauthenticated")

		reset["password"] = "yet another passphrase"
		p := MustProblem(t, srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/reset-password", reset),
			http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"body.token"}, p.Locations())
		assert.Contains(t, p.Errors[0].Message, "invalid or expired")
	})

	t.Run("expired_or_made_up_token_is_refused", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		MustStatus(t, srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/forgot-password", map[string]string{"email": b.User.Email}), http.StatusAccepted)
		token := mustResetToken(t, srv.Workflows.Emails()[0])
		_, err := db.Owner.Bun().NewRaw("UPDATE password_reset_tokens SET expires_at = now() - interval '1 second' FROM users WHERE users.id = user_id AND users.email = ?", b.User.Email).Exec(context.Background())
		require.NoError(t, err)

		for _, tok := range []string{token, "made-up"} {
			res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/reset-password", map[string]string{"token": tok, "password": "long enough pass"})
			MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
		}
		MustStatus(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
	})

	t.Run("short_password_is_refused_on_its_field", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/reset-password", map[string]string{"token": "x", "password": "short"})
		p := MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"body.password"}, p.Locations())
	})
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("wrong_current_password_is_422_on_current_password", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		res := b.Do(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": "not it at all", "new_password": "a brand new passphrase"})
		p := MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"body.current_password"}, p.Locations())
	})

	t.Run("rotates_the_calling_session_and_keeps_the_others", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		other := srv.NewBrowser(t)
		MustStatus(t, other.signIn(b.User.Email, testPassword), http.StatusOK)
		oldToken := b.SessionCookie()

		res := b.Do(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": testPassword, "new_password": "a brand new passphrase"})
		MustStatus(t, res, http.StatusNoContent)

		assert.NotEqual(t, oldToken, mustSessionSetCookie(t, res).Value, "a new session token")
		MustStatus(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
		MustProblem(t, srv.withSession(t, oldToken).Do(http.MethodGet, "/api/v1/me", nil), http.StatusUnauthorized, "unauthenticated")
		MustStatus(t, other.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
		MustStatus(t, srv.NewBrowser(t).signIn(b.User.Email, "a brand new passphrase"), http.StatusOK)
	})
}

func TestProfile(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("updates_what_is_given_and_keeps_the_rest", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		res := b.Do(http.MethodPatch, "/api/v1/me", map[string]string{"timezone": "Europe/Paris", "avatar_url": "https://cdn.example.com/ada.png"})
		MustStatus(t, res, http.StatusOK)
		var u map[string]any
		res.MustJSON(t, &u)
		assert.Equal(t, "Ada", u["name"])
		assert.Equal(t, "Europe/Paris", u["timezone"])
		assert.Equal(t, "https://cdn.example.com/ada.png", u["avatar_url"])

		MustStatus(t, b.Do(http.MethodPatch, "/api/v1/me", map[string]string{"name": " Ada L. ", "avatar_url": ""}), http.StatusOK)
		var me struct{ User map[string]any }
		b.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me)
		assert.Equal(t, "Ada L.", me.User["name"])
		assert.Equal(t, "Europe/Paris", me.User["timezone"])
		assert.Equal(t, "", me.User["avatar_url"])
	})

	for _, tc := range []struct{ name, field, value string }{
		{"unknown_timezone", "timezone", "Mars/Olympus_Mons"},
		{"local_timezone", "timezone", "Local"},
		{"http_avatar", "avatar_url", "http://cdn.example.com/a.png"},
		{"javascript_avatar", "avatar_url", "javascript:alert(1)"},
		{"blank_name", "name", "   "},
	} {
		t.Run("refuses_"+tc.name, func(t *testing.T) {
			t.Parallel()
			srv := MustStart(t, db)
			b := srv.MustSignUp(t, "Ada")
			p := MustProblem(t, b.Do(http.MethodPatch, "/api/v1/me", map[string]string{tc.field: tc.value}),
				http.StatusUnprocessableEntity, "validation_failed")
			assert.Equal(t, []string{"body." + tc.field}, p.Locations())
		})
	}
}

type sessionJSON struct {
	ID      string `json:"id"`
	Device  string `json:"device"`
	IP      string `json:"ip"`
	Current bool   `json:"current"`
}

func mustSessions(t *testing.T, b *browser) []sessionJSON {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/me/sessions", nil)
	MustStatus(t, res, http.StatusOK)
	var page struct{ Data []sessionJSON }
	res.MustJSON(t, &page)
	return page.Data
}

func TestAccountSessions(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("lists_live_sessions_with_device_ip_and_the_current_one", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db, withTrustedProxies(loopbackProxy4, loopbackProxy6))
		b := srv.MustSignUp(t, "Ada")
		MustStatus(t, srv.NewBrowser(t).signIn(b.User.Email, testPassword, from("203.0.113.5", firefoxLinux)...), http.StatusOK)

		sessions := mustSessions(t, b)
		require.Len(t, sessions, 2)
		var current, other sessionJSON
		for _, s := range sessions {
			if s.Current {
				current = s
			} else {
				other = s
			}
		}
		assert.NotEmpty(t, current.ID, "one session is the caller's")
		assert.Equal(t, "Firefox on Linux", other.Device)
		assert.Equal(t, "203.0.113.5", other.IP)
	})

	t.Run("a_revoked_session_is_refused_on_its_next_request", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		phone := srv.NewBrowser(t)
		MustStatus(t, phone.signIn(b.User.Email, testPassword), http.StatusOK)
		var phoneID string
		for _, s := range mustSessions(t, phone) {
			if s.Current {
				phoneID = s.ID
			}
		}

		MustStatus(t, b.Do(http.MethodDelete, "/api/v1/me/sessions/"+phoneID, nil), http.StatusNoContent)
		MustProblem(t, phone.Do(http.MethodGet, "/api/v1/me", nil), http.StatusUnauthorized, "unauthenticated")
		MustStatus(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
		MustProblem(t, b.Do(http.MethodDelete, "/api/v1/me/sessions/"+phoneID, nil), http.StatusNotFound, "not_found")
	})

	t.Run("another_users_session_is_404_and_stays_alive", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		ada, bob := srv.MustSignUp(t, "Ada"), srv.MustSignUp(t, "Bob")
		bobID := mustSessions(t, bob)[0].ID
		for _, id := range []string{bobID, "not-a-uuid", "0195f0a0-0000-7000-8000-000000000000"} {
			MustProblem(t, ada.Do(http.MethodDelete, "/api/v1/me/sessions/"+id, nil), http.StatusNotFound, "not_found")
		}
		MustStatus(t, bob.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
	})

	t.Run("revoke_others_keeps_only_the_caller", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		others := []*browser{srv.NewBrowser(t), srv.NewBrowser(t)}
		for _, o := range others {
			MustStatus(t, o.signIn(b.User.Email, testPassword), http.StatusOK)
		}
		MustStatus(t, b.Do(http.MethodPost, "/api/v1/me/sessions/revoke-others", nil), http.StatusNoContent)
		for _, o := range others {
			MustProblem(t, o.Do(http.MethodGet, "/api/v1/me", nil), http.StatusUnauthorized, "unauthenticated")
		}
		sessions := mustSessions(t, b)
		require.Len(t, sessions, 1)
		assert.True(t, sessions[0].Current)
	})
}

func TestSignInThrottle(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("eleventh_failed_sign_in_for_one_email_from_other_ips_is_429_unchecked", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db, withTrustedProxies(loopbackProxy4, loopbackProxy6))
		victim := srv.MustSignUp(t, "Victim")
		for i := range 10 {
			res := srv.NewBrowser(t).signIn(victim.User.Email, "wrong guess", header{"X-Forwarded-For", "198.51.100." + strconv.Itoa(i+1)})
			MustProblem(t, res, http.StatusUnauthorized, "unauthenticated")
		}

		res := srv.NewBrowser(t).signIn(victim.User.Email, testPassword, header{"X-Forwarded-For", "203.0.113.50"})
		MustProblem(t, res, http.StatusTooManyRequests, "rate_limited")
		retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
		require.NoError(t, err, "Retry-After is whole seconds")
		assert.Greater(t, retry, 0)
		assert.LessOrEqual(t, retry, 15*60)
		assert.Empty(t, res.Header.Values("Set-Cookie"), "even the right password is not checked")

		other := srv.MustSignUp(t, "Other")
		MustStatus(t, srv.NewBrowser(t).signIn(other.User.Email, testPassword, header{"X-Forwarded-For", "203.0.113.51"}), http.StatusOK)
	})

	t.Run("successful_sign_ins_do_not_count", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db, withTrustedProxies(loopbackProxy4, loopbackProxy6))
		b := srv.MustSignUp(t, "Busy")
		for i := range 12 {
			res := srv.NewBrowser(t).signIn(b.User.Email, testPassword, header{"X-Forwarded-For", "198.51.100." + strconv.Itoa(i+1)})
			MustStatus(t, res, http.StatusOK)
		}
	})
}

func TestSuspiciousSignIn(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	securityEvents := func(t *testing.T, userID string) []string {
		t.Helper()
		var rows []string
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT kind || ' ' || ip FROM security_events WHERE user_id = ? ORDER BY created_at", userID).
			Scan(context.Background(), &rows))
		return rows
	}
	suspiciousEmails := func(srv *testServer) []domain.EmailRequest {
		var out []domain.EmailRequest
		for _, e := range srv.Workflows.Emails() {
			if e.Template == "suspicious_login" {
				out = append(out, e)
			}
		}
		return out
	}
	signUp := func(t *testing.T, srv *testServer) *browser {
		t.Helper()
		b := srv.NewBrowser(t)
		res := b.Do(http.MethodPost, "/api/v1/auth/sign-up", map[string]string{"name": "Ada", "email": uniqueEmail(), "password": testPassword},
			from("198.51.100.7", firefoxLinux)...)
		MustStatus(t, res, http.StatusCreated)
		var body struct{ User userJSON }
		res.MustJSON(t, &body)
		b.User = body.User
		return b
	}

	t.Run("first_sign_in_after_sign_up_is_not_suspicious_even_elsewhere", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db, withTrustedProxies(loopbackProxy4, loopbackProxy6))
		b := signUp(t, srv)
		MustStatus(t, srv.NewBrowser(t).signIn(b.User.Email, testPassword, from("203.0.113.9", chromeWindows)...), http.StatusOK)
		assert.Empty(t, securityEvents(t, b.User.ID))
		assert.Empty(t, suspiciousEmails(srv))
	})

	t.Run("same_device_and_network_is_not_suspicious", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db, withTrustedProxies(loopbackProxy4, loopbackProxy6))
		b := signUp(t, srv)
		for _, ip := range []string{"198.51.100.7", "198.51.100.200", "198.51.100.8"} {
			MustStatus(t, srv.NewBrowser(t).signIn(b.User.Email, testPassword, from(ip, firefoxLinux)...), http.StatusOK)
		}
		assert.Empty(t, securityEvents(t, b.User.ID), "a new address in the same /24 is the same network")
		assert.Empty(t, suspiciousEmails(srv))
	})

	t.Run("new_device_and_network_records_an_event_and_emails_the_user", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db, withTrustedProxies(loopbackProxy4, loopbackProxy6))
		b := signUp(t, srv)
		MustStatus(t, srv.NewBrowser(t).signIn(b.User.Email, testPassword, from("198.51.100.9", firefoxLinux)...), http.StatusOK)
		stranger := srv.NewBrowser(t)
		MustStatus(t, stranger.signIn(b.User.Email, testPassword, from("2001:db8:aa::1", chromeWindows)...), http.StatusOK)

		assert.Equal(t, []string{"suspicious_login 2001:db8:aa::1"}, securityEvents(t, b.User.ID))
		emails := suspiciousEmails(srv)
		require.Len(t, emails, 1)
		var sessionID string
		for _, s := range mustSessions(t, stranger) {
			if s.Current {
				sessionID = s.ID
			}
		}
		assert.Equal(t, "suspicious-login/"+sessionID, emails[0].Key)
		assert.Equal(t, b.User.Email, emails[0].To)
		assert.Equal(t, "Chrome on Windows", emails[0].Data["Device"])
		assert.Equal(t, "2001:db8:aa::1", emails[0].Data["IP"])
		assert.Equal(t, srv.URL+"/account/security", emails[0].Data["SessionsURL"])

		MustStatus(t, srv.NewBrowser(t).signIn(b.User.Email, testPassword, from("2001:db8:aa:ff::2", chromeWindows)...), http.StatusOK)
		assert.Len(t, securityEvents(t, b.User.ID), 1, "the same /48 and device are known now")
	})
}

// totpNow is a code for the authenticator secret at now+offset.
func totpNow(t *testing.T, secret string, offset time.Duration) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, time.Now().Add(offset))
	require.NoError(t, err)
	return code
}

type signInJSON struct {
	User              *userJSON `json:"user"`
	TwoFactorRequired bool      `json:"two_factor_required"`
	Challenge         string    `json:"challenge"`
}

// mustEnableTwoFactor enrols b's user and returns the secret and backup codes.
func mustEnableTwoFactor(t *testing.T, b *browser) (string, []string) {
	t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/me/2fa/setup", nil)
	MustStatus(t, res, http.StatusOK)
	var setup struct {
		Secret     string `json:"secret"`
		OTPAuthURL string `json:"otpauth_url"`
		QRCode     string `json:"qr_code"`
	}
	res.MustJSON(t, &setup)
	require.NotEmpty(t, setup.Secret)
	assert.Contains(t, setup.OTPAuthURL, "otpauth://totp/")
	assert.Contains(t, setup.QRCode, "data:image/png;base64,")

	res = b.Do(http.MethodPost, "/api/v1/me/2fa/enable", map[string]string{"code": totpNow(t, setup.Secret, 0)})
	MustStatus(t, res, http.StatusOK)
	var codes struct {
		BackupCodes []string `json:"backup_codes"`
	}
	res.MustJSON(t, &codes)
	require.Len(t, codes.BackupCodes, 10)
	return setup.Secret, codes.BackupCodes
}

// mustChallenge signs in with the password and returns the second-step challenge.
func mustChallenge(t *testing.T, srv *testServer, email string) string {
	t.Helper()
	res := srv.NewBrowser(t).signIn(email, testPassword)
	MustStatus(t, res, http.StatusOK)
	assert.Empty(t, res.Header.Values("Set-Cookie"), "no session before the second step")
	var body signInJSON
	res.MustJSON(t, &body)
	require.True(t, body.TwoFactorRequired)
	assert.Nil(t, body.User)
	require.NotEmpty(t, body.Challenge)
	return body.Challenge
}

func TestTwoFactor(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("sign_in_needs_a_code_and_a_totp_code_is_refused_when_replayed", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		secret, _ := mustEnableTwoFactor(t, b)
		var stored []byte
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT totp_secret FROM users WHERE id = ?", b.User.ID).Scan(context.Background(), &stored))
		assert.NotContains(t, string(stored), secret, "the secret is encrypted at rest")

		// The enrolment spent the current step, so the next step's code (inside the skew) signs in.
		code := totpNow(t, secret, 30*time.Second)
		phone := srv.NewBrowser(t)
		res := phone.Do(http.MethodPost, "/api/v1/auth/sign-in/2fa", map[string]string{"challenge": mustChallenge(t, srv, b.User.Email), "code": code})
		MustStatus(t, res, http.StatusOK)
		var body signInJSON
		res.MustJSON(t, &body)
		require.NotNil(t, body.User)
		assert.True(t, body.User.TwoFactorEnabled)
		MustStatus(t, phone.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)

		replay := srv.NewBrowser(t)
		res = replay.Do(http.MethodPost, "/api/v1/auth/sign-in/2fa", map[string]string{"challenge": mustChallenge(t, srv, b.User.Email), "code": code})
		p := MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"body.code"}, p.Locations())
		assert.Empty(t, replay.SessionCookie())
	})

	t.Run("a_backup_code_works_once", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		_, backup := mustEnableTwoFactor(t, b)

		res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in/2fa", map[string]string{"challenge": mustChallenge(t, srv, b.User.Email), "code": backup[3]})
		MustStatus(t, res, http.StatusOK)
		res = srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in/2fa", map[string]string{"challenge": mustChallenge(t, srv, b.User.Email), "code": backup[3]})
		MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
	})

	t.Run("a_challenge_dies_after_five_wrong_codes_and_works_once", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		secret, _ := mustEnableTwoFactor(t, b)
		challenge := mustChallenge(t, srv, b.User.Email)
		for range 5 {
			res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in/2fa", map[string]string{"challenge": challenge, "code": "000000"})
			MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
		}
		res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in/2fa", map[string]string{"challenge": challenge, "code": totpNow(t, secret, 30*time.Second)})
		p := MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"body.challenge"}, p.Locations())

		for _, c := range []string{"made-up", ""} {
			res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in/2fa", map[string]string{"challenge": c, "code": "123456"})
			MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
		}
	})

	t.Run("wrong_codes_count_against_the_account_across_challenges", func(t *testing.T) {
		t.Parallel()
		// Every request from its own IP, so only the per-account limit can stop the guessing.
		srv := MustStart(t, db, withTrustedProxies(loopbackProxy4, loopbackProxy6))
		b := srv.MustSignUp(t, "Ada")
		mustEnableTwoFactor(t, b)
		ip := 0
		from := func() header { ip++; return header{"X-Forwarded-For", "198.51.100." + strconv.Itoa(ip)} }
		challenge := func() *response { return srv.NewBrowser(t).signIn(b.User.Email, testPassword, from()) }
		// Whoever knows the password opens challenge after challenge; each allows 5 guesses.
		for range 2 {
			res := challenge()
			MustStatus(t, res, http.StatusOK)
			var body signInJSON
			res.MustJSON(t, &body)
			require.True(t, body.TwoFactorRequired)
			for range 5 {
				res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in/2fa",
					map[string]string{"challenge": body.Challenge, "code": "000000"}, from())
				MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
			}
		}
		// Ten wrong codes lock the account like ten wrong passwords: no third challenge, even with the password.
		MustProblem(t, challenge(), http.StatusTooManyRequests, "rate_limited")
	})

	t.Run("an_expired_challenge_is_refused", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		_, backup := mustEnableTwoFactor(t, b)
		challenge := mustChallenge(t, srv, b.User.Email)
		_, err := db.Owner.Bun().NewRaw("UPDATE sign_in_challenges SET expires_at = now() - interval '1 second' WHERE user_id = ?", b.User.ID).Exec(context.Background())
		require.NoError(t, err)
		res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in/2fa", map[string]string{"challenge": challenge, "code": backup[0]})
		MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
	})

	t.Run("enrolment_refuses_a_wrong_code_a_missing_setup_and_a_second_enable", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		MustProblem(t, b.Do(http.MethodPost, "/api/v1/me/2fa/enable", map[string]string{"code": "123456"}), http.StatusConflict, "conflict")
		MustStatus(t, b.Do(http.MethodPost, "/api/v1/me/2fa/setup", nil), http.StatusOK)
		p := MustProblem(t, b.Do(http.MethodPost, "/api/v1/me/2fa/enable", map[string]string{"code": "12345x"}), http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"body.code"}, p.Locations())
		secret, _ := mustEnableTwoFactor(t, b)
		MustProblem(t, b.Do(http.MethodPost, "/api/v1/me/2fa/setup", nil), http.StatusConflict, "conflict")
		MustProblem(t, b.Do(http.MethodPost, "/api/v1/me/2fa/enable", map[string]string{"code": totpNow(t, secret, 30*time.Second)}), http.StatusConflict, "conflict")
	})

	t.Run("regenerating_backup_codes_retires_the_old_ones_and_disable_turns_it_off", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Ada")
		_, backup := mustEnableTwoFactor(t, b)
		MustProblem(t, b.Do(http.MethodPost, "/api/v1/me/2fa/backup-codes", map[string]string{"code": "nope"}), http.StatusUnprocessableEntity, "validation_failed")
		res := b.Do(http.MethodPost, "/api/v1/me/2fa/backup-codes", map[string]string{"code": backup[0]})
		MustStatus(t, res, http.StatusOK)
		var fresh struct {
			BackupCodes []string `json:"backup_codes"`
		}
		res.MustJSON(t, &fresh)
		require.Len(t, fresh.BackupCodes, 10)

		MustProblem(t, b.Do(http.MethodPost, "/api/v1/me/2fa/disable", map[string]string{"code": backup[1]}), http.StatusUnprocessableEntity, "validation_failed")
		MustStatus(t, b.Do(http.MethodPost, "/api/v1/me/2fa/disable", map[string]string{"code": fresh.BackupCodes[0]}), http.StatusNoContent)
		res = srv.NewBrowser(t).signIn(b.User.Email, testPassword)
		MustStatus(t, res, http.StatusOK)
		mustSessionSetCookie(t, res)
		MustProblem(t, b.Do(http.MethodPost, "/api/v1/me/2fa/disable", map[string]string{"code": fresh.BackupCodes[1]}), http.StatusConflict, "conflict")
	})
}
