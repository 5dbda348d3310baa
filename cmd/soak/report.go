package main

import (
	"fmt"
	"os"
	"time"
)

// maxErrorRate is the share of failed requests that fails the soak (0.1 %).
const maxErrorRate = 0.001

// report prints the figures and returns the soak's failures (none means it passed).
func report(o options, s *stats, m *monitor, st *stack) []string {
	fmt.Println()
	s.print(os.Stdout)
	t := s.totals()
	fmt.Printf("\ntotal %d requests in %v (%.1f req/s), %d errors (%.3f %%), %d 5xx\n",
		t.requests, s.elapsed.Round(time.Second), float64(t.requests)/s.elapsed.Seconds(), t.errors,
		100*t.errorRate(), t.serverErrors)
	var failures []string
	if t.serverErrors > 0 {
		failures = append(failures, fmt.Sprintf("%d requests answered 5xx (see %s)", t.serverErrors, st.api.log))
	}
	if t.errorRate() >= maxErrorRate {
		failures = append(failures, fmt.Sprintf("error rate %.3f %% ≥ %.1f %%", 100*t.errorRate(), 100*maxErrorRate))
	}
	failures = append(failures, reportMemory(o, s.elapsed, m)...)
	first, last := m.samples[0], m.samples[len(m.samples)-1]
	fmt.Printf("PostgreSQL connections to %s: %d at start, %d at end, %d at most\n",
		o.database, first.conns, last.conns, m.maxConns())
	for _, p := range m.procs {
		if p.exited() {
			failures = append(failures, fmt.Sprintf("the %s exited during the soak (see %s)", p.name, p.log))
		}
	}
	return failures
}

// reportMemory compares each process's mean RSS just after the warm-up with its mean over the last window.
func reportMemory(o options, elapsed time.Duration, m *monitor) []string {
	window := rssWindow(o)
	fmt.Printf("\n%-8s %12s %16s %12s %8s   (RSS; means over %v windows)\n",
		"process", "at start", "after warm-up", "at end", "growth", window)
	var failures []string
	for i, p := range m.procs {
		base := m.meanRSS(i, o.warmup, o.warmup+window)
		end := m.meanRSS(i, elapsed-window, elapsed+time.Nanosecond)
		growth := 0.0
		if base > 0 {
			growth = 100 * float64(end-base) / float64(base)
		}
		fmt.Printf("%-8s %12s %16s %12s %7.1f%%\n", p.name, mib(m.samples[0].rss[i]), mib(base), mib(end), growth)
		if growth > o.maxRSSGrowth {
			failures = append(failures, fmt.Sprintf("%s RSS grew %.1f %% after the warm-up (limit %.0f %%)",
				p.name, growth, o.maxRSSGrowth))
		}
	}
	return failures
}

func mib(kb int) string { return fmt.Sprintf("%.1f MiB", float64(kb)/1024) }
