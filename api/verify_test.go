package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

func TestVerifyEmail(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	const secret = "test-session-secret"
	verify := func(b *browser, token string) *response {
		return b.Do(http.MethodPost, "/api/v1/auth/verify-email", map[string]string{"token": token})
	}
	verified := func(userID string) bool {
		var at *time.Time
		if err := db.Owner.Bun().NewRaw("SELECT email_verified_at FROM users WHERE id = ?", userID).Scan(context.Background(), &at); err != nil {
			t.Fatal(err)
		}
		return at != nil
	}

	// Each case gets its own server: the auth rate limit (10 per 10 s per IP) would otherwise be shared.
	t.Run("a_valid_link_verifies_and_a_second_use_is_harmless", func(t *testing.T) {
		b := MustStart(t, db).MustSignUp(t, "Vera")
		token := domain.SignVerifyToken(secret, b.User.ID, b.User.Email, time.Now().Add(time.Hour))
		for i := 0; i < 2; i++ {
			res := verify(b, token)
			MustStatus(t, res, http.StatusOK)
			var body struct{ User userJSON }
			res.MustJSON(t, &body)
			if !body.User.EmailVerified {
				t.Fatalf("attempt %d: user not verified in response", i+1)
			}
		}
		if !verified(b.User.ID) {
			t.Fatal("email_verified_at not set")
		}
	})

	for _, tc := range []struct {
		name  string
		token func(b *browser) string
	}{
		{"expired_link", func(b *browser) string {
			return domain.SignVerifyToken(secret, b.User.ID, b.User.Email, time.Now().Add(-time.Minute))
		}},
		{"link_for_another_address", func(b *browser) string {
			return domain.SignVerifyToken(secret, b.User.ID, "old@example.com", time.Now().Add(time.Hour))
		}},
		{"link_signed_with_another_secret", func(b *browser) string {
			return domain.SignVerifyToken("forged", b.User.ID, b.User.Email, time.Now().Add(time.Hour))
		}},
		{"garbage", func(*browser) string { return "not.a.token" }},
	} {
		t.Run(tc.name+"_is_refused_and_verifies_nothing", func(t *testing.T) {
			b := MustStart(t, db).MustSignUp(t, "Mallory")
			res := verify(b, tc.token(b))
			MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
			if verified(b.User.ID) {
				t.Fatal("user was verified by a bad token")
			}
		})
	}
}
