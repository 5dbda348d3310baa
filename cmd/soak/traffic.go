package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"time"

	"github.com/clientflow/clientflow/cmd/internal/loadtest"
)

// operation is one kind of request in the mix; weight is its share of the arrivals.
type operation struct {
	name   string
	weight int
	do     func(ctx context.Context, t *traffic) (status int, err error)
}

// mix is the soak's traffic: mostly reads, as in a working agency, with steady writes, moves, comments,
// uploads (and deletes, which start the file-purge workflow on the worker) and sign-ins.
var mix = []operation{
	{"GET clients", 14, listClients},
	{"GET board", 10, getBoard},
	{"GET tasks", 10, listTasks},
	{"GET task", 14, getTask},
	{"GET comments", 10, listComments},
	{"POST clients", 5, createClient},
	{"POST tasks", 5, createTask},
	{"PATCH task", 8, updateTask},
	{"POST move", 8, moveTask},
	{"POST comments", 7, createComment},
	{"POST files", 4, uploadFile},
	{"DELETE file", 2, deleteFile},
	{"POST sign-in", 3, signIn},
}

// traffic is what the operations share: the API, the seeded ids, signed-in sessions and uploaded files.
type traffic struct {
	base     string
	fix      fixture
	sessions []*http.Client
	// anonymous has no cookie jar: each sign-in starts a new session without disturbing the others.
	anonymous *http.Client

	mu    sync.Mutex
	files []uploaded
}

// uploaded is a file the soak may delete later.
type uploaded struct{ projectID, fileID string }

// newTraffic signs in n sessions that share one connection pool.
func newTraffic(ctx context.Context, base string, fix fixture, n int) (*traffic, error) {
	transport := &http.Transport{MaxIdleConnsPerHost: 256, IdleConnTimeout: time.Minute}
	t := &traffic{base: base, fix: fix, anonymous: &http.Client{Transport: transport, Timeout: requestTimeout}}
	for range n {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Transport: transport, Jar: jar, Timeout: requestTimeout}
		status, err := postJSON(ctx, c, base, "/api/v1/auth/sign-in", signInBody(), nil)
		if err != nil || status != http.StatusOK {
			return nil, fmt.Errorf("sign in the soak user: status %d: %v", status, err)
		}
		t.sessions = append(t.sessions, c)
	}
	return t, nil
}

// requestTimeout bounds one request; a request that takes longer counts as an error.
const requestTimeout = 30 * time.Second

func (t *traffic) session() *http.Client { return t.sessions[rand.IntN(len(t.sessions))] }

func (t *traffic) project() loadtest.Project { return t.fix.projects[rand.IntN(len(t.fix.projects))] }

func (t *traffic) org() string { return "/api/v1/orgs/" + t.fix.orgID }

// taskPath is a random seeded task's path and its project.
func (t *traffic) taskPath() (string, loadtest.Project) {
	p := t.project()
	return t.org() + "/projects/" + p.ID + "/tasks/" + pick(p.Tasks), p
}

func pick(ids []string) string { return ids[rand.IntN(len(ids))] }

func listClients(ctx context.Context, t *traffic) (int, error) {
	q := []string{"?limit=50", "?q=company%201&limit=50", "?status=archived&limit=50"}[rand.IntN(3)]
	return get(ctx, t.session(), t.base, t.org()+"/clients"+q)
}

func getBoard(ctx context.Context, t *traffic) (int, error) {
	return get(ctx, t.session(), t.base, t.org()+"/projects/"+t.project().ID+"/board")
}

func listTasks(ctx context.Context, t *traffic) (int, error) {
	return get(ctx, t.session(), t.base, t.org()+"/projects/"+t.project().ID+"/tasks?priority=high&sort=due_date&limit=50")
}

func getTask(ctx context.Context, t *traffic) (int, error) {
	path, _ := t.taskPath()
	return get(ctx, t.session(), t.base, path)
}

func listComments(ctx context.Context, t *traffic) (int, error) {
	path, _ := t.taskPath()
	return get(ctx, t.session(), t.base, path+"/comments")
}

func createClient(ctx context.Context, t *traffic) (int, error) {
	n := rand.IntN(1_000_000)
	body := map[string]any{"name": fmt.Sprintf("Soak client %d", n), "email": fmt.Sprintf("c%d@soak.example", n),
		"company": "Soak Ltd"}
	return postJSON(ctx, t.session(), t.base, t.org()+"/clients", body, nil)
}

func createTask(ctx context.Context, t *traffic) (int, error) {
	p := t.project()
	body := map[string]any{"title": fmt.Sprintf("Soak task %d", rand.IntN(1_000_000)), "column_id": pick(p.Columns),
		"priority": "medium", "due_date": "2027-01-15"}
	return postJSON(ctx, t.session(), t.base, t.org()+"/projects/"+p.ID+"/tasks", body, nil)
}

func updateTask(ctx context.Context, t *traffic) (int, error) {
	path, _ := t.taskPath()
	body := map[string]any{"priority": []string{"low", "medium", "high", "urgent"}[rand.IntN(4)],
		"estimate_minutes": 30 + rand.IntN(480)}
	return send(ctx, t.session(), t.base, http.MethodPatch, path, body, nil)
}

func moveTask(ctx context.Context, t *traffic) (int, error) {
	path, p := t.taskPath()
	return postJSON(ctx, t.session(), t.base, path+"/move", map[string]any{"column_id": pick(p.Columns)}, nil)
}

func createComment(ctx context.Context, t *traffic) (int, error) {
	path, _ := t.taskPath()
	body := map[string]any{
		"body_json": map[string]any{"type": "doc", "content": []any{map[string]any{"type": "paragraph",
			"content": []any{map[string]any{"type": "text", "text": "Soak comment: looks good, ship it."}}}}},
		"body_html": "<p>Soak comment: <strong>looks good</strong>, ship it.</p>",
	}
	return postJSON(ctx, t.session(), t.base, path+"/comments", body, nil)
}

// uploadFile sends a small text file attached to a random task and remembers it for deleteFile.
func uploadFile(ctx context.Context, t *traffic) (int, error) {
	p := t.project()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("task_id", pick(p.Tasks))
	part, _ := w.CreateFormFile("file", "notes.txt")
	_, _ = part.Write(bytes.Repeat([]byte("Meeting notes: the client approved the second draft.\n"), 20+rand.IntN(300)))
	_ = w.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+t.org()+"/projects/"+p.ID+"/files", &buf)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", t.base)
	var out struct {
		ID string `json:"id"`
	}
	status, err := do(t.session(), req, &out)
	if err == nil && status == http.StatusCreated {
		t.mu.Lock()
		t.files = append(t.files, uploaded{projectID: p.ID, fileID: out.ID})
		t.mu.Unlock()
	}
	return status, err
}

// deleteFile deletes the oldest uploaded file, which starts the purge workflow on the worker. Before the
// first upload has landed there is nothing to delete, so it uploads instead.
func deleteFile(ctx context.Context, t *traffic) (int, error) {
	t.mu.Lock()
	if len(t.files) == 0 {
		t.mu.Unlock()
		return uploadFile(ctx, t)
	}
	f := t.files[0]
	t.files = t.files[1:]
	t.mu.Unlock()
	return send(ctx, t.session(), t.base, http.MethodDelete, t.org()+"/projects/"+f.projectID+"/files/"+f.fileID, nil, nil)
}

func signIn(ctx context.Context, t *traffic) (int, error) {
	return postJSON(ctx, t.anonymous, t.base, "/api/v1/auth/sign-in", signInBody(), nil)
}

func signInBody() map[string]any { return map[string]any{"email": soakEmail, "password": soakPassword} }

func get(ctx context.Context, c *http.Client, base, path string) (int, error) {
	return send(ctx, c, base, http.MethodGet, path, nil, nil)
}

func postJSON(ctx context.Context, c *http.Client, base, path string, body, out any) (int, error) {
	return send(ctx, c, base, http.MethodPost, path, body, out)
}

// send makes one JSON request as the browser app does (with Origin, which cookie-authenticated writes need).
func send(ctx context.Context, c *http.Client, base, method, path string, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, r)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Origin", base)
	return do(c, req, out)
}

// do sends req, decodes a 2xx body into out when given, and returns the start of any other body as the error
// so that a failure in the report says what the server answered.
func do(c *http.Client, req *http.Request, out any) (int, error) {
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if res.StatusCode >= 300 {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 300))
		return res.StatusCode, errors.New(strings.TrimSpace(string(b)))
	}
	if out != nil {
		return res.StatusCode, json.NewDecoder(res.Body).Decode(out)
	}
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}
