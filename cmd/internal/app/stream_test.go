package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientflow/clientflow/config"
)

// TestStackStreamsChangesAndTheWorkersNotifications runs the program as make run does, on Redis: B has a
// stream open; A creates a task assigned to B. B's stream gets the task's change (published by the API's
// store after the commit) and B's task_assigned notification (made by the worker's fan-out and published
// through Redis), which is what the browser needs to update the board and the bell without reloading.
func TestStackStreamsChangesAndTheWorkersNotifications(t *testing.T) {
	redisURL := localRedis(t)
	if redisURL == "" {
		t.Skip("the worker reaches the API's streams only through Redis")
	}
	s := mustRunStack(t, t.TempDir(), func(cfg *config.Config) {
		cfg.RedisURL = redisURL
		cfg.RateLimitAPI, cfg.RateLimitSession = 1000, 1000
	})
	a, b := s.mustSignUp(t, "Ada"), s.mustSignUp(t, "Bo")
	var org struct{ ID string }
	a.mustDo(t, http.MethodPost, "/api/v1/orgs", map[string]any{"name": "Stream Agency"}, http.StatusCreated, &org)
	if _, err := s.DB.Owner.Bun().ExecContext(context.Background(), `INSERT INTO organization_memberships
		(id, organization_id, user_id, role) VALUES (?, ?, ?, 'member')`, uuid.NewString(), org.ID, b.userID); err != nil {
		t.Fatal(err)
	}
	var project struct{ ID string }
	a.mustDo(t, http.MethodPost, "/api/v1/orgs/"+org.ID+"/projects", map[string]any{"name": "Site"}, http.StatusCreated, &project)
	a.mustDo(t, http.MethodPost, "/api/v1/orgs/"+org.ID+"/projects/"+project.ID+"/members",
		map[string]any{"user_id": b.userID}, http.StatusCreated, nil)

	events := b.mustOpenStream(t)
	var task struct{ ID string }
	a.mustDo(t, http.MethodPost, "/api/v1/orgs/"+org.ID+"/projects/"+project.ID+"/tasks",
		map[string]any{"title": "Hero banner", "assignee_ids": []string{b.userID}}, http.StatusCreated, &task)

	var change, notification bool
	deadline := time.After(60 * time.Second)
	for !change || !notification {
		select {
		case ev := <-events:
			change = change || (ev.name == "change" && ev.data["entity_id"] == task.ID && ev.data["type"] == "task.created")
			notification = notification || (ev.name == "notification" && ev.data["entity_id"] == task.ID &&
				ev.data["type"] == "task_assigned")
		case <-deadline:
			t.Fatalf("after 60 s: change event %v, notification event %v", change, notification)
		}
	}
}

// person is a signed-in user of the stack.
type person struct {
	s      *stack
	client *http.Client
	userID string
}

func (s *stack) mustSignUp(t *testing.T, name string) *person {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	p := &person{s: s, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	var out struct{ User struct{ ID string } }
	p.mustDo(t, http.MethodPost, "/api/v1/auth/sign-up", map[string]any{"name": name,
		"email": strings.ToLower(name) + "-" + uuid.NewString()[:8] + "@example.com", "password": "correct horse battery"},
		http.StatusCreated, &out)
	p.userID = out.User.ID
	return p
}

// mustDo sends body as JSON and decodes the answer into out (when not nil) after checking its status.
func (p *person) mustDo(t *testing.T, method, path string, body any, want int, out any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, p.s.URL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", p.s.URL)
	res, err := p.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != want {
		var problem bytes.Buffer
		problem.ReadFrom(res.Body)
		t.Fatalf("%s %s = %d %s; want %d", method, path, res.StatusCode, problem.String(), want)
	}
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
}

// streamEvent is one event of the stream, its data decoded loosely.
type streamEvent struct {
	name string
	data map[string]any
}

// mustOpenStream opens GET /api/v1/stream and delivers its events until the test ends.
func (p *person) mustOpenStream(t *testing.T) <-chan streamEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.s.URL+"/api/v1/stream", nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := (&http.Client{Jar: p.client.Jar}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stream: %s", res.Status)
	}
	out := make(chan streamEvent, 64)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		var ev streamEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.data)
			case line == "" && ev.name != "":
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
				ev = streamEvent{}
			}
		}
	}()
	return out
}
