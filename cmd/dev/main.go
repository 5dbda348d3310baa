// Command dev is `make run`: it builds what is missing, starts the Temporal dev server (unless
// TEMPORAL_ADDRESS is given), creates and migrates the database, seeds a demo workspace, and runs the API
// and the worker in one process until Ctrl-C.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/clientflow/clientflow/cmd/internal/app"
	"github.com/clientflow/clientflow/config"
)

// temporalCLI is where the pinned Temporal CLI (tools/temporal) is built.
const temporalCLI = ".bin/temporal"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "dev:", err)
		os.Exit(1)
	}
}

func run() error {
	_, temporalGiven := os.LookupEnv("TEMPORAL_ADDRESS")
	cfg := config.MustLoad()
	logger := app.NewLogger(cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return err
	}
	useLocalRedis(&cfg)
	allowLocalWebhooks(&cfg)
	if err := useLocalVAPID(&cfg); err != nil {
		return err
	}

	if err := buildSPA(ctx); err != nil {
		return err
	}
	if !temporalGiven {
		srv, err := startTemporal(ctx, cfg)
		if err != nil {
			return err
		}
		defer srv.stop()
	}
	if err := prepareDatabase(ctx, cfg.DatabaseURL); err != nil {
		return err
	}
	demo, err := seedDemo(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}

	w, err := app.NewWorker(ctx, cfg, logger)
	if err == nil {
		err = w.Start()
	}
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	defer w.Close()

	a, err := app.NewAPI(ctx, cfg, logger, os.DirFS("web/dist"))
	if err == nil {
		err = a.Listen(cfg.HTTPAddr)
	}
	if err != nil {
		return fmt.Errorf("api: %w", err)
	}
	defer a.Close()
	go func() {
		if err := a.Serve(); err != nil {
			logger.Error("api: serve", "err", err)
			stop()
		}
	}()
	printWelcome(cfg, demo, temporalGiven)
	<-ctx.Done()
	fmt.Println("\nStopping ClientFlow…")
	return nil
}

// localRedis is where make run looks for a Redis when REDIS_URL is not set.
const localRedis = "127.0.0.1:6379"

// useLocalRedis points REDIS_URL at the local Redis when none is set and one answers there: the worker's
// new notifications then reach the browser's stream (it publishes through Redis pub/sub; without Redis the
// API's in-process hub hears only the API's own changes). Rate limits count in Redis too.
func useLocalRedis(cfg *config.Config) {
	if cfg.RedisURL != "" {
		return
	}
	c, err := net.DialTimeout("tcp", localRedis, 300*time.Millisecond)
	if err != nil {
		fmt.Println("dev: no Redis on " + localRedis + ": live notifications from the worker wait for the next fetch")
		return
	}
	c.Close()
	cfg.RedisURL = "redis://" + localRedis + "/0"
}

// allowLocalWebhooks lets webhook endpoints on this machine (a receiver on 127.0.0.1) get deliveries under
// make run, unless WEBHOOK_ALLOW_LOOPBACK says otherwise: trying webhooks locally needs no public URL. Private
// networks stay refused, and production refuses the setting.
func allowLocalWebhooks(cfg *config.Config) {
	if _, set := os.LookupEnv("WEBHOOK_ALLOW_LOOPBACK"); !set {
		cfg.WebhookAllowLoopback = true
	}
}

func printWelcome(cfg config.Config, demo demoAccount, temporalGiven bool) {
	ui := "http://127.0.0.1:8233/namespaces/" + cfg.TemporalNamespace + "/workflows"
	if temporalGiven {
		ui = "(your Temporal at " + cfg.TemporalAddress + ")"
	}
	fmt.Printf(`
  ClientFlow is running.

    App          %s
    Temporal UI  %s
    Demo login   %s / %s
                 (teammates mia@clientflow.local, a manager, and max@clientflow.local, a member, share it;
                  so does %s, a contact of Northwind Traders, who signs in to the client portal)
    Dev mailbox  %s/dev/mailbox   (emails are caught here, nothing is sent)
    API docs     %s/developer     (webhook endpoints may point at this machine)

  Press Ctrl-C to stop.

`, cfg.AppURL, ui, demo.Email, demo.Password, portalContact, cfg.AppURL, cfg.AppURL)
}

// buildSPA installs the browser app's packages and builds it when web/dist is missing or older than web/src.
func buildSPA(ctx context.Context) error {
	if _, err := os.Stat("web/node_modules"); err != nil {
		fmt.Println("dev: installing the browser app's packages (npm ci)…")
		if err := sh(ctx, "web", "npm", "ci", "--no-audit", "--no-fund"); err != nil {
			return err
		}
	}
	if upToDate("web/dist/index.html", "web/src", "web/index.html", "web/package-lock.json") {
		return nil
	}
	fmt.Println("dev: building the browser app…")
	return sh(ctx, "web", "npm", "run", "build")
}

// upToDate reports whether target exists and is newer than every file under sources.
func upToDate(target string, sources ...string) bool {
	st, err := os.Stat(target)
	if err != nil {
		return false
	}
	newer := errors.New("newer")
	for _, src := range sources {
		err := filepath.WalkDir(src, func(_ string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if info, err := d.Info(); err == nil && info.ModTime().After(st.ModTime()) {
				return newer
			}
			return nil
		})
		if err != nil {
			return false
		}
	}
	return true
}

type temporalServer struct{ cmd *exec.Cmd }

// startTemporal builds the pinned CLI if needed and runs its dev server with state in DATA_DIR.
func startTemporal(ctx context.Context, cfg config.Config) (*temporalServer, error) {
	if _, err := os.Stat(temporalCLI); err != nil {
		fmt.Println("dev: building the Temporal CLI (first build takes a few minutes)…")
		if err := sh(ctx, ".", "make", temporalCLI); err != nil {
			return nil, err
		}
	}
	host, port, err := net.SplitHostPort(cfg.TemporalAddress)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(temporalCLI, "server", "start-dev",
		"--ip", host, "--port", port, "--ui-port", "8233",
		"--db-filename", filepath.Join(cfg.DataDir, "temporal.db"),
		"--namespace", cfg.TemporalNamespace,
		"--search-attribute", "OrganizationId=Keyword",
		"--log-level", "warn")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start Temporal dev server: %w", err)
	}
	srv := &temporalServer{cmd: cmd}
	if err := waitForPort(ctx, cfg.TemporalAddress, 60*time.Second); err != nil {
		srv.stop()
		return nil, fmt.Errorf("Temporal dev server did not come up on %s: %w", cfg.TemporalAddress, err)
	}
	return srv, nil
}

func (t *temporalServer) stop() {
	if t.cmd.Process != nil {
		syscall.Kill(-t.cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { t.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-t.cmd.Process.Pid, syscall.SIGKILL)
		}
	}
}

func waitForPort(ctx context.Context, addr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func sh(ctx context.Context, dir, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %v: %w", name, args, err)
	}
	return nil
}
