package ratelimit

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Fallback is a Limiter that asks Primary (Redis, shared by every API instance) and, while Primary fails,
// its in-process Backup. A Redis outage therefore loosens each limit to one count per API instance for its
// duration; it neither lifts the limits (failing open) nor turns a cache outage into a product outage
// (failing closed). Sign-in is no exception, deliberately: failing closed there would lock every user out
// for as long as Redis is away, while the in-process count still caps password guessing per instance (and
// each guess costs a password hash). The outage is logged once when it starts and once when it ends.
type Fallback struct {
	Primary Limiter
	Backup  Limiter
	Logger  *slog.Logger
	// RetryEvery is how often, during an outage, one call tries Primary again; zero means 1 s. The other
	// calls go straight to Backup, so an unreachable Redis costs one timeout per interval, not per request.
	RetryEvery time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	// down is read without the lock on every call, so a healthy Redis costs no mutex per request; mu guards
	// the switch-over and nextProbe.
	down      atomic.Bool
	mu        sync.Mutex
	nextProbe time.Time
}

var _ Limiter = (*Fallback)(nil)

// NewFallback returns a Fallback from primary to an in-process Memory limiter.
func NewFallback(primary Limiter, logger *slog.Logger) *Fallback {
	return &Fallback{Primary: primary, Backup: NewMemory(), Logger: logger}
}

// Allow implements Limiter.
func (f *Fallback) Allow(ctx context.Context, key string, limit int, window time.Duration) (Decision, error) {
	return f.check(ctx, func(l Limiter) (Decision, error) { return l.Allow(ctx, key, limit, window) })
}

// Peek implements Limiter.
func (f *Fallback) Peek(ctx context.Context, key string, limit int, window time.Duration) (Decision, error) {
	return f.check(ctx, func(l Limiter) (Decision, error) { return l.Peek(ctx, key, limit, window) })
}

// Degraded reports whether calls currently go to Backup.
func (f *Fallback) Degraded() bool { return f.down.Load() }

func (f *Fallback) check(ctx context.Context, call func(Limiter) (Decision, error)) (Decision, error) {
	if f.tryPrimary() {
		d, err := call(f.Primary)
		// A bad limit is the caller's bug and a cancelled request is no outage: neither switches over.
		if err == nil || errors.Is(err, ErrInvalidLimit) || ctx.Err() != nil {
			if err == nil {
				f.recovered(ctx)
			}
			return d, err
		}
		f.failed(ctx, err)
	}
	return call(f.Backup)
}

// tryPrimary says whether this call asks Primary: always while it is up, and once per RetryEvery while
// it is down.
func (f *Fallback) tryPrimary() bool {
	if !f.down.Load() {
		return true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if now.Before(f.nextProbe) {
		return false
	}
	f.nextProbe = now.Add(f.retryEvery())
	return true
}

func (f *Fallback) failed(ctx context.Context, err error) {
	f.mu.Lock()
	f.nextProbe = f.now().Add(f.retryEvery())
	f.mu.Unlock()
	started := !f.down.Swap(true)
	if started {
		f.logger().WarnContext(ctx, "rate limiter: Redis unavailable, counting in process until it answers", "err", err)
	}
}

func (f *Fallback) recovered(ctx context.Context) {
	if f.down.Swap(false) {
		f.logger().InfoContext(ctx, "rate limiter: Redis answers again, counting there")
	}
}

func (f *Fallback) retryEvery() time.Duration {
	if f.RetryEvery <= 0 {
		return time.Second
	}
	return f.RetryEvery
}

func (f *Fallback) now() time.Time {
	if f.Now == nil {
		return time.Now()
	}
	return f.Now()
}

func (f *Fallback) logger() *slog.Logger {
	if f.Logger == nil {
		return slog.Default()
	}
	return f.Logger
}
