package ratelimit_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/ratelimit"
)

// factory returns a fresh limiter with its own keyspace, driven by the returned clock.
type factory func(t *testing.T) (ratelimit.Limiter, *fakeClock)

// implementations lists every Limiter the contract must hold for.
var implementations = []struct {
	name string
	open func(t *testing.T) factory
}{
	{"redis", openRedis},
	{"memory", openMemory},
	{"fallback", openFallback},
}

// contract is the behaviour every Limiter promises, independent of its store.
var contract = []struct {
	name string
	run  func(t *testing.T, l ratelimit.Limiter, clock *fakeClock)
}{
	{"admits_exactly_limit_then_refuses", func(t *testing.T, l ratelimit.Limiter, _ *fakeClock) {
		for want := 2; want >= 0; want-- {
			d := mustAllow(t, l, "k", 3, 10*time.Second)
			assert.Equal(t, ratelimit.Decision{Allowed: true, Limit: 3, Remaining: want}, d)
		}
		d := mustAllow(t, l, "k", 3, 10*time.Second)
		assert.False(t, d.Allowed)
		assert.Equal(t, 3, d.Limit)
		assert.Zero(t, d.Remaining)
		assert.Greater(t, d.RetryAfter, time.Duration(0))
		assert.LessOrEqual(t, d.RetryAfter, 10*time.Second)
	}},
	{"retry_after_is_when_the_oldest_event_leaves", func(t *testing.T, l ratelimit.Limiter, clock *fakeClock) {
		mustAllow(t, l, "k", 2, 10*time.Second)
		clock.Advance(3 * time.Second)
		mustAllow(t, l, "k", 2, 10*time.Second)
		clock.Advance(4 * time.Second)
		assert.Equal(t, 3*time.Second, mustAllow(t, l, "k", 2, 10*time.Second).RetryAfter)

		clock.Advance(3*time.Second - time.Millisecond)
		d := mustAllow(t, l, "k", 2, 10*time.Second)
		assert.False(t, d.Allowed, "one millisecond before the oldest event leaves")
		assert.Equal(t, time.Millisecond, d.RetryAfter)

		clock.Advance(time.Millisecond)
		assert.True(t, mustAllow(t, l, "k", 2, 10*time.Second).Allowed, "waiting RetryAfter is enough")
	}},
	{"peek_answers_like_allow_without_recording", func(t *testing.T, l ratelimit.Limiter, clock *fakeClock) {
		ctx := context.Background()
		for range 3 {
			d, err := l.Peek(ctx, "k", 2, 10*time.Second)
			require.NoError(t, err)
			assert.Equal(t, ratelimit.Decision{Allowed: true, Limit: 2, Remaining: 1}, d, "peeking records nothing")
		}
		mustAllow(t, l, "k", 2, 10*time.Second)
		clock.Advance(time.Second)
		mustAllow(t, l, "k", 2, 10*time.Second)
		d, err := l.Peek(ctx, "k", 2, 10*time.Second)
		require.NoError(t, err)
		assert.False(t, d.Allowed)
		assert.Equal(t, 9*time.Second, d.RetryAfter)
		clock.Advance(9 * time.Second)
		d, err = l.Peek(ctx, "k", 2, 10*time.Second)
		require.NoError(t, err)
		assert.Equal(t, ratelimit.Decision{Allowed: true, Limit: 2, Remaining: 0}, d)
	}},
	{"window_slides_after_a_full_window", func(t *testing.T, l ratelimit.Limiter, clock *fakeClock) {
		mustAllow(t, l, "k", 2, time.Second)
		mustAllow(t, l, "k", 2, time.Second)
		require.False(t, mustAllow(t, l, "k", 2, time.Second).Allowed)

		clock.Advance(time.Second)
		assert.Equal(t, ratelimit.Decision{Allowed: true, Limit: 2, Remaining: 1}, mustAllow(t, l, "k", 2, time.Second))
		assert.Equal(t, ratelimit.Decision{Allowed: true, Limit: 2, Remaining: 0}, mustAllow(t, l, "k", 2, time.Second))
	}},
	{"partial_slide_frees_exactly_the_old_events", func(t *testing.T, l ratelimit.Limiter, clock *fakeClock) {
		mustAllow(t, l, "k", 3, 10*time.Second)
		mustAllow(t, l, "k", 3, 10*time.Second)
		clock.Advance(6 * time.Second)
		mustAllow(t, l, "k", 3, 10*time.Second)
		require.False(t, mustAllow(t, l, "k", 3, 10*time.Second).Allowed)

		clock.Advance(4 * time.Second) // the two first events leave; the third stays
		assert.True(t, mustAllow(t, l, "k", 3, 10*time.Second).Allowed)
		assert.True(t, mustAllow(t, l, "k", 3, 10*time.Second).Allowed)
		d := mustAllow(t, l, "k", 3, 10*time.Second)
		assert.False(t, d.Allowed, "the event from 4s ago still counts")
		assert.Equal(t, 6*time.Second, d.RetryAfter)
	}},
	{"keys_are_independent", func(t *testing.T, l ratelimit.Limiter, _ *fakeClock) {
		require.True(t, mustAllow(t, l, "alice", 1, time.Minute).Allowed)
		require.False(t, mustAllow(t, l, "alice", 1, time.Minute).Allowed)

		assert.True(t, mustAllow(t, l, "bob", 1, time.Minute).Allowed)
		assert.False(t, mustAllow(t, l, "alice", 1, time.Minute).Allowed)
	}},
	{"refused_calls_do_not_count", func(t *testing.T, l ratelimit.Limiter, clock *fakeClock) {
		mustAllow(t, l, "k", 2, 10*time.Second)
		mustAllow(t, l, "k", 2, 10*time.Second)
		for range 9 {
			clock.Advance(time.Second)
			require.False(t, mustAllow(t, l, "k", 2, 10*time.Second).Allowed)
		}
		clock.Advance(time.Second)
		d := mustAllow(t, l, "k", 2, 10*time.Second)
		assert.Equal(t, ratelimit.Decision{Allowed: true, Limit: 2, Remaining: 1}, d,
			"only the two admitted events were recorded, and both have left")
	}},
	{"lowering_the_limit_waits_until_enough_events_leave", func(t *testing.T, l ratelimit.Limiter, clock *fakeClock) {
		for range 3 {
			mustAllow(t, l, "k", 3, 10*time.Second)
			clock.Advance(time.Second)
		}
		d := mustAllow(t, l, "k", 2, 10*time.Second)
		assert.False(t, d.Allowed)
		assert.Equal(t, 8*time.Second, d.RetryAfter, "the second event must leave, not just the first")
	}},
	{"concurrent_callers_get_exactly_limit", func(t *testing.T, l ratelimit.Limiter, _ *fakeClock) {
		var admitted atomic.Int64
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				d, err := l.Allow(t.Context(), "k", 10, time.Minute)
				assert.NoError(t, err)
				if d.Allowed {
					admitted.Add(1)
				}
			})
		}
		wg.Wait()
		assert.Equal(t, int64(10), admitted.Load())
	}},
	{"invalid_limit_or_window_is_an_error", func(t *testing.T, l ratelimit.Limiter, _ *fakeClock) {
		for _, bad := range []struct {
			limit  int
			window time.Duration
		}{{0, time.Second}, {-1, time.Second}, {1, 0}, {1, -time.Second}, {1, 999 * time.Microsecond}} {
			_, err := l.Allow(t.Context(), "k", bad.limit, bad.window)
			assert.ErrorIs(t, err, ratelimit.ErrInvalidLimit, "limit %d window %s", bad.limit, bad.window)
		}
		assert.True(t, mustAllow(t, l, "k", 1, time.Millisecond).Allowed, "bad calls recorded nothing")
	}},
	{"cancelled_context_is_an_error", func(t *testing.T, l ratelimit.Limiter, _ *fakeClock) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := l.Allow(ctx, "k", 1, time.Second)
		assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
	}},
}

func TestLimiterContract(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			t.Parallel()
			newLimiter := impl.open(t)
			for _, tc := range contract {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					l, clock := newLimiter(t)
					tc.run(t, l, clock)
				})
			}
		})
	}
}

// openMemory needs no shared state: every limiter is its own keyspace.
func openMemory(*testing.T) factory {
	return func(*testing.T) (ratelimit.Limiter, *fakeClock) {
		clock := newFakeClock()
		m := ratelimit.NewMemory()
		m.Now = clock.Now
		return m, clock
	}
}

// mustAllow calls Allow and fails the test on error.
func mustAllow(t *testing.T, l ratelimit.Limiter, key string, limit int, window time.Duration) ratelimit.Decision {
	t.Helper()
	d, err := l.Allow(t.Context(), key, limit, window)
	require.NoError(t, err)
	return d
}

// fakeClock is a goroutine-safe clock that only moves when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// newFakeClock starts at the current wall time (whole milliseconds) so Redis TTLs stay sensible.
func newFakeClock() *fakeClock {
	return &fakeClock{now: time.UnixMilli(time.Now().UnixMilli())}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
