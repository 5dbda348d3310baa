package chaos_test

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientflow/clientflow/worker/temporaltest"
)

// pgCluster is a private PostgreSQL server in a temporary directory, on a free port: the one test that
// restarts Postgres restarts this one, never the shared server other tests use.
type pgCluster struct {
	bin  string // the server's bin directory (initdb, pg_ctl)
	dir  string
	port string
}

// startPGCluster initialises and starts a cluster from Debian's server packages, as the postgres OS
// user when running as root (the server refuses to run as root). Without the binaries the test is skipped.
func startPGCluster(t *testing.T) *pgCluster {
	t.Helper()
	ctls, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(ctls) == 0 {
		t.Skip("no PostgreSQL server binaries under /usr/lib/postgresql (TestPostgresCutUnderLoad covers the client side)")
	}
	dir, err := os.MkdirTemp("", "clientflow-chaos-pg-")
	must(t, err, "temp dir")
	c := &pgCluster{bin: filepath.Dir(ctls[len(ctls)-1]), dir: dir}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		must(t, err, "the postgres OS user")
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		must(t, os.Chown(dir, uid, gid), "chown %s", dir)
	}
	_, c.port, _ = strings.Cut(freeAddr(t), ":")
	c.run(t, "initdb", "-D", c.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
	c.start(t)
	t.Cleanup(func() { c.pgCtl("stop", "-m", "immediate") })
	return c
}

func (c *pgCluster) data() string { return filepath.Join(c.dir, "data") }

// URL is the cluster's admin connection string.
func (c *pgCluster) URL() string {
	return (&url.URL{Scheme: "postgres", User: url.User("postgres"), Host: "127.0.0.1:" + c.port, Path: "/postgres",
		RawQuery: "sslmode=disable"}).String()
}

// start runs the server on 127.0.0.1 only (its socket in the cluster's directory) and waits until it
// accepts connections. Durability is off: the cluster lives for one test.
func (c *pgCluster) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %s -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", c.port, c.dir)
	if out, err := c.pgCtl("start", "-w", "-t", "60", "-l", filepath.Join(c.dir, "log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// restart stops the server the way an operator does (fast shutdown: every session is terminated with
// SQLSTATE 57P01), keeps it down for down, and starts it again; it reports when it stopped and when it was
// back.
func (c *pgCluster) restart(t *testing.T, down time.Duration) (stopped, started time.Time) {
	t.Helper()
	stopped = time.Now()
	if out, err := c.pgCtl("stop", "-m", "fast", "-w"); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
	time.Sleep(down)
	c.start(t)
	return stopped, time.Now()
}

// run runs one of the server's programs, as postgres when running as root.
func (c *pgCluster) run(t *testing.T, program string, args ...string) {
	t.Helper()
	if out, err := c.command(program, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", program, err, out)
	}
}

func (c *pgCluster) pgCtl(args ...string) ([]byte, error) {
	return c.command("pg_ctl", append([]string{"-D", c.data()}, args...)...).CombinedOutput()
}

func (c *pgCluster) command(program string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, program)
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// TestPostgresRestartUnderLoad: a real restart of the API's PostgreSQL server (fast shutdown, 3 s down,
// start) under load: sessions terminated with 57P01, refused connections and a server still starting up
// all answer 503 + Retry-After, never 500, nothing hangs past REQUEST_TIMEOUT, and the same api process
// serves again once the server is back.
func TestPostgresRestartUnderLoad(t *testing.T) {
	const requestTimeout = 5 * time.Second
	pg := startPGCluster(t)
	t.Setenv("TEST_DATABASE_URL", pg.URL()) // storetest creates the test's database on the private cluster
	srv := temporaltest.MustStart(t)
	s := newStack(t, srv, nil)
	_, base := s.startAPI(t, "api", map[string]string{"REQUEST_TIMEOUT": requestTimeout.String()})

	user := newSession(t)
	user.mustSignUp(t, base)
	orgID := user.mustCreateOrg(t, base, "Restart Co")
	samples, stopped, started := underLoad(user, base, orgID, func() (time.Time, time.Time) { return pg.restart(t, 3*time.Second) })
	checkLoad(t, samples, stopped, started, requestTimeout)
}
