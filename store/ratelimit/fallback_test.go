package ratelimit_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/ratelimit"
)

// openFallback runs the contract through a Fallback whose Redis answers: it must be invisible.
func openFallback(t *testing.T) factory {
	redisFactory := openRedis(t)
	return func(t *testing.T) (ratelimit.Limiter, *fakeClock) {
		primary, clock := redisFactory(t)
		backup := ratelimit.NewMemory()
		backup.Now = clock.Now
		return &ratelimit.Fallback{Primary: primary, Backup: backup, Now: clock.Now,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, clock
	}
}

// failing is a Limiter whose store is unreachable.
type failing struct{ calls int }

func (f *failing) Allow(context.Context, string, int, time.Duration) (ratelimit.Decision, error) {
	f.calls++
	return ratelimit.Decision{}, errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")
}

func (f *failing) Peek(ctx context.Context, key string, limit int, window time.Duration) (ratelimit.Decision, error) {
	return f.Allow(ctx, key, limit, window)
}

func TestFallback(t *testing.T) {
	t.Run("an_unreachable_primary_is_asked_once_per_interval", func(t *testing.T) {
		clock := newFakeClock()
		primary := &failing{}
		backup := ratelimit.NewMemory()
		backup.Now = clock.Now
		l := &ratelimit.Fallback{Primary: primary, Backup: backup, Now: clock.Now, RetryEvery: time.Second,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		for range 3 {
			assert.True(t, mustAllow(t, l, "k", 3, time.Minute).Allowed)
		}
		assert.False(t, mustAllow(t, l, "k", 3, time.Minute).Allowed, "the in-process count holds the limit")
		assert.Equal(t, 1, primary.calls, "later calls skip the dead primary until the interval passes")
		clock.Advance(time.Second)
		mustAllow(t, l, "other", 3, time.Minute)
		assert.Equal(t, 2, primary.calls)
		assert.True(t, l.Degraded())
	})

	t.Run("a_bad_limit_is_an_error_not_an_outage", func(t *testing.T) {
		l := ratelimit.NewFallback(ratelimit.NewMemory(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		_, err := l.Allow(context.Background(), "k", 0, time.Second)
		require.ErrorIs(t, err, ratelimit.ErrInvalidLimit)
		assert.False(t, l.Degraded())
	})
}
