package ratelimit

import (
	"context"
	"sync"
	"time"
)

// minSweepEvery keeps sweeps rare when there are few keys.
const minSweepEvery = 1024

// Memory is an in-process Limiter for a single node (local development, tests).
// It is safe for concurrent use and needs no background goroutine: expired
// events are dropped when their key is touched, and idle keys are swept once
// the number of calls since the last sweep reaches the number of keys, which
// keeps the sweep's cost O(1) per call on average.
type Memory struct {
	// Now returns the current time; nil means time.Now. Tests set it, before first use, to drive time.
	Now func() time.Time

	mu         sync.Mutex
	keys       map[string]*eventLog
	sinceSweep int
}

// eventLog holds one key's admitted events in ascending millisecond order.
type eventLog struct {
	events []int64
	// idleAt is when the newest event leaves its window; the key is then empty.
	idleAt int64
}

var _ Limiter = (*Memory)(nil)

// NewMemory returns an empty in-process Limiter.
func NewMemory() *Memory {
	return &Memory{keys: make(map[string]*eventLog)}
}

// Allow implements Limiter.
func (m *Memory) Allow(ctx context.Context, key string, limit int, window time.Duration) (Decision, error) {
	if err := checkArgs(limit, window); err != nil {
		return Decision{}, err
	}
	// Match the Redis limiter, which cannot answer on a cancelled context.
	if err := ctx.Err(); err != nil {
		return Decision{}, err
	}
	now, win := nowMillis(m.Now), window.Milliseconds()

	m.mu.Lock()
	defer m.mu.Unlock()
	m.maybeSweep(now)
	events := m.keys[key]
	if events == nil {
		events = &eventLog{}
		m.keys[key] = events
	}
	return events.allow(now, win, limit), nil
}

// Peek implements Limiter.
func (m *Memory) Peek(ctx context.Context, key string, limit int, window time.Duration) (Decision, error) {
	if err := checkArgs(limit, window); err != nil {
		return Decision{}, err
	}
	if err := ctx.Err(); err != nil {
		return Decision{}, err
	}
	now, win := nowMillis(m.Now), window.Milliseconds()

	m.mu.Lock()
	defer m.mu.Unlock()
	events := m.keys[key]
	if events == nil {
		return allowed(limit, 1), nil
	}
	events.dropBefore(now - win)
	if used := len(events.events); used >= limit {
		return refused(limit, events.events[used-limit]+win-now), nil
	}
	return allowed(limit, len(events.events)+1), nil
}

// Len reports how many keys hold state; idle keys are evicted, so it tracks recent callers.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.keys)
}

// allow applies the sliding-log rule shared with the Redis script.
func (l *eventLog) allow(now, window int64, limit int) Decision {
	l.dropBefore(now - window)
	if used := len(l.events); used >= limit {
		// The event whose expiry brings the count under limit; the oldest
		// unless the limit was lowered since the events were admitted.
		return refused(limit, l.events[used-limit]+window-now)
	}
	l.events = append(l.events, now)
	l.idleAt = now + window
	return allowed(limit, len(l.events))
}

// dropBefore forgets events at or before cutoff, i.e. those a full window old.
func (l *eventLog) dropBefore(cutoff int64) {
	i := 0
	for i < len(l.events) && l.events[i] <= cutoff {
		i++
	}
	l.events = l.events[i:]
}

// maybeSweep evicts idle keys; the caller holds m.mu.
func (m *Memory) maybeSweep(now int64) {
	m.sinceSweep++
	if m.sinceSweep < max(minSweepEvery, len(m.keys)) {
		return
	}
	m.sinceSweep = 0
	for key, events := range m.keys {
		if events.idleAt <= now {
			delete(m.keys, key)
		}
	}
}
