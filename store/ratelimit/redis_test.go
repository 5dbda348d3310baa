package ratelimit_test

import (
	"context"
	"crypto/rand"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/ratelimit"
)

func TestRedis(t *testing.T) {
	t.Run("idle_keys_expire_after_one_window", func(t *testing.T) {
		rdb := mustRedis(t)
		prefix := uniquePrefix(t, rdb)
		l := ratelimit.NewRedis(rdb, prefix)

		_, err := l.Allow(t.Context(), "k", 5, 1500*time.Millisecond)
		require.NoError(t, err)

		ttl, err := rdb.PTTL(t.Context(), prefix+"k").Result()
		require.NoError(t, err)
		assert.Greater(t, ttl, time.Duration(0))
		assert.LessOrEqual(t, ttl, 1500*time.Millisecond)
	})
}

func BenchmarkRedis(b *testing.B) {
	rdb := mustRedis(b)
	benchmarkLimiter(b, ratelimit.NewRedis(rdb, uniquePrefix(b, rdb)))
}

// openRedis checks Redis once per suite and hands each test its own key prefix.
func openRedis(t *testing.T) factory {
	rdb := mustRedis(t)
	return func(t *testing.T) (ratelimit.Limiter, *fakeClock) {
		clock := newFakeClock()
		r := ratelimit.NewRedis(rdb, uniquePrefix(t, rdb))
		r.Now = clock.Now
		return r, clock
	}
}

// mustRedis connects to REDIS_URL (default the local server). An unreachable
// Redis fails the test in CI, where it must exist, and skips it elsewhere.
func mustRedis(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	opts, err := redis.ParseURL(url)
	require.NoError(tb, err, "REDIS_URL")
	rdb := redis.NewClient(opts)
	tb.Cleanup(func() { _ = rdb.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("redis at %s is required in CI: %v", url, err)
		}
		tb.Skipf("redis at %s unreachable (set CI to make this fatal): %v", url, err)
	}
	return rdb
}

// uniquePrefix isolates a test's keys and deletes them when it ends.
func uniquePrefix(tb testing.TB, rdb redis.UniversalClient) string {
	tb.Helper()
	prefix := "test:ratelimit:" + rand.Text() + ":"
	tb.Cleanup(func() {
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			_ = rdb.Del(ctx, iter.Val()).Err()
		}
	})
	return prefix
}

// benchmarkLimiter measures Allow from parallel callers spread over many keys,
// with a real clock so both admitted and refused paths are exercised.
func benchmarkLimiter(b *testing.B, l ratelimit.Limiter) {
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := l.Allow(ctx, "user:"+strconv.Itoa(i%1000), 120, time.Minute); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}
