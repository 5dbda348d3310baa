package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// mustIdle moves the user's sessions' last_seen_at back by idle, as if they had not been used since.
func mustIdle(t *testing.T, db *storetest.DB, b *browser, idle time.Duration) {
	t.Helper()
	_, err := db.Owner.Bun().ExecContext(context.Background(),
		"UPDATE sessions SET last_seen_at = now() - ?::interval WHERE user_id = ?", idle.String(), b.User.ID)
	require.NoError(t, err)
}

func TestSessionIdleTimeout(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("an_idle_session_is_refused_and_revoked_but_works_elsewhere_until_then", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Idler")
		strict, relaxed := b.MustCreateOrg(uniqueName("Strict")), b.MustCreateOrg(uniqueName("Relaxed"))
		MustStatus(t, b.Do(http.MethodPatch, "/api/v1/orgs/"+strict.ID+"/settings",
			map[string]any{"session_timeout_minutes": 5}), http.StatusOK)

		mustIdle(t, db, b, 10*time.Minute)
		MustStatus(t, b.Do(http.MethodGet, "/api/v1/orgs/"+relaxed.ID+"/clients", nil), http.StatusOK)

		mustIdle(t, db, b, 10*time.Minute)
		p := MustProblem(t, b.Do(http.MethodGet, "/api/v1/orgs/"+strict.ID+"/clients", nil), http.StatusUnauthorized, "unauthenticated")
		assert.Equal(t, "Your session timed out", p.Detail)

		var revoked bool
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT revoked_at IS NOT NULL FROM sessions WHERE user_id = ?", b.User.ID).
			Scan(context.Background(), &revoked))
		assert.True(t, revoked, "the session is revoked")
		MustProblem(t, b.Do(http.MethodGet, "/api/v1/orgs/"+relaxed.ID+"/clients", nil), http.StatusUnauthorized, "unauthenticated")
		MustProblem(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusUnauthorized, "unauthenticated")
	})

	t.Run("last_seen_granularity_never_signs_out_before_the_timeout", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Recent")
		org := b.MustCreateOrg(uniqueName("Strict"))
		MustStatus(t, b.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/settings",
			map[string]any{"session_timeout_minutes": 5}), http.StatusOK)

		// last_seen_at is written once a minute, so 5.5 minutes on the clock may be 4.5 minutes of real idleness.
		mustIdle(t, db, b, 5*time.Minute+30*time.Second)

		MustStatus(t, b.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil), http.StatusOK)
		mustIdle(t, db, b, 6*time.Minute+30*time.Second)
		MustProblem(t, b.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil), http.StatusUnauthorized, "unauthenticated")
	})

	t.Run("timeout_off_never_signs_out", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Away")
		org := b.MustCreateOrg(uniqueName("Relaxed"))
		mustIdle(t, db, b, 29*24*time.Hour)
		MustStatus(t, b.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil), http.StatusOK)
	})
}
