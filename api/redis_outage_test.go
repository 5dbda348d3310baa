package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store/ratelimit"
	"github.com/clientflow/clientflow/store/storetest"
)

// TestRedisOutage stops a private Redis under a running API: rate limits keep holding (counted in process),
// /readyz reports Redis, everything else keeps working, and once Redis is back the limits count there again.
func TestRedisOutage(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	rds := mustRunPrivateRedis(t)
	rdb := redis.NewClient(&redis.Options{Addr: rds.Addr, MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	limiter := ratelimit.NewFallback(ratelimit.NewRedis(rdb, "rl:"), logger)
	limiter.RetryEvery = time.Millisecond // probe Redis on every call, so its return is seen at once
	srv := MustStart(t, db, withLimiter(limiter),
		withReady("redis", func(ctx context.Context) error { return rdb.Ping(ctx).Err() }),
		func(d *api.Deps) { d.Config.RateLimitAPI, d.Config.RateLimitSession, d.Logger = 5, 5, logger })
	ctx := context.Background()

	// mustHoldFiveThen429 checks the per-session API limit (5 a minute here) for a fresh user.
	mustHoldFiveThen429 := func(name string) {
		t.Helper()
		b := srv.MustSignUp(t, name)
		for range 5 {
			MustStatus(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
		}
		MustProblem(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusTooManyRequests, "rate_limited")
	}
	sessionCounts := func() []int64 {
		t.Helper()
		keys, err := rdb.Keys(ctx, "rl:api:session:*").Result()
		require.NoError(t, err)
		var counts []int64
		for _, k := range keys {
			n, err := rdb.ZCard(ctx, k).Result()
			require.NoError(t, err)
			counts = append(counts, n)
		}
		return counts
	}

	t.Run("redis_up_counts_in_redis", func(t *testing.T) {
		mustHoldFiveThen429("Before")
		assert.Equal(t, []int64{5}, sessionCounts())
		assert.Equal(t, http.StatusOK, mustReady(t, srv).status)
	})

	t.Run("redis_down_limits_hold_in_process_and_readyz_reports_it", func(t *testing.T) {
		rds.Stop()
		mustHoldFiveThen429("During") // sign-up, reads and the limit itself all keep working
		r := mustReady(t, srv)
		assert.Equal(t, http.StatusServiceUnavailable, r.status)
		assert.NotEqual(t, "ok", r.body["redis"])
		assert.Equal(t, "ok", r.body["postgres"])
		assert.True(t, limiter.Degraded())
		assert.Equal(t, 1, strings.Count(logs.String(), "Redis unavailable"), "one warning per outage, not per request")
	})

	t.Run("redis_back_is_used_again", func(t *testing.T) {
		rds.Start()
		require.Eventually(t, func() bool { return mustReady(t, srv).status == http.StatusOK }, 10*time.Second, 50*time.Millisecond)
		mustHoldFiveThen429("After")
		assert.Equal(t, []int64{5}, sessionCounts(), "the new session is counted in the restarted (empty) Redis")
		assert.False(t, limiter.Degraded())
		assert.Equal(t, 1, strings.Count(logs.String(), "Redis answers again"))
	})
}

type readiness struct {
	status int
	body   map[string]string
}

func mustReady(t *testing.T, srv *testServer) readiness {
	t.Helper()
	res, err := http.Get(srv.URL + "/readyz")
	require.NoError(t, err)
	defer res.Body.Close()
	r := readiness{status: res.StatusCode}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&r.body))
	return r
}

// privateRedis is a redis-server of the test's own on a free port, which the test may stop and restart
// (never the shared one on 6379).
type privateRedis struct {
	t    *testing.T
	Addr string
	port string
	cmd  *exec.Cmd
}

func mustRunPrivateRedis(t *testing.T) *privateRedis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	require.NoError(t, ln.Close())
	r := &privateRedis{t: t, Addr: "127.0.0.1:" + port, port: port}
	r.Start()
	t.Cleanup(r.Stop)
	return r
}

// Start runs the server (without persistence, so a restart comes back empty) and waits until it answers.
func (r *privateRedis) Start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", r.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	require.NoError(r.t, r.cmd.Start())
	c := redis.NewClient(&redis.Options{Addr: r.Addr, MaxRetries: -1})
	defer c.Close()
	require.Eventually(r.t, func() bool { return c.Ping(context.Background()).Err() == nil }, 10*time.Second, 20*time.Millisecond)
}

// Stop kills the server and waits for it to exit; stopping a stopped server does nothing.
func (r *privateRedis) Stop() {
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}

// syncBuffer is a log sink several request goroutines may write at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
