package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
)

// pgConnections counts the server's connections to database name (API, worker and anything else).
func pgConnections(ctx context.Context, admin *sql.DB, name string) (int, error) {
	var n int
	err := admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", name).Scan(&n)
	return n, err
}

// buildBinaries compiles the real api and worker into dir, the binaries production runs.
func buildBinaries(ctx context.Context, dir string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", dir+string(filepath.Separator), "./cmd/api", "./cmd/worker")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/api ./cmd/worker (run from the repository root): %w", err)
	}
	return nil
}

// startTemporal runs a dev server from the pinned CLI on a free loopback port, in memory.
func startTemporal(ctx context.Context, cli, namespace string) (*testsuite.DevServer, error) {
	if _, err := os.Stat(cli); err != nil {
		return nil, fmt.Errorf("the Temporal CLI is not at %s: run `make .bin/temporal` or pass -temporal-cli", cli)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	return testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  cli,
		ClientOptions: &client.Options{HostPort: addr, Namespace: namespace},
		LogLevel:      "error",
		SearchAttributes: temporal.NewSearchAttributes(
			temporal.NewSearchAttributeKeyKeyword("OrganizationId").ValueSet("")),
	})
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

// process is a child program (the api or the worker) whose output goes to a log file.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

// startProcess runs bin with the environment plus env, logging to dir/<name>.log.
func startProcess(name, bin, dir string, env []string) (*process, error) {
	logPath := filepath.Join(dir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		cmd.Wait()
		f.Close()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has ended (a crash during the soak fails it).
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop asks the process to shut down cleanly, and kills it after 15 s.
func (p *process) stop() {
	if p.exited() {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// rssKB reads the process's resident set size (VmRSS, in kB) from /proc.
func (p *process) rssKB() (int, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, fmt.Errorf("%s: no VmRSS in /proc/%d/status", p.name, p.cmd.Process.Pid)
}

// waitReady polls the API's /readyz (Postgres, Redis and Temporal reachable) for up to a minute.
func waitReady(ctx context.Context, base string, api *process) error {
	deadline := time.Now().Add(time.Minute)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if api.exited() {
			return fmt.Errorf("the api exited during start-up; see %s", api.log)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the api at %s was not ready within a minute (last: %v); see %s", base, err, api.log)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// waitPurged waits up to limit for the worker to drain the file-purge queue (filled by the deletes), and
// returns how many stored files are still queued: a worker that fell behind or lost work leaves some.
func waitPurged(ctx context.Context, db *sql.DB, limit time.Duration) (int, error) {
	deadline := time.Now().Add(limit)
	for {
		var queued int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM file_purges").Scan(&queued); err != nil {
			return 0, err
		}
		if queued == 0 || time.Now().After(deadline) {
			return queued, nil
		}
		select {
		case <-ctx.Done():
			return queued, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}
