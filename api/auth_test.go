package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("sign_up_creates_the_account_sets_the_session_cookie_and_starts_the_welcome_workflow", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.NewBrowser(t)
		email := uniqueEmail()

		res := b.Do(http.MethodPost, "/api/v1/auth/sign-up", map[string]string{
			"name": "  Ada Lovelace ", "email": strings.ToUpper(email), "password": testPassword,
		})

		MustStatus(t, res, http.StatusCreated)
		var body struct {
			User map[string]any `json:"user"`
		}
		res.MustJSON(t, &body)
		assert.ElementsMatch(t, []string{"id", "name", "email", "email_verified", "timezone", "avatar_url",
			"two_factor_enabled", "created_at"}, keys(body.User))
		var u struct{ User userJSON }
		res.MustJSON(t, &u)
		assert.NoError(t, uuid.Validate(u.User.ID))
		assert.Equal(t, "Ada Lovelace", u.User.Name)
		assert.Equal(t, email, u.User.Email, "email is stored lower-cased")
		assert.False(t, u.User.EmailVerified)
		assert.False(t, u.User.CreatedAt.IsZero())

		cookie := mustSessionSetCookie(t, res)
		assert.True(t, cookie.HttpOnly, "HttpOnly")
		assert.Equal(t, http.SameSiteLaxMode, cookie.SameSite)
		assert.NotEmpty(t, cookie.Value)
		assert.Equal(t, cookie.Value, b.SessionCookie(), "the jar keeps the session")

		assert.Equal(t, []string{u.User.ID}, srv.Workflows.Welcomed())

		var stored struct {
			Email        string `bun:"email"`
			PasswordHash string `bun:"password_hash"`
		}
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT email, password_hash FROM users WHERE id = ?", u.User.ID).
			Scan(context.Background(), &stored))
		assert.Equal(t, email, stored.Email)
		assert.True(t, strings.HasPrefix(stored.PasswordHash, "$argon2id$"), "password is stored as an argon2id hash")
		assert.NotContains(t, stored.PasswordHash, testPassword)

		me := b.Do(http.MethodGet, "/api/v1/me", nil)
		MustStatus(t, me, http.StatusOK)
		var got struct {
			User        userJSON `json:"user"`
			Memberships []any    `json:"memberships"`
		}
		me.MustJSON(t, &got)
		assert.Equal(t, u.User.ID, got.User.ID)
		assert.NotNil(t, got.Memberships, "memberships is an array, never null")
	})

	t.Run("duplicate_email_in_any_case_is_a_conflict", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		email := uniqueEmail()
		first := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-up",
			map[string]string{"name": "First", "email": email, "password": testPassword})
		MustStatus(t, first, http.StatusCreated)

		b := srv.NewBrowser(t)
		res := b.Do(http.MethodPost, "/api/v1/auth/sign-up",
			map[string]string{"name": "Second", "email": "  " + strings.ToUpper(email), "password": testPassword})

		MustProblem(t, res, http.StatusConflict, "conflict")
		assert.Empty(t, res.Header.Values("Set-Cookie"), "no session for a refused sign-up")
		assert.Len(t, srv.Workflows.Welcomed(), 1, "no second welcome workflow")
		var n int
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM users WHERE email = ?", email).
			Scan(context.Background(), &n))
		assert.Equal(t, 1, n)
	})

	t.Run("sign_in_opens_a_new_session_with_a_fresh_token", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		signedUp := srv.MustSignUp(t, "Grace")
		firstToken := signedUp.SessionCookie()

		b := srv.NewBrowser(t)
		res := b.Do(http.MethodPost, "/api/v1/auth/sign-in",
			map[string]string{"email": strings.ToUpper(signedUp.User.Email), "password": testPassword})

		MustStatus(t, res, http.StatusOK)
		var body struct{ User userJSON }
		res.MustJSON(t, &body)
		assert.Equal(t, signedUp.User.ID, body.User.ID)
		cookie := mustSessionSetCookie(t, res)
		assert.NotEqual(t, firstToken, cookie.Value, "every sign-in mints a new token")
		MustStatus(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
		MustStatus(t, signedUp.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
	})

	t.Run("wrong_password_and_unknown_email_get_the_same_401", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		known := srv.MustSignUp(t, "Known")

		wrongPassword := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in",
			map[string]string{"email": known.User.Email, "password": "not the password"})
		unknownEmail := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in",
			map[string]string{"email": uniqueEmail(), "password": testPassword})

		p1 := MustProblem(t, wrongPassword, http.StatusUnauthorized, "unauthenticated")
		p2 := MustProblem(t, unknownEmail, http.StatusUnauthorized, "unauthenticated")
		assert.Equal(t, p1.Detail, p2.Detail, "the answer must not reveal whether the email exists")
		assert.Empty(t, wrongPassword.Header.Values("Set-Cookie"))
		assert.Empty(t, unknownEmail.Header.Values("Set-Cookie"))
	})

	t.Run("me_without_a_session_is_401", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.NewBrowser(t)

		MustProblem(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusUnauthorized, "unauthenticated")
		MustProblem(t, b.Do(http.MethodGet, "/api/v1/me", nil, header{"Cookie", "cf_session=forged-token"}),
			http.StatusUnauthorized, "unauthenticated")
	})

	t.Run("sign_out_revokes_the_session_server_side", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Leaving")
		oldToken := b.SessionCookie()
		require.NotEmpty(t, oldToken)

		res := b.Do(http.MethodPost, "/api/v1/auth/sign-out", nil)

		MustStatus(t, res, http.StatusNoContent)
		cleared := mustSessionSetCookie(t, res)
		assert.Empty(t, cleared.Value)
		assert.Negative(t, cleared.MaxAge, "the browser is told to drop the cookie")
		assert.Empty(t, b.SessionCookie())
		replay := srv.NewBrowser(t).Do(http.MethodGet, "/api/v1/me", nil, header{"Cookie", "cf_session=" + oldToken})
		MustProblem(t, replay, http.StatusUnauthorized, "unauthenticated")
		var revoked int
		require.NoError(t, db.Owner.Bun().NewRaw(
			"SELECT count(*) FROM sessions WHERE user_id = ? AND revoked_at IS NOT NULL", b.User.ID).
			Scan(context.Background(), &revoked))
		assert.Equal(t, 1, revoked)
	})

	t.Run("invalid_sign_up_is_422_on_the_field_and_creates_nothing", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		for _, tc := range []struct {
			name     string
			email    string
			password string
			location string
		}{
			{"password_of_7_characters", uniqueEmail(), "1234567", "body.password"},
			{"password_of_129_characters", uniqueEmail(), strings.Repeat("p", 129), "body.password"},
			{"email_without_at_sign", "not-an-email", testPassword, "body.email"},
			{"email_with_display_name", "Ada <ada@example.com>", testPassword, "body.email"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-up",
					map[string]string{"name": "Invalid", "email": tc.email, "password": tc.password})

				p := MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
				assert.Contains(t, p.Locations(), tc.location)
				assert.Empty(t, res.Header.Values("Set-Cookie"))
				var n int
				require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM users WHERE email = ?",
					strings.ToLower(tc.email)).Scan(context.Background(), &n))
				assert.Zero(t, n)
			})
		}
		assert.Empty(t, srv.Workflows.Welcomed())
	})
}

// mustSessionSetCookie returns the cf_session cookie a response set.
func mustSessionSetCookie(t *testing.T, r *response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "cf_session" {
			return c
		}
	}
	t.Fatalf("no cf_session in Set-Cookie %q", r.Header.Values("Set-Cookie"))
	return nil
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
