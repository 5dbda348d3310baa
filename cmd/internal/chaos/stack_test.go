package chaos_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker/temporaltest"
)

// stack is one deployment under test: its own database, task queue and files directory on the shared
// Temporal dev server, and the settings every api and worker process of it starts with.
type stack struct {
	DB       *storetest.DB
	Temporal client.Client
	env      map[string]string
}

// newStack prepares a deployment; extra settings (e.g. the email provider) apply to all its processes.
func newStack(t *testing.T, srv *testsuite.DevServer, extra map[string]string) *stack {
	t.Helper()
	db := storetest.MustOpen(t)
	dir := t.TempDir()
	env := map[string]string{
		"APP_ENV": "test", "LOG_LEVEL": "info", "DATABASE_URL": db.URL, "DATABASE_MAX_CONNS": "10",
		"DATA_DIR": dir, "FILES_DIR": filepath.Join(dir, "files"),
		"TEMPORAL_ADDRESS": srv.FrontendHostPort(), "TEMPORAL_NAMESPACE": temporaltest.Namespace,
		"TEMPORAL_TASK_QUEUE": "chaos-" + strings.ReplaceAll(t.Name(), "/", "-"),
		// Load comes from one IP and one session; the limits have their own test (two APIs, one Redis).
		"RATE_LIMIT_API_PER_MINUTE": "1000000", "RATE_LIMIT_SESSION_PER_MINUTE": "1000000", "RATE_LIMIT_AUTH_PER_10S": "1000000",
	}
	maps.Copy(env, extra)
	return &stack{DB: db, Temporal: srv.Client(), env: env}
}

// startAPI runs an api process on a free port (with settings overriding the stack's) and returns its URL
// once it answers.
func (s *stack) startAPI(t *testing.T, name string, override map[string]string) (*proc, string) {
	t.Helper()
	addr := freeAddr(t)
	env := maps.Clone(s.env)
	env["HTTP_ADDR"], env["APP_URL"] = addr, "http://"+addr
	maps.Copy(env, override)
	p := mustStartProc(t, name, "api", env)
	url := "http://" + addr
	mustWaitHealthy(t, p, url)
	return p, url
}

// startWorker runs a worker process and returns once it polls the task queue.
func (s *stack) startWorker(t *testing.T, name string) *proc {
	t.Helper()
	p := mustStartProc(t, name, "worker", s.env)
	p.mustSee(t, "worker: polling", 60*time.Second)
	return p
}

// filesDir is where the api and worker of the stack keep uploaded bytes.
func (s *stack) filesDir() string { return s.env["FILES_DIR"] }

// mustExec runs SQL as the database owner (a superuser: it sees every tenant's rows).
func (s *stack) mustExec(t *testing.T, query string, args ...any) {
	t.Helper()
	_, err := s.DB.Owner.Bun().Exec(query, args...)
	must(t, err, "exec %q", query)
}

// mustCount runs a count query as the database owner.
func (s *stack) mustCount(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	must(t, s.DB.Owner.Bun().QueryRow(query, args...).Scan(&n), "count %q", query)
	return n
}

// session is one signed-in person's browser: a cookie jar, usable against any api process (cookies are
// per host, not per port, so one session works on every API of a stack).
type session struct {
	http *http.Client
}

func newSession(t *testing.T) *session {
	t.Helper()
	jar, err := cookiejar.New(nil)
	must(t, err, "cookie jar")
	return &session{http: &http.Client{Jar: jar, Timeout: 60 * time.Second}}
}

// response is what an api answered.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// call sends a JSON request to base+path with the given headers; a transport error is returned as is.
func (s *session) call(base, method, path string, body any, header map[string]string) (*response, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := s.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return &response{Status: res.StatusCode, Header: res.Header, Body: b}, err
}

// mustCall is call expecting status want, decoding the JSON answer into out (when not nil).
func (s *session) mustCall(t *testing.T, base, method, path string, body any, want int, out any) {
	t.Helper()
	res, err := s.call(base, method, path, body, nil)
	must(t, err, "%s %s", method, path)
	if res.Status != want {
		t.Fatalf("%s %s = %d %s; want %d", method, path, res.Status, res.Body, want)
	}
	if out != nil {
		must(t, json.Unmarshal(res.Body, out), "decode %s %s", method, path)
	}
}

// mustSignUp creates an account with a unique address and returns the user's ID.
func (s *session) mustSignUp(t *testing.T, base string) (id, email string) {
	t.Helper()
	email = "chaos-" + uuid.NewString()[:8] + "@example.com"
	var out struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	s.mustCall(t, base, http.MethodPost, "/api/v1/auth/sign-up",
		map[string]string{"name": "Chaos Tester", "email": email, "password": "correct horse battery"}, http.StatusCreated, &out)
	return out.User.ID, email
}

// mustCreateOrg creates an organization owned by the session's user and returns its ID.
func (s *session) mustCreateOrg(t *testing.T, base, name string) string {
	t.Helper()
	var out struct {
		ID string `json:"id"`
	}
	s.mustCall(t, base, http.MethodPost, "/api/v1/orgs", map[string]string{"name": name}, http.StatusCreated, &out)
	return out.ID
}

// orgPath is the base of an organization's routes.
func orgPath(orgID string) string { return fmt.Sprintf("/api/v1/orgs/%s", orgID) }
