package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/cmd/internal/app"
	"github.com/clientflow/clientflow/cmd/internal/loadtest"
	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/store"
)

// Live updates part: the write path with the notification fan-out off and on, then one API process (the
// real binary, so its memory is its own) holding many SSE connections, and the delay from a task move to
// its event at every connected client.
var (
	sseConns    = flag.Int("sse", 2000, "SSE connections one API process holds")
	sseLatency  = flag.Int("sse-latency", 1000, "connected clients the move-to-event delay is measured at")
	sseMoves    = flag.Int("sse-moves", 100, "task moves whose delivery is timed")
	fanOutRate  = flag.Int("fanout-rate", 40, "requests per second of the fixed-rate fan-out comparison")
	temporalCLI = flag.String("temporal-cli", ".bin/temporal", "the pinned Temporal CLI (for the fan-out on run)")
)

// streamPart runs the live updates scenarios against the seeded board project.
func streamPart(ctx context.Context, dsn, base, orgID string, f loadtest.Project, clients []*http.Client) error {
	raiseFileLimit()
	if err := fanOutOverhead(ctx, dsn, base, orgID, f, clients); err != nil {
		return err
	}
	return sseScale(ctx, dsn, orgID, f)
}

// raiseFileLimit lifts the open-file limit to its hard maximum: thousands of connections need as many
// descriptors, and the API child process inherits the limit.
func raiseFileLimit() {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}

// writeScenarios are the writes whose latency the fan-out must not hurt: a task created, a task moved.
func writeScenarios(base, orgID string, f loadtest.Project) []scenario {
	project := base + "/api/v1/orgs/" + orgID + "/projects/" + f.ID
	var n atomic.Int64
	create := func() *http.Request {
		body := fmt.Sprintf(`{"title":"Bench task %d"}`, n.Add(1))
		req, _ := http.NewRequest(http.MethodPost, project+"/tasks", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", base)
		return req
	}
	move := taskScenarios(base, orgID, f)[2]
	return []scenario{{"POST tasks (create)", create}, move}
}

// fanOutRounds alternates the off and on runs, so load that comes and goes on the machine (the bench
// shares it) weighs on both; each mode's best p99 is compared.
const fanOutRounds = 2

// fanOutOverhead measures create and move with no worker (domain events wait in the queue), then with
// the worker's relay and FanOut workflows running on a Temporal dev server, alternating fanOutRounds times.
func fanOutOverhead(ctx context.Context, dsn, base, orgID string, f loadtest.Project, clients []*http.Client) error {
	fmt.Printf("\nfan-out overhead (%d connections, %v per scenario, %d rounds)\n", *conns, taskDuration, fanOutRounds)
	fmt.Printf("%-34s %10s %9s %9s %9s\n", "scenario", "req/s", "p50", "p99", "errors")
	srv, err := startTemporal(ctx)
	if err != nil {
		return err
	}
	defer srv.Stop()
	best := map[string]time.Duration{}
	keep := func(key string, r result) {
		if b, ok := best[key]; !ok || r.p99 < b {
			best[key] = r.p99
		}
	}
	for range fanOutRounds {
		measure := func(mode string) {
			for _, sc := range writeScenarios(base, orgID, f) {
				r := loadRequests(clients, sc.request, taskDuration)
				report(sc.name+", fan-out "+mode, r)
				keep(sc.name+"/"+mode, r)
				r = loadRate(clients, sc.request, *fanOutRate, taskDuration)
				report(fmt.Sprintf("%s at %d/s, fan-out %s", sc.name, *fanOutRate, mode), r)
				keep(sc.name+"/rate/"+mode, r)
			}
		}
		measure("off")
		if err := fanOutOn(ctx, dsn, srv.FrontendHostPort(), func() { measure("on") }); err != nil {
			return err
		}
	}
	for _, sc := range writeScenarios(base, orgID, f) {
		for _, load := range []struct{ name, key string }{{"16 connections", ""}, {fmt.Sprintf("%d/s", *fanOutRate), "/rate"}} {
			off, on := best[sc.name+load.key+"/off"], best[sc.name+load.key+"/on"]
			fmt.Printf("%-20s %-16s best p99 off %v, on %v: %+.1f %%\n", sc.name, load.name, off.Round(10*time.Microsecond),
				on.Round(10*time.Microsecond), 100*(float64(on)/float64(off)-1))
		}
	}
	return nil
}

// loadRate sends request() at a fixed rate for d, round robin over the clients, and measures each latency
// from the request's scheduled time (open loop: a server that falls behind shows in p99 instead of slowing
// the generator). Unlike the closed loop it leaves the cores room, so it shows what the fan-out costs a
// write when the machine is not already saturated by the writes themselves.
func loadRate(clients []*http.Client, request func() *http.Request, rate int, d time.Duration) result {
	interval := time.Second / time.Duration(rate)
	n := int(d / interval)
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		at := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(at))
		wg.Add(1)
		go func(c *http.Client) {
			defer wg.Done()
			res, err := c.Do(request())
			ok := err == nil
			if ok {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				ok = res.StatusCode/100 == 2
			}
			mu.Lock()
			defer mu.Unlock()
			all = append(all, time.Since(at))
			if !ok {
				errs++
			}
		}(clients[i%len(clients)])
	}
	wg.Wait()
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration { return all[int(float64(len(all)-1)*p)] }
	return result{rps: float64(n) / d.Seconds(), p50: pct(0.50), p99: pct(0.99), errors: errs}
}

// fanOutOn runs measure with the real worker running, then reports whether the fan-out kept up.
func fanOutOn(ctx context.Context, dsn, temporalAddr string, measure func()) error {
	w, err := startWorker(ctx, dsn, temporalAddr)
	if err != nil {
		return err
	}
	defer w.Close()
	// The backlog the off run left would be a burst no steady state has; measure the steady state.
	if err := clearEventQueue(ctx, dsn); err != nil {
		return err
	}
	measure()
	backlog, err := eventQueueLength(ctx, dsn)
	if err == nil {
		fmt.Printf("  events queued for the fan-out when the run ended: %d\n", backlog)
	}
	return err
}

// startTemporal runs a dev server from the pinned CLI on a free loopback port, in memory.
func startTemporal(ctx context.Context) (*testsuite.DevServer, error) {
	if _, err := os.Stat(*temporalCLI); err != nil {
		return nil, fmt.Errorf("the Temporal CLI is not at %s: run `make .bin/temporal` or pass -temporal-cli", *temporalCLI)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	return testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  *temporalCLI,
		ClientOptions: &client.Options{HostPort: addr, Namespace: "clientflow"},
		LogLevel:      "error",
		SearchAttributes: temporal.NewSearchAttributes(
			temporal.NewSearchAttributeKeyKeyword("OrganizationId").ValueSet("")),
	})
}

// startWorker runs the real worker (activities, workflows, the outbox and event relays) in process.
func startWorker(ctx context.Context, dsn, temporalAddr string) (*app.Worker, error) {
	cfg, err := config.Load()
	if err != nil {
		return nil, err
	}
	cfg.DatabaseURL, cfg.TemporalAddress, cfg.TemporalNamespace = dsn, temporalAddr, "clientflow"
	cfg.SessionSecret = strings.Repeat("b", 40)
	w, err := app.NewWorker(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	if err := w.WaitForTemporal(ctx); err != nil {
		w.Close()
		return nil, err
	}
	return w, w.Start()
}

// freeAddr picks a free loopback port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func ownerDB(ctx context.Context, dsn string) (*store.DB, error) {
	return store.Open(ctx, dsn, store.Options{Owner: true, MaxConns: 1})
}

func clearEventQueue(ctx context.Context, dsn string) error {
	db, err := ownerDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Bun().ExecContext(ctx, "DELETE FROM domain_event_queue")
	return err
}

func eventQueueLength(ctx context.Context, dsn string) (int, error) {
	db, err := ownerDB(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.Bun().QueryRowContext(ctx, "SELECT count(*) FROM domain_event_queue").Scan(&n)
	return n, err
}

// apiProcess is the real api binary serving the bench database on a loopback port.
type apiProcess struct {
	cmd  *exec.Cmd
	base string
	done chan struct{}
	// dir holds the built binary; stop removes it.
	dir string
}

// startAPIProcess builds cmd/api and runs it with the bench settings (REDIS_URL passes through: set, the
// stream goes through Redis pub/sub; unset, through the in-process hub).
func startAPIProcess(ctx context.Context, dsn string) (*apiProcess, error) {
	dir, err := os.MkdirTemp("", "clientflow-bench")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "api")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/api")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("go build ./cmd/api (run from the repository root): %w", err)
	}
	addr, err := freeAddr()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn, "HTTP_ADDR="+addr, "APP_URL=http://"+addr,
		"APP_ENV="+config.EnvProduction, "SESSION_SECRET="+strings.Repeat("b", 40), "LOG_LEVEL=error",
		"RATE_LIMIT_API_PER_MINUTE=1073741824", "RATE_LIMIT_SESSION_PER_MINUTE=1073741824", "RATE_LIMIT_AUTH_PER_10S=1073741824")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	p := &apiProcess{cmd: cmd, base: "http://" + addr, done: make(chan struct{}), dir: dir}
	go func() { cmd.Wait(); close(p.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(p.base + "/healthz")
		if err == nil {
			res.Body.Close()
			return p, nil
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("api process did not answer: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (p *apiProcess) stop() {
	defer os.RemoveAll(p.dir)
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// rssMB is the process's resident memory from /proc (Linux).
func (p *apiProcess) rssMB() (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc status")
}

// sseScale opens *sseConns streams on one API process and reports its memory, then keeps *sseLatency of
// them and times *sseMoves moves from the request's start to the event's arrival at each client (an upper
// bound of commit-to-arrival: the request's own work before the commit is included).
func sseScale(ctx context.Context, dsn, orgID string, f loadtest.Project) error {
	p, err := startAPIProcess(ctx, dsn)
	if err != nil {
		return err
	}
	defer p.stop()
	cookie, err := signInCookie(p.base)
	if err != nil {
		return err
	}
	before, err := p.rssMB()
	if err != nil {
		return err
	}
	lat := &arrivals{sent: map[string]time.Time{}}
	streams := make([]*sseClient, *sseConns)
	for i := range streams {
		if streams[i], err = openSSE(p.base, cookie, lat); err != nil {
			return fmt.Errorf("stream %d: %w", i+1, err)
		}
	}
	time.Sleep(2 * time.Second)
	with, err := p.rssMB()
	if err != nil {
		return err
	}
	fmt.Printf("\nSSE: one API process, RSS %.0f MB idle, %.0f MB with %d open streams (%.1f KB per stream)\n",
		before, with, *sseConns, (with-before)*1024/float64(*sseConns))
	for _, s := range streams[*sseLatency:] {
		s.close()
	}
	streams = streams[:*sseLatency]
	lat.expect = len(streams)
	mover := &http.Client{}
	project := p.base + "/api/v1/orgs/" + orgID + "/projects/" + f.ID
	for i := 0; i < *sseMoves; i++ {
		task := f.Tasks[i%len(f.Tasks)]
		body := fmt.Sprintf(`{"column_id":%q}`, f.Columns[i%len(f.Columns)])
		req, _ := http.NewRequest(http.MethodPost, project+"/tasks/"+task+"/move", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", p.base)
		req.AddCookie(cookie)
		lat.start(task)
		res, err := mover.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("move: %s", res.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(2 * time.Second)
	for _, s := range streams {
		s.close()
	}
	fromRequest, fromEvent, missing := lat.summary()
	if len(fromRequest) == 0 || len(fromEvent) == 0 {
		return fmt.Errorf("no move event reached any stream")
	}
	fmt.Printf("SSE: task move → event at %d clients, %d moves, %d deliveries missing\n", *sseLatency, *sseMoves, missing)
	for _, d := range []struct {
		name string
		all  []time.Duration
	}{{"from the move request's start", fromRequest}, {"from the event's id time (≈ commit)", fromEvent}} {
		pct := func(q float64) time.Duration {
			return d.all[int(float64(len(d.all)-1)*q)].Round(100 * time.Microsecond)
		}
		fmt.Printf("  %-38s p50 %v, p99 %v, max %v\n", d.name, pct(0.5), pct(0.99), pct(1))
	}
	return nil
}

// signInCookie signs the bench user in and returns the session cookie every stream shares.
func signInCookie(base string) (*http.Cookie, error) {
	res, err := http.Post(base+"/api/v1/auth/sign-in", "application/json",
		strings.NewReader(`{"email":"bench@example.com","password":"bench-password"}`))
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == "cf_session" {
			return &http.Cookie{Name: c.Name, Value: c.Value}, nil
		}
	}
	return nil, fmt.Errorf("sign-in: %s, no session cookie", res.Status)
}

// arrivals times each move's event at every client.
type arrivals struct {
	mu   sync.Mutex
	sent map[string]time.Time
	got  []time.Duration
	// fromEvent counts from the time in the event's id (UUIDv7, taken in the transaction just before its
	// commit): nearer the commit than the request's start, still never after it.
	fromEvent []time.Duration
	expect    int
	started   int
}

func (a *arrivals) start(taskID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sent[taskID] = time.Now()
	a.started++
}

func (a *arrivals) arrived(taskID, eventID string, at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if t0, ok := a.sent[taskID]; ok && a.expect > 0 {
		a.got = append(a.got, at.Sub(t0))
		if u, err := uuid.Parse(eventID); err == nil {
			sec, nsec := u.Time().UnixTime()
			a.fromEvent = append(a.fromEvent, at.Sub(time.Unix(sec, nsec)))
		}
	}
}

// summary returns the sorted delays from the request and from the event, and how many (move, client)
// deliveries never came.
func (a *arrivals) summary() (fromRequest, fromEvent []time.Duration, missing int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, d := range [][]time.Duration{a.got, a.fromEvent} {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	}
	return a.got, a.fromEvent, a.started*a.expect - len(a.got)
}

// sseClient is one open stream read in the background.
type sseClient struct {
	body io.ReadCloser
	done chan struct{}
}

func openSSE(base string, cookie *http.Cookie, lat *arrivals) (*sseClient, error) {
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/stream", nil)
	req.Header.Set("Accept", "text/event-stream")
	req.AddCookie(cookie)
	// Each stream holds its own connection, as each browser does.
	res, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, fmt.Errorf("%s", res.Status)
	}
	c := &sseClient{body: res.Body, done: make(chan struct{})}
	go c.read(lat)
	return c, nil
}

func (c *sseClient) read(lat *arrivals) {
	defer close(c.done)
	sc := bufio.NewScanner(c.body)
	var ev struct {
		ID       string `json:"id"`
		EntityID string `json:"entity_id"`
	}
	// A move into a done column also completes the task: the first event of a task times its move.
	seen := map[string]bool{}
	for sc.Scan() {
		line := sc.Bytes()
		if data, ok := bytes.CutPrefix(line, []byte("data: ")); ok {
			at := time.Now()
			if json.Unmarshal(data, &ev) == nil && ev.EntityID != "" && !seen[ev.EntityID] {
				seen[ev.EntityID] = true
				lat.arrived(ev.EntityID, ev.ID, at)
			}
		}
	}
}

func (c *sseClient) close() {
	c.body.Close()
	<-c.done
}
