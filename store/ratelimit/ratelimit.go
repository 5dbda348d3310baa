// Package ratelimit admits at most N events per key within any sliding window.
//
// Both implementations keep an exact log of admitted events per key rather than
// the seed's weighted two-bucket approximation (@upstash/ratelimit
// slidingWindow): the limits we enforce are small (10 and 120 per window), so an
// exact log costs little memory and never admits a burst at a bucket edge.
//
// Like the seed, refused calls are not recorded: a client hammering a closed
// door regains access as soon as its admitted events age out, instead of
// locking itself out for as long as it keeps retrying.
//
// Time is kept in whole milliseconds so the Redis and in-process limiters make
// identical decisions; RetryAfter is therefore rounded up to the millisecond.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrInvalidLimit is returned when limit < 1 or window < 1ms; it is a programming error, not a refusal.
var ErrInvalidLimit = errors.New("ratelimit: limit must be at least 1 and window at least 1ms")

// Decision is the outcome of one rate-limit check.
type Decision struct {
	// Allowed reports whether the event was admitted (and recorded).
	Allowed bool
	// Limit is the limit the check was made against.
	Limit int
	// Remaining is how many more events the key may make right now.
	Remaining int
	// RetryAfter is how long until the oldest admitted event leaves the window; zero when allowed.
	RetryAfter time.Duration
}

// Limiter admits at most limit events per key within any window-long interval (sliding window).
type Limiter interface {
	// Allow records one event for key if fewer than limit were admitted in the last window.
	// It returns ErrInvalidLimit for a bad limit or window, or the store's error.
	Allow(ctx context.Context, key string, limit int, window time.Duration) (Decision, error)
	// Peek answers what Allow would, without recording an event: limits that count only some outcomes
	// (failed sign-ins) check first and record afterwards.
	Peek(ctx context.Context, key string, limit int, window time.Duration) (Decision, error)
}

// checkArgs rejects arguments that would make every call silently refuse or admit.
func checkArgs(limit int, window time.Duration) error {
	if limit < 1 || window < time.Millisecond {
		return fmt.Errorf("%w (got limit %d, window %s)", ErrInvalidLimit, limit, window)
	}
	return nil
}

// nowMillis reads the injected clock, falling back to the wall clock.
func nowMillis(now func() time.Time) int64 {
	if now == nil {
		return time.Now().UnixMilli()
	}
	return now().UnixMilli()
}

// allowed builds the decision for an admitted event.
func allowed(limit, used int) Decision {
	return Decision{Allowed: true, Limit: limit, Remaining: limit - used}
}

// refused builds the decision for a refused event.
func refused(limit int, retryAfterMillis int64) Decision {
	return Decision{Limit: limit, RetryAfter: time.Duration(retryAfterMillis) * time.Millisecond}
}
