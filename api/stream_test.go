package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/stream"
)

// sseEvent is one event (or comment) read from a stream.
type sseEvent struct {
	ID, Name, Comment string
	Data              api.StreamEvent
}

// liveStream is an open GET /api/v1/stream read in the background.
type liveStream struct {
	t      *testing.T
	events chan sseEvent
	// ended is closed when the server ends the response.
	ended chan struct{}
}

// liveServer is an API server with its own database handle publishing to its own broker, as one API
// process of a deployment is.
func mustStartLive(t *testing.T, db *storetest.DB, broker stream.Broker, cfg api.StreamConfig) *testServer {
	t.Helper()
	handle, err := store.Open(context.Background(), db.URL, store.Options{MaxConns: 5})
	require.NoError(t, err)
	live := stream.NewAsync(broker, 256, slog.New(slog.NewTextHandler(io.Discard, nil)))
	handle.SetPublisher(live)
	t.Cleanup(func() { live.Close(); handle.Close() })
	cfg.Broker = broker
	return MustStart(t, db, func(d *api.Deps) { d.DB, d.Stream = handle, cfg })
}

// mustRedisBroker is a Redis broker whose pattern subscription is in place.
func mustRedisBroker(t *testing.T) *stream.Redis {
	t.Helper()
	r := stream.NewRedis(mustRedis(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go r.Run(ctx)
	select {
	case <-r.Ready():
	case <-time.After(5 * time.Second):
		t.Fatal("redis subscription not ready")
	}
	return r
}

// openStream opens the stream on srv as b's session (b may have signed in on another server: sessions
// live in the shared database).
func openStream(t *testing.T, srv *testServer, b *browser, query string, headers ...header) *liveStream {
	t.Helper()
	res := streamRequest(t, srv, b, query, headers...)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
	s := &liveStream{t: t, events: make(chan sseEvent, 256), ended: make(chan struct{})}
	t.Cleanup(func() { res.Body.Close() })
	go s.read(res.Body)
	require.Equal(t, "connected", s.next(5*time.Second).Comment)
	return s
}

func streamRequest(t *testing.T, srv *testServer, b *browser, query string, headers ...header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/stream"+query, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/event-stream")
	if b != nil {
		req.AddCookie(&http.Cookie{Name: "cf_session", Value: b.SessionCookie()})
	}
	for _, h := range headers {
		req.Header.Set(h.Name, h.Value)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	return res
}

func (s *liveStream) read(body io.Reader) {
	defer close(s.ended)
	sc := bufio.NewScanner(body)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			s.events <- ev
			ev = sseEvent{}
		case strings.HasPrefix(line, ": "):
			ev.Comment = strings.TrimPrefix(line, ": ")
		case strings.HasPrefix(line, "id: "):
			ev.ID = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "event: "):
			ev.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.Data); err != nil {
				ev.Name = "unreadable: " + line
			}
		}
	}
}

// next returns the next event or comment.
func (s *liveStream) next(timeout time.Duration) sseEvent {
	s.t.Helper()
	select {
	case ev := <-s.events:
		return ev
	case <-s.ended:
		s.t.Fatal("stream ended")
	case <-time.After(timeout):
		s.t.Fatal("no event within", timeout)
	}
	return sseEvent{}
}

// until collects events until one satisfies stop, and returns them all (the last one satisfies stop).
func (s *liveStream) until(stop func(sseEvent) bool) []sseEvent {
	s.t.Helper()
	var seen []sseEvent
	for {
		ev := s.next(10 * time.Second)
		seen = append(seen, ev)
		if stop(ev) {
			return seen
		}
	}
}

// changeOf matches the change event of entityID.
func changeOf(entityID string) func(sseEvent) bool {
	return func(ev sseEvent) bool { return ev.Name == "change" && ev.Data.EntityID == entityID }
}

// entities lists the entity ids of the change events among evs.
func entities(evs []sseEvent) []string {
	var out []string
	for _, ev := range evs {
		if ev.Name == "change" {
			out = append(out, ev.Data.EntityID)
		}
	}
	return out
}

// mustEnd waits for the server to end the stream.
func (s *liveStream) mustEnd(timeout time.Duration) {
	s.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case <-s.ended:
			return
		case <-s.events:
		case <-deadline:
			s.t.Fatal("stream still open after", timeout)
		}
	}
}

func (f workFixture) mustMove(t *testing.T, taskID, columnID string) {
	t.Helper()
	MustStatus(t, f.owner.Do(http.MethodPost, f.path("/tasks/"+taskID+"/move"), map[string]any{"column_id": columnID}),
		http.StatusOK)
}

func TestStream(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	// Two API processes on one Redis, each with its own database handle and broker.
	a := mustStartLive(t, db, mustRedisBroker(t), api.StreamConfig{})
	b := mustStartLive(t, db, mustRedisBroker(t), api.StreamConfig{Heartbeat: 200 * time.Millisecond, Refresh: 300 * time.Millisecond})
	f := mustWorkFixture(t, a)
	task := f.mustCreateTask(t, map[string]any{"title": "Launch page"})
	done := f.column(t, "Done").ID

	t.Run("a_move_through_one_process_reaches_a_stream_on_the_other", func(t *testing.T) {
		s := openStream(t, b, f.owner, "")
		f.mustMove(t, task.ID, done)
		seen := s.until(changeOf(task.ID))
		got := seen[len(seen)-1]
		assert.Equal(t, "task.updated", got.Data.Type)
		assert.Equal(t, f.orgID, got.Data.OrganizationID)
		assert.Equal(t, f.project, got.Data.ProjectID)
		assert.Equal(t, f.owner.User.ID, got.Data.ActorID)
		assert.Equal(t, got.ID, got.Data.ID, "the SSE id is the message id")
	})

	t.Run("column_changes_reach_open_boards", func(t *testing.T) {
		s := openStream(t, b, f.owner, "")
		var col columnJSON
		res := f.owner.Do(http.MethodPost, f.path("/columns"), map[string]any{"name": "QA"})
		MustStatus(t, res, http.StatusCreated)
		res.MustJSON(t, &col)
		MustStatus(t, f.owner.Do(http.MethodPatch, f.path("/columns/"+col.ID), map[string]any{"name": "Review"}), http.StatusOK)
		MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/columns/"+col.ID), nil), http.StatusNoContent)
		var types []string
		for _, ev := range s.until(func(ev sseEvent) bool { return ev.Data.Type == "column.deleted" }) {
			if ev.Data.EntityID == col.ID {
				assert.Equal(t, f.project, ev.Data.ProjectID)
				types = append(types, ev.Data.Type)
			}
		}
		assert.Equal(t, []string{"column.created", "column.updated", "column.deleted"}, types)
	})

	t.Run("an_idle_stream_sends_a_heartbeat_comment", func(t *testing.T) {
		s := openStream(t, b, f.owner, "")
		assert.Equal(t, "heartbeat", s.next(5*time.Second).Comment)
	})

	t.Run("a_member_gets_no_change_of_a_project_they_are_not_on_until_added", func(t *testing.T) {
		member := a.MustSignUp(t, "Max Member")
		mustJoin(t, db, f.orgID, member, "member")
		other := mustCreateProject(t, f.owner, f.orgID, "Internal")
		mustAddToProject(t, db, f.orgID, other, member)
		otherTask := f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.orgID+"/projects/"+other+"/tasks", map[string]any{"title": "Visible"})
		MustStatus(t, otherTask, http.StatusCreated)
		var visible taskJSON
		otherTask.MustJSON(t, &visible)

		s := openStream(t, b, member, "")
		f.mustMove(t, task.ID, f.column(t, "To do").ID)
		// A change the member may see, made after the hidden one: once it arrives, the hidden one was
		// filtered, not merely late (one publisher, one Redis connection: order is kept).
		MustStatus(t, f.owner.Do(http.MethodPatch, "/api/v1/orgs/"+f.orgID+"/projects/"+other+"/tasks/"+visible.ID,
			map[string]any{"title": "Visible, renamed"}), http.StatusOK)
		assert.NotContains(t, entities(s.until(changeOf(visible.ID))), task.ID)

		MustStatus(t, f.owner.Do(http.MethodPost, f.path("/members"), map[string]any{"user_id": member.User.ID}), http.StatusCreated)
		f.mustMove(t, task.ID, done)
		s.until(changeOf(task.ID))
	})

	t.Run("resume_with_last_event_id_delivers_what_was_missed", func(t *testing.T) {
		s := openStream(t, b, f.owner, "")
		f.mustMove(t, task.ID, f.column(t, "To do").ID)
		seen := s.until(changeOf(task.ID))
		lastID := seen[len(seen)-1].ID

		missed := f.mustCreateTask(t, map[string]any{"title": "Created while away"})
		for _, resume := range []struct {
			name  string
			query string
			hdr   []header
		}{
			{"header", "", []header{{Name: "Last-Event-ID", Value: lastID}}},
			{"query", "?last_event_id=" + lastID, nil},
		} {
			t.Run(resume.name, func(t *testing.T) {
				again := openStream(t, b, f.owner, resume.query, resume.hdr...)
				again.until(changeOf(missed.ID))
			})
		}
	})

	t.Run("resume_from_too_long_ago_asks_the_client_to_refetch", func(t *testing.T) {
		old := mustUUIDv7At(t, time.Now().Add(-10*time.Minute))
		s := openStream(t, b, f.owner, "", header{Name: "Last-Event-ID", Value: old})
		assert.Equal(t, "reset", s.next(5*time.Second).Name)
	})

	t.Run("a_malformed_last_event_id_is_refused", func(t *testing.T) {
		for _, bad := range []string{"abc", uuid.NewString(), strings.ToUpper(mustUUIDv7At(t, time.Now()))} {
			res := streamRequest(t, b, f.owner, "?last_event_id="+bad)
			res.Body.Close()
			assert.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, bad)
		}
	})

	t.Run("no_session_is_refused", func(t *testing.T) {
		res := streamRequest(t, b, nil, "")
		res.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	})

	t.Run("signing_out_ends_the_stream", func(t *testing.T) {
		leaver := a.MustSignUp(t, "Lee Leaver")
		mustJoin(t, db, f.orgID, leaver, "member")
		s := openStream(t, b, leaver, "")
		MustStatus(t, leaver.Do(http.MethodPost, "/api/v1/auth/sign-out", nil), http.StatusNoContent)
		s.mustEnd(5 * time.Second)
	})

	t.Run("losing_the_membership_ends_the_stream", func(t *testing.T) {
		leaver := a.MustSignUp(t, "Lou Leaver")
		mustJoin(t, db, f.orgID, leaver, "member")
		s := openStream(t, b, leaver, "")
		_, err := db.Owner.Bun().ExecContext(context.Background(),
			"UPDATE organization_memberships SET status = 'suspended' WHERE organization_id = ? AND user_id = ?", f.orgID, leaver.User.ID)
		require.NoError(t, err)
		s.mustEnd(5 * time.Second)
	})
}

func TestCrossTenantStream(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	broker := stream.NewHub()
	srv := mustStartLive(t, db, broker, api.StreamConfig{})
	mine, theirs := mustWorkFixture(t, srv), mustWorkFixture(t, srv)
	myTask := mine.mustCreateTask(t, map[string]any{"title": "Mine"})
	theirTask := theirs.mustCreateTask(t, map[string]any{"title": "Theirs"})
	s := openStream(t, srv, mine.owner, "")

	// Their change first, then mine: when mine arrives, theirs was filtered, not late.
	theirs.mustMove(t, theirTask.ID, theirs.column(t, "Done").ID)
	mine.mustMove(t, myTask.ID, mine.column(t, "Done").ID)
	seen := s.until(changeOf(myTask.ID))
	for _, ev := range seen {
		assert.NotEqual(t, theirs.orgID, ev.Data.OrganizationID, "another organization's event reached the stream")
	}

	t.Run("a_message_published_for_another_organization_is_not_delivered", func(t *testing.T) {
		require.NoError(t, broker.Publish(context.Background(),
			stream.Message{ID: mustUUIDv7At(t, time.Now()), Kind: stream.KindChange, OrganizationID: theirs.orgID, Type: "task.updated", EntityID: theirTask.ID},
			stream.Message{ID: mustUUIDv7At(t, time.Now()), Kind: stream.KindNotification, OrganizationID: mine.orgID,
				RecipientID: theirs.owner.User.ID, Type: "task_assigned", EntityID: theirTask.ID},
			stream.Message{ID: mustUUIDv7At(t, time.Now()), Kind: stream.KindNotification, OrganizationID: mine.orgID,
				RecipientID: mine.owner.User.ID, Type: "task_assigned", EntityID: myTask.ID}))
		seen := s.until(func(ev sseEvent) bool { return ev.Name == "notification" })
		last := seen[len(seen)-1]
		assert.Equal(t, myTask.ID, last.Data.EntityID, "only the notification addressed to the caller arrives")
		assert.NotContains(t, entities(seen), theirTask.ID)
	})

	t.Run("resume_replays_only_the_callers_organizations", func(t *testing.T) {
		since := mustUUIDv7At(t, time.Now().Add(-time.Minute))
		again := openStream(t, srv, mine.owner, "", header{Name: "Last-Event-ID", Value: since})
		seen := again.until(changeOf(myTask.ID))
		for _, ev := range seen {
			assert.NotEqual(t, theirs.orgID, ev.Data.OrganizationID, "another organization's event was replayed")
		}
	})
}

// mustUUIDv7At is a UUIDv7 of time at (the smallest of that millisecond).
func mustUUIDv7At(t *testing.T, at time.Time) string {
	t.Helper()
	u := uuid.Must(uuid.NewV7())
	ms := uint64(at.UnixMilli())
	for i := 0; i < 6; i++ {
		u[i] = byte(ms >> (8 * (5 - i)))
	}
	return u.String()
}
