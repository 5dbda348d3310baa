package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// maxInFlight bounds the requests outstanding at once. An open-loop generator never waits for the server,
// so without a bound a stalled API would make it pile up goroutines; an arrival over the bound is counted
// as an error ("load generator saturated") rather than silently delayed.
const maxInFlight = 512

var errSaturated = errors.New("load generator saturated: too many requests in flight")

// drive sends operations from mix at a fixed arrival rate (open loop: one arrival every 1/rate seconds,
// whatever the server's pace) until d has passed or ctx ends, then waits for the requests in flight.
// Latency is measured from the scheduled arrival, so a server that falls behind shows it in p99
// instead of hiding it by slowing the generator (coordinated omission).
func drive(ctx context.Context, t *traffic, rate float64, d time.Duration) *stats {
	s := newStats()
	interval := time.Duration(float64(time.Second) / rate)
	slots := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= d || !sleepUntil(ctx, at) {
			break
		}
		op := choose()
		select {
		case slots <- struct{}{}:
		default:
			s.record(op.name, 0, 0, errSaturated)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			status, err := op.do(ctx, t)
			s.record(op.name, time.Since(at), status, err)
		}()
	}
	wg.Wait()
	s.elapsed = time.Since(start)
	return s
}

// sleepUntil waits for the moment at; false when ctx ended first.
func sleepUntil(ctx context.Context, at time.Time) bool {
	wait := time.Until(at)
	if wait <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

var totalWeight = func() int {
	sum := 0
	for _, op := range mix {
		sum += op.weight
	}
	return sum
}()

// choose draws an operation in proportion to its weight.
func choose() operation {
	n := rand.IntN(totalWeight)
	for _, op := range mix {
		if n < op.weight {
			return op
		}
		n -= op.weight
	}
	panic("unreachable: weights sum to totalWeight")
}

// stats collects every request's outcome per operation.
type stats struct {
	mu      sync.Mutex
	ops     map[string]*opStats
	elapsed time.Duration
}

// opStats is one operation's outcomes. A request succeeds with a 2xx; anything else is an error, and
// serverErrors counts the 5xx among them.
type opStats struct {
	// count includes arrivals refused as saturated, which have no latency.
	count        int
	latencies    []time.Duration
	errors       int
	serverErrors int
	// firstError says what went wrong first, so a failing soak names its cause.
	firstError string
}

func newStats() *stats { return &stats{ops: map[string]*opStats{}} }

func (s *stats) record(name string, latency time.Duration, status int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.ops[name]
	if o == nil {
		o = &opStats{}
		s.ops[name] = o
	}
	o.count++
	if latency > 0 {
		o.latencies = append(o.latencies, latency)
	}
	if status >= 500 {
		o.serverErrors++
	}
	if err == nil && status >= 200 && status < 300 {
		return
	}
	o.errors++
	if o.firstError == "" {
		o.firstError = fmt.Sprintf("status %d: %v", status, err)
	}
}

// totals are the whole run's counts.
type totals struct{ requests, errors, serverErrors int }

func (s *stats) totals() totals {
	var t totals
	for _, o := range s.ops {
		t.requests += o.count
		t.errors += o.errors
		t.serverErrors += o.serverErrors
	}
	return t
}

// errorRate is errors per request, 0 when nothing was sent.
func (t totals) errorRate() float64 {
	if t.requests == 0 {
		return 0
	}
	return float64(t.errors) / float64(t.requests)
}

// percentile of sorted latencies (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[int(float64(len(sorted)-1)*p)]
}

// print writes the per-operation table in mix order.
func (s *stats) print(w io.Writer) {
	fmt.Fprintf(w, "%-14s %7s %7s %5s %10s %10s %10s\n", "operation", "count", "errors", "5xx", "p50", "p99", "max")
	for _, op := range mix {
		o := s.ops[op.name]
		if o == nil {
			continue
		}
		lat := slices.Clone(o.latencies)
		slices.Sort(lat)
		fmt.Fprintf(w, "%-14s %7d %7d %5d %10s %10s %10s\n", op.name, o.count, o.errors, o.serverErrors,
			round(percentile(lat, 0.50)), round(percentile(lat, 0.99)), round(percentile(lat, 1)))
	}
	for _, op := range mix {
		if o := s.ops[op.name]; o != nil && o.firstError != "" {
			fmt.Fprintf(w, "  first error of %s: %s\n", op.name, o.firstError)
		}
	}
}

func round(d time.Duration) time.Duration {
	if d > 100*time.Millisecond {
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Microsecond)
}
