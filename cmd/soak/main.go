// Command soak is `make soak`: it runs the real api and worker binaries (built into a temporary directory)
// against a fresh PostgreSQL database, Redis and a Temporal dev server from the pinned CLI, sends them mixed
// traffic at a fixed arrival rate for a while (10 minutes by default), and reports p50/p99 per operation,
// the error rate, the RSS of both processes and the database's connections. It exits non-zero when any
// request answered 5xx, when errors reach 0.1 %, when a process died, when either process's RSS grew by
// more than 10 % between the end of the warm-up and the end of the run, or when the worker has not purged
// every deleted file's content a minute after the traffic.
//
// Rate limits are raised for the soak's processes (RATE_LIMIT_*): every request comes from one IP and a few
// sessions, and the soak measures the API under load, not the limiter's 429s. The limiter still runs, in
// Redis, on every request.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/clientflow/clientflow/cmd/internal/loadtest"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// options are the soak's flags.
type options struct {
	duration, warmup time.Duration
	rate             float64
	sessions         int
	database         string
	redisURL         string
	temporalCLI      string
	maxRSSGrowth     float64
}

func parseFlags() options {
	var o options
	flag.DurationVar(&o.duration, "duration", 10*time.Minute, "how long to send traffic")
	flag.DurationVar(&o.warmup, "warmup", 0, "warm-up before the RSS baseline is taken (default a fifth of -duration)")
	flag.Float64Var(&o.rate, "rate", 50, "requests per second (a fixed arrival rate, whatever the latency)")
	flag.IntVar(&o.sessions, "sessions", 8, "signed-in sessions the traffic is spread over")
	flag.StringVar(&o.database, "db", "clientflow_soak", "database to (re)create on the local server")
	flag.StringVar(&o.redisURL, "redis", "redis://127.0.0.1:6379/9",
		"Redis for rate limits (its own logical database, away from other programs' keys)")
	flag.StringVar(&o.temporalCLI, "temporal-cli", defaultTemporalCLI(), "the pinned Temporal CLI")
	flag.Float64Var(&o.maxRSSGrowth, "max-rss-growth", 10, "RSS growth after the warm-up that fails the soak, in percent")
	flag.Parse()
	if o.warmup == 0 {
		o.warmup = o.duration / 5
	}
	return o
}

func defaultTemporalCLI() string {
	if p := os.Getenv("TEMPORAL_CLI"); p != "" {
		return p
	}
	return filepath.Join(".bin", "temporal")
}

func main() {
	o := parseFlags()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	failures, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	if len(failures) > 0 {
		fmt.Println("\nFAIL")
		for _, f := range failures {
			fmt.Println("  -", f)
		}
		os.Exit(1)
	}
	fmt.Println("\nPASS")
}

// run sets up the stack, drives the traffic and returns what failed.
func run(ctx context.Context, o options) (failures []string, err error) {
	if o.rate <= 0 || o.duration <= 0 || o.warmup >= o.duration || o.sessions < 1 {
		return nil, errors.New("need -rate > 0, -duration > -warmup ≥ 0 and -sessions ≥ 1")
	}
	admin, err := sql.Open("pgx", storetest.AdminURL())
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	dir, err := os.MkdirTemp("", "clientflow-soak-")
	if err != nil {
		return nil, err
	}
	fmt.Printf("soak: %v at %.0f req/s; binaries, data and logs in %s (kept if the soak fails)\n", o.duration, o.rate, dir)
	// Registered before the stack's stop, so it runs after the processes have ended.
	defer func() {
		if err == nil && len(failures) == 0 {
			os.RemoveAll(dir)
		}
	}()
	fix, dsn, err := prepare(ctx, admin, o.database, dir)
	if err != nil {
		return nil, err
	}
	st, err := startStack(ctx, o, dsn, dir)
	if err != nil {
		return nil, err
	}
	defer st.stop()
	t, err := newTraffic(ctx, st.base, fix, o.sessions)
	if err != nil {
		return nil, err
	}
	m := &monitor{admin: admin, database: o.database, procs: []*process{st.api, st.worker}}
	m.sample(ctx, 0)
	fmt.Printf("sending traffic for %v (warm-up %v)…\n", o.duration, o.warmup)
	stopSampling := m.every(ctx, sampleInterval(o))
	s := drive(ctx, t, o.rate, o.duration)
	stopSampling()
	m.sample(ctx, s.elapsed)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	failures = report(o, s, m, st)
	return append(failures, checkPurged(ctx, dsn)...), nil
}

// checkPurged reports whether the worker removed every deleted file's stored content within a minute of
// the traffic's end (it reads file_purges as the superuser, which row-level security does not filter).
func checkPurged(ctx context.Context, dsn string) []string {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return []string{err.Error()}
	}
	defer db.Close()
	queued, err := waitPurged(ctx, db, time.Minute)
	if err != nil {
		return []string{"read the file purge queue: " + err.Error()}
	}
	fmt.Printf("file purges still queued a minute after the traffic: %d\n", queued)
	if queued > 0 {
		return []string{fmt.Sprintf("the worker left %d deleted files unpurged", queued)}
	}
	return nil
}

// prepare creates, migrates and seeds the database and builds the binaries.
func prepare(ctx context.Context, admin *sql.DB, database, dir string) (fixture, string, error) {
	dsn, err := loadtest.FreshDatabase(ctx, admin, database)
	if err != nil {
		return fixture{}, "", fmt.Errorf("create database %s: %w", database, err)
	}
	owner, err := store.Open(ctx, dsn, store.Options{Owner: true, MaxConns: 2})
	if err != nil {
		return fixture{}, "", err
	}
	defer owner.Close()
	fix, err := seed(ctx, owner)
	if err != nil {
		return fixture{}, "", err
	}
	fmt.Println("soak: building ./cmd/api and ./cmd/worker…")
	return fix, dsn, buildBinaries(ctx, dir)
}

// stack is the running programs: Temporal, the worker and the API.
type stack struct {
	base        string
	api, worker *process
	stop        func()
}

// startStack starts Temporal, the worker and the API with the soak's settings and waits for /readyz.
func startStack(ctx context.Context, o options, dsn, dir string) (*stack, error) {
	srv, err := startTemporal(ctx, o.temporalCLI, "clientflow")
	if err != nil {
		return nil, fmt.Errorf("start Temporal: %w", err)
	}
	addr, err := freeAddr()
	if err != nil {
		srv.Stop()
		return nil, err
	}
	st := &stack{base: "http://" + addr}
	env := []string{"APP_ENV=production", "APP_URL=" + st.base, "HTTP_ADDR=" + addr, "LOG_LEVEL=warn",
		"DATA_DIR=" + filepath.Join(dir, "data"), "FILES_DIR=" + filepath.Join(dir, "data", "files"),
		"DATABASE_URL=" + dsn, "REDIS_URL=" + o.redisURL, "SESSION_SECRET=" + rand.Text() + rand.Text(),
		"TEMPORAL_ADDRESS=" + srv.FrontendHostPort(), "TEMPORAL_NAMESPACE=clientflow", "TEMPORAL_TASK_QUEUE=soak",
		"RATE_LIMIT_API_PER_MINUTE=1000000000", "RATE_LIMIT_SESSION_PER_MINUTE=1000000000", "RATE_LIMIT_AUTH_PER_10S=1000000000"}
	st.stop = func() {
		for _, p := range []*process{st.api, st.worker} {
			if p != nil {
				p.stop()
			}
		}
		srv.Stop()
	}
	if st.worker, err = startProcess("worker", filepath.Join(dir, "worker"), dir, env); err == nil {
		st.api, err = startProcess("api", filepath.Join(dir, "api"), dir, env)
	}
	if err == nil {
		err = waitReady(ctx, st.base, st.api)
	}
	if err != nil {
		st.stop()
		return nil, err
	}
	return st, nil
}

// sampleInterval spaces the RSS samples so that each comparison window holds several.
func sampleInterval(o options) time.Duration {
	return min(5*time.Second, max(time.Second, rssWindow(o)/4))
}

// rssWindow is how long the baseline (after the warm-up) and the end are averaged over: a Go process's
// RSS moves with each GC cycle, so single readings would compare noise.
func rssWindow(o options) time.Duration {
	return min(time.Minute, (o.duration-o.warmup)/4)
}

// sample is one reading of both processes' RSS (kB) and the database's connections.
type sample struct {
	at    time.Duration
	rss   []int
	conns int
}

// monitor samples the processes and the database while the traffic runs.
type monitor struct {
	admin    *sql.DB
	database string
	procs    []*process

	mu      sync.Mutex
	samples []sample
}

func (m *monitor) sample(ctx context.Context, at time.Duration) {
	s := sample{at: at}
	for _, p := range m.procs {
		kb, _ := p.rssKB() // a dead process reads 0, and its exit fails the soak anyway
		s.rss = append(s.rss, kb)
	}
	s.conns, _ = pgConnections(ctx, m.admin, m.database)
	m.mu.Lock()
	m.samples = append(m.samples, s)
	m.mu.Unlock()
}

// every samples at each interval until the returned function is called.
func (m *monitor) every(ctx context.Context, interval time.Duration) func() {
	start := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				m.sample(ctx, time.Since(start))
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// meanRSS averages process i's RSS over the samples taken in [from, to).
func (m *monitor) meanRSS(i int, from, to time.Duration) int {
	sum, n := 0, 0
	for _, s := range m.samples {
		if s.at >= from && s.at < to {
			sum, n = sum+s.rss[i], n+1
		}
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

// maxConns is the most connections seen.
func (m *monitor) maxConns() int {
	most := 0
	for _, s := range m.samples {
		most = max(most, s.conns)
	}
	return most
}
