package api_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/ratelimit"
	"github.com/clientflow/clientflow/store/storetest"
)

// limiters lists every rate limiter the API can run with; the contract below must hold for each.
var limiters = []struct {
	name string
	// open returns a fresh limiter with a keyspace of its own.
	open func(t *testing.T) api.RateLimiter
}{
	{"memory", func(*testing.T) api.RateLimiter { return ratelimit.NewMemory() }},
	{"redis", func(t *testing.T) api.RateLimiter {
		rdb := mustRedis(t)
		return ratelimit.NewRedis(rdb, mustUniquePrefix(t, rdb))
	}},
}

// rateLimitContract is the product's rate-limit promise (10 / 10 s per IP on auth, 600 / 60 s per browser
// session and 120 / 60 s per API key on the API), stated once and checked against every limiter.
var rateLimitContract = []struct {
	name string
	run  func(t *testing.T, db *storetest.DB, limiter api.RateLimiter)
}{
	{"auth_admits_10_sign_ins_per_10s_from_one_ip_then_429", func(t *testing.T, db *storetest.DB, l api.RateLimiter) {
		srv := MustStart(t, db, withLimiter(l))
		email := mustCreateUser(t, db)
		attempt := func() *response {
			return srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in",
				map[string]string{"email": email, "password": "wrong password"})
		}
		// Sent at once so all ten land well inside one window however slow password hashing is here.
		results := make([]*response, 10)
		var wg sync.WaitGroup
		for i := range results {
			wg.Go(func() { results[i] = attempt() })
		}
		wg.Wait()
		for _, res := range results {
			MustProblem(t, res, http.StatusUnauthorized, "unauthenticated")
		}

		res := attempt()

		MustProblem(t, res, http.StatusTooManyRequests, "rate_limited")
		retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
		require.NoError(t, err, "Retry-After %q is whole seconds", res.Header.Get("Retry-After"))
		assert.GreaterOrEqual(t, retry, 1)
		assert.LessOrEqual(t, retry, 10)
		assert.Equal(t, "10", res.Header.Get("RateLimit-Limit"))
		assert.Equal(t, "0", res.Header.Get("RateLimit-Remaining"))
		MustProblem(t, srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-up",
			map[string]string{"name": "Late", "email": uniqueEmail(), "password": testPassword}),
			http.StatusTooManyRequests, "rate_limited")
	}},
	{"api_admits_600_requests_per_session_but_120_per_api_key_per_minute_then_429", func(t *testing.T, db *storetest.DB, l api.RateLimiter) {
		srv := MustStart(t, db, withLimiter(l))
		owner, clicker, other := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Clicker"), srv.MustSignUp(t, "Other")
		org := owner.MustCreateOrg(uniqueName("Limits"))
		_, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Script", "expires_in": "30d"})
		clients := "/api/v1/orgs/" + org.ID + "/clients"

		// A script with a key: the seed's 120 a minute.
		for i := range 120 {
			res := bearer(srv, t, key, http.MethodGet, clients, nil)
			require.Equal(t, http.StatusOK, res.Status, "key request %d of 120: %s", i+1, res.Body)
		}
		res := bearer(srv, t, key, http.MethodGet, clients, nil)
		MustProblem(t, res, http.StatusTooManyRequests, "rate_limited")
		assert.Equal(t, "120", res.Header.Get("RateLimit-Limit"))

		// A person in the app, whose pages make several requests each: five times that, then 429 too.
		for i := range 600 {
			res := clicker.Do(http.MethodGet, "/api/v1/me", nil)
			require.Equal(t, http.StatusOK, res.Status, "session request %d of 600: %s", i+1, res.Body)
			if i == 0 {
				assert.Equal(t, "600", res.Header.Get("RateLimit-Limit"))
			}
		}
		res = clicker.Do(http.MethodGet, "/api/v1/me", nil)

		MustProblem(t, res, http.StatusTooManyRequests, "rate_limited")
		retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
		require.NoError(t, err)
		assert.GreaterOrEqual(t, retry, 1)
		assert.LessOrEqual(t, retry, 60)
		MustStatus(t, other.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
		// The key's creator browses on: the key's budget is not the session's.
		MustStatus(t, owner.Do(http.MethodGet, clients, nil), http.StatusOK)
	}},
	{"auth_limit_cannot_be_dodged_with_forwarding_headers", func(t *testing.T, db *storetest.DB, l api.RateLimiter) {
		// A budget of three, so the whole test (each attempt hashes a password) stays well inside one 10 s
		// window on a busy machine: ten attempts under -race once took 12.6 s and rolled the window over.
		srv := MustStart(t, db, withLimiter(l), withAuthLimit(3))
		attempt := func(h ...header) *response {
			return srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in",
				map[string]string{"email": uniqueEmail(), "password": "guess"}, h...)
		}
		// An attacker who picks the address the limiter sees gets a fresh budget on every request. Sent at
		// once, so all three land inside one window however slow password hashing is.
		results := make([]*response, 3)
		var wg sync.WaitGroup
		for i := range results {
			wg.Go(func() { results[i] = attempt(header{"X-Forwarded-For", "198.51.100." + strconv.Itoa(i+1)}) })
		}
		wg.Wait()
		for _, res := range results {
			MustStatus(t, res, http.StatusUnauthorized)
		}

		for _, h := range []header{
			{"X-Forwarded-For", "203.0.113.7"},
			{"X-Real-IP", "203.0.113.8"},
			{"X-Forwarded-For", "203.0.113.9, 127.0.0.1"},
		} {
			MustProblem(t, attempt(h), http.StatusTooManyRequests, "rate_limited")
		}
	}},
	{"auth_limit_is_separate_from_the_api_limit", func(t *testing.T, db *storetest.DB, l api.RateLimiter) {
		srv := MustStart(t, db, withLimiter(l))
		b := srv.MustSignUp(t, "Both")
		for range 10 {
			srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in",
				map[string]string{"email": uniqueEmail(), "password": "whatever"})
		}

		MustStatus(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
	}},
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	for _, impl := range limiters {
		t.Run(impl.name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range rateLimitContract {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.run(t, db, impl.open(t))
				})
			}
		})
	}
}

func TestRateLimitBehindAProxy(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("clients_forwarded_by_a_trusted_proxy_get_a_budget_each", func(t *testing.T) {
		t.Parallel()
		// A budget of three keeps the sequential attempts (each hashes a password) inside one 10 s sliding
		// window on a busy machine: ten under -race once took 11.4 s, and the first had left the window.
		srv := MustStart(t, db, func(d *api.Deps) { d.TrustedProxies = []string{"127.0.0.1", "::1"} }, withAuthLimit(3))
		attempt := func(clientIP string) *response {
			return srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in",
				map[string]string{"email": uniqueEmail(), "password": "guess"},
				header{"X-Forwarded-For", clientIP})
		}
		for range 3 {
			MustStatus(t, attempt("203.0.113.1"), http.StatusUnauthorized)
		}

		MustProblem(t, attempt("203.0.113.1"), http.StatusTooManyRequests, "rate_limited")
		MustProblem(t, attempt("203.0.113.1, 198.51.100.9"), http.StatusUnauthorized, "unauthenticated")
		MustProblem(t, attempt("203.0.113.2"), http.StatusUnauthorized, "unauthenticated")
	})
}

// mustCreateUser stores a user directly, so creating them costs no request against the auth limit.
func mustCreateUser(t *testing.T, db *storetest.DB) string {
	t.Helper()
	hash, err := api.HashPassword(testPassword)
	require.NoError(t, err)
	u := &domain.User{Name: "Stored", Email: uniqueEmail(), PasswordHash: hash}
	require.NoError(t, db.App.CreateUser(context.Background(), u))
	return u.Email
}

// mustRedis connects to REDIS_URL (default the local server). An unreachable Redis fails the test in CI,
// where it must exist, and skips it elsewhere.
func mustRedis(t *testing.T) *redis.Client {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	opts, err := redis.ParseURL(url)
	require.NoError(t, err, "REDIS_URL")
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { _ = rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis at %s is required in CI: %v", url, err)
		}
		t.Skipf("redis at %s unreachable (set CI to make this fatal): %v", url, err)
	}
	return rdb
}

// mustUniquePrefix isolates a test's keys and deletes them when it ends.
func mustUniquePrefix(t *testing.T, rdb *redis.Client) string {
	t.Helper()
	prefix := "test:api:ratelimit:" + rand.Text() + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
	})
	return prefix
}
