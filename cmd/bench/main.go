// Command bench is `make bench`: it seeds 100 organizations × 2,000 clients into a fresh database, runs the
// real API in-process on a loopback port, and load-tests the client list with 16 keep-alive connections;
// then the dashboard of an organization of the insight issue's size, 8 at a time (dashboard.go); then it seeds 50 projects × 2,000 tasks into one organization and load-tests the board, a filtered task
// list, task moves and task details, printing requests per second, p50 and p99 for each scenario. The
// live updates part (stream.go) compares task create and move with the notification fan-out off and on,
// and holds 2,000 SSE streams on one API process to report its memory and the move-to-event delay.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/cmd/internal/app"
	"github.com/clientflow/clientflow/cmd/internal/loadtest"
	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

var (
	orgs     = flag.Int("orgs", 100, "organizations to seed")
	perOrg   = flag.Int("clients", 2000, "clients per organization")
	conns    = flag.Int("c", 16, "concurrent connections")
	duration = flag.Duration("d", 10*time.Second, "duration of each scenario")
	dbName   = flag.String("db", "clientflow_bench", "database to (re)create on the local server")
	only     = flag.String("only", "", `run one part: "clients", "dashboard", "tasks" or "stream" (default all)`)
	cpuProf  = flag.String("cpuprofile", "", "write a CPU profile of the task part (API and load generator) to this file")
)

func main() {
	flag.Parse()
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	dsn, err := freshDatabase(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("seeding %d orgs × %d clients…\n", *orgs, *perOrg)
	start := time.Now()
	orgID, err := seed(ctx, dsn)
	if err != nil {
		return err
	}
	fmt.Printf("seeded in %v\n", time.Since(start).Round(time.Millisecond))

	base, stop, err := startAPI(ctx, dsn)
	if err != nil {
		return err
	}
	defer stop()
	clients, err := signedInClients(base, *conns)
	if err != nil {
		return err
	}
	list := base + "/api/v1/orgs/" + orgID + "/clients"
	header := func() {
		fmt.Printf("\n%-34s %10s %9s %9s %9s\n", fmt.Sprintf("scenario (%d connections)", *conns), "req/s", "p50", "p99", "errors")
	}
	if *only == "" || *only == "clients" {
		header()
		for _, sc := range []struct{ name, url string }{
			{"GET clients?limit=50", list + "?limit=50"},
			{"GET clients?q=globex&limit=50", list + "?q=globex&limit=50"},
			{"GET clients?status=archived", list + "?status=archived&limit=50"},
		} {
			report(sc.name, load(clients, sc.url, *duration))
		}
	}
	if *only == "" || *only == "dashboard" {
		if err := dashboardPart(ctx, dsn, base, clients); err != nil {
			return err
		}
	}
	if *only == "clients" || *only == "dashboard" {
		return nil
	}

	fmt.Printf("\nseeding %d projects × %d tasks into the first org…\n", taskProjects, tasksPerProject)
	start = time.Now()
	tasks, err := seedTasks(ctx, dsn, orgID)
	if err != nil {
		return err
	}
	fmt.Printf("seeded in %v\n", time.Since(start).Round(time.Millisecond))
	if *cpuProf != "" {
		f, err := os.Create(*cpuProf)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *only != "stream" {
		header()
		for _, sc := range taskScenarios(base, orgID, tasks) {
			report(sc.name, loadRequests(clients, sc.request, taskDuration))
		}
	}
	if *only == "tasks" {
		return nil
	}
	return streamPart(ctx, dsn, base, orgID, tasks, clients)
}

// scenario is one kind of request the load generator repeats.
type scenario struct {
	name    string
	request func() *http.Request
}

func report(name string, r result) {
	fmt.Printf("%-34s %10.0f %9s %9s %9d\n", name, r.rps, r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.errors)
}

// freshDatabase drops and recreates the bench database and migrates it.
func freshDatabase(ctx context.Context) (string, error) {
	admin, err := sql.Open("pgx", storetest.AdminURL())
	if err != nil {
		return "", err
	}
	defer admin.Close()
	return loadtest.FreshDatabase(ctx, admin, *dbName)
}

var companies = []string{"Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Acme", "Stark", "Wayne", "Wonka", "Tyrell",
	"Cyberdyne", "Soylent", "Oscorp", "Aperture", "Massive", "Dunder", "Pied Piper", "Gringotts", "Monarch", "Nakatomi"}

// seed bulk-loads the organizations, the bench user (a member of every org) and the clients as the owner.
func seed(ctx context.Context, dsn string) (string, error) {
	db, err := store.Open(ctx, dsn, store.Options{Owner: true, MaxConns: 4})
	if err != nil {
		return "", err
	}
	defer db.Close()
	b := db.Bun()
	hash, err := apiHash()
	if err != nil {
		return "", err
	}
	userID := uuid.Must(uuid.NewV7()).String()
	if _, err := b.ExecContext(ctx, "INSERT INTO users (id, name, email, password_hash) VALUES (?, 'Bench', 'bench@example.com', ?)", userID, hash); err != nil {
		return "", err
	}
	var first string
	for o := 0; o < *orgs; o++ {
		orgID := uuid.Must(uuid.NewV7()).String()
		if o == 0 {
			first = orgID
		}
		if _, err := b.ExecContext(ctx, `INSERT INTO organizations (id, name, slug) VALUES (?, ?, ?);`,
			orgID, fmt.Sprintf("Org %d", o), fmt.Sprintf("org-%d", o)); err != nil {
			return "", err
		}
		// An active Professional subscription: the bench measures the API, not the trial's read-only mode.
		if _, err := b.ExecContext(ctx, `INSERT INTO subscriptions (organization_id, plan_id, status) VALUES (?, 'professional', 'active')`,
			orgID); err != nil {
			return "", err
		}
		if _, err := b.ExecContext(ctx, `INSERT INTO organization_settings (organization_id) VALUES (?);
			INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (?, ?, ?, 'owner')`,
			orgID, uuid.Must(uuid.NewV7()).String(), orgID, userID); err != nil {
			return "", err
		}
		ids, names, emails, comps, statuses := make([]string, *perOrg), make([]string, *perOrg), make([]string, *perOrg), make([]string, *perOrg), make([]string, *perOrg)
		for i := range ids {
			ids[i] = uuid.Must(uuid.NewV7()).String()
			comps[i] = companies[(i*7+o)%len(companies)]
			names[i] = fmt.Sprintf("%s client %d", comps[i], i)
			emails[i] = fmt.Sprintf("contact%d@%s.example", i, strings.ToLower(strings.ReplaceAll(comps[i], " ", "")))
			statuses[i] = "active"
			if i%10 == 0 {
				statuses[i] = "archived"
			}
		}
		if _, err := b.ExecContext(ctx, `INSERT INTO clients (id, organization_id, name, email, company, status)
			SELECT unnest(?::uuid[]), ?, unnest(?::text[]), unnest(?::text[]), unnest(?::text[]), unnest(?::text[])`,
			pgdialect.Array(ids), orgID, pgdialect.Array(names), pgdialect.Array(emails), pgdialect.Array(comps), pgdialect.Array(statuses)); err != nil {
			return "", err
		}
	}
	_, err = b.ExecContext(ctx, "ANALYZE")
	return first, err
}

// startAPI runs the real API (in-process rate limiter, or Redis when REDIS_URL is set) on a loopback port.
func startAPI(ctx context.Context, dsn string) (string, func(), error) {
	cfg, err := config.Load()
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg.DatabaseURL, cfg.AppURL, cfg.Env = dsn, "http://"+addr, config.EnvProduction
	cfg.SessionSecret = strings.Repeat("b", 40)
	// The limiter still runs on every request; the count is raised so the bench measures the API, not 429s.
	cfg.RateLimitAPI = 1 << 30
	cfg.RateLimitSession = 1 << 30
	cfg.RateLimitAuth = 1 << 30
	if err := cfg.Validate(); err != nil {
		return "", nil, err
	}
	a, err := app.NewAPI(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)), nil)
	if err != nil {
		return "", nil, err
	}
	if err := a.Listen(addr); err != nil {
		return "", nil, err
	}
	go a.Serve()
	return cfg.AppURL, func() { a.Close() }, nil
}

// signedInClients gives each connection its own keep-alive client with its own session.
func signedInClients(base string, n int) ([]*http.Client, error) {
	out := make([]*http.Client, n)
	for i := range out {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		res, err := c.Post(base+"/api/v1/auth/sign-in", "application/json",
			strings.NewReader(`{"email":"bench@example.com","password":"bench-password"}`))
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("sign-in: %s", res.Status)
		}
		u, _ := url.Parse(base)
		if len(jar.Cookies(u)) == 0 {
			return nil, fmt.Errorf("sign-in set no cookie")
		}
		out[i] = c
	}
	return out, nil
}

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

// load hits url from every client until d has passed and summarises the latencies.
func load(clients []*http.Client, target string, d time.Duration) result {
	return loadRequests(clients, func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		return req
	}, d)
}

// loadRequests sends request() from every client until d has passed and summarises the latencies.
func loadRequests(clients []*http.Client, request func() *http.Request, d time.Duration) result {
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func(c *http.Client) {
			defer wg.Done()
			var lat []time.Duration
			bad := 0
			for time.Now().Before(deadline) {
				t0 := time.Now()
				res, err := c.Do(request())
				if err != nil {
					bad++
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode/100 != 2 {
					bad++
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all, errs = append(all, lat...), errs+bad
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) == 0 {
		return result{errors: errs}
	}
	pct := func(p float64) time.Duration { return all[int(float64(len(all)-1)*p)] }
	return result{rps: float64(len(all)) / d.Seconds(), p50: pct(0.50), p99: pct(0.99), errors: errs}
}

func apiHash() (string, error) { return api.HashPassword("bench-password") }
