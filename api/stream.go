package api

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/stream"
)

// streamPath is the live updates endpoint. It is a plain Gin route, not a Huma operation: an event stream
// has no response body to describe, and the OpenAPI walker's suites send requests that expect one to end.
// The data of its events is in the OpenAPI components as StreamEvent, so the browser app has its type.
const streamPath = "/api/v1/stream"

// StreamConfig is what the live updates endpoint subscribes to and how often it checks its connections.
type StreamConfig struct {
	// Broker delivers the messages published by every API process (Redis) or this one (a stream.Hub);
	// nil serves a hub of its own that nothing publishes to.
	Broker stream.Subscriber
	// Heartbeat is how often an idle stream sends a comment, so proxies keep the connection (25 s).
	Heartbeat time.Duration
	// Refresh is how often a stream rechecks its session, memberships and visible projects (60 s).
	Refresh time.Duration

	// closing is closed by EndStreams.
	closing   chan struct{}
	closeOnce *sync.Once
}

// EndStreams ends every open stream, so a graceful shutdown does not wait its full timeout for them:
// register it with http.Server.RegisterOnShutdown. Clients reconnect (to another process) and resume.
func (s *Server) EndStreams() { s.Stream.closeOnce.Do(func() { close(s.Stream.closing) }) }

// Stream limits: a resume reaches back at most resumeWindow and replays at most resumeLimit messages;
// beyond either the client is told to refetch (`event: reset`).
const (
	resumeWindow = 5 * time.Minute
	resumeLimit  = 500
	// resumeMargin replays a little before the last id the client saw: an event's id is taken before its
	// transaction commits, and the transaction may wait on locks before it does, so one committed after a
	// later-numbered one could otherwise be skipped. Repeats are harmless: the browser refetches what a
	// message names.
	resumeMargin = 10 * time.Second
)

// StreamEvent is the data of a `change` event (a domain event: something the caller can see changed) and
// of a `notification` event (a new notification for the caller). It names things; the browser refetches
// what it shows.
type StreamEvent struct {
	ID             string `json:"id" doc:"The message id (UUIDv7); the SSE event id sent back as Last-Event-ID."`
	OrganizationID string `json:"org_id"`
	ProjectID      string `json:"project_id,omitempty"`
	Type           string `json:"type" doc:"A domain event type (task.updated, comment.created, …) or a notification type."`
	EntityType     string `json:"entity_type,omitempty"`
	EntityID       string `json:"entity_id,omitempty"`
	ActorID        string `json:"actor_id,omitempty"`
}

func (s *Server) registerStream() {
	if s.Stream.Broker == nil {
		s.Stream.Broker = stream.NewHub()
	}
	if s.Stream.Heartbeat <= 0 {
		s.Stream.Heartbeat = 25 * time.Second
	}
	if s.Stream.Refresh <= 0 {
		s.Stream.Refresh = time.Minute
	}
	s.Stream.closing, s.Stream.closeOnce = make(chan struct{}), &sync.Once{}
	s.router.GET(streamPath, s.serveStream)
	s.api.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(StreamEvent{}), true, "StreamEvent")
}

// serveStream is GET /api/v1/stream: Server-Sent Events of every organization the signed-in user belongs
// to. Events: `change` (data StreamEvent), `notification` (data StreamEvent), `reset` (messages were
// lost: refetch), and a `: heartbeat` comment. Last-Event-ID (or ?last_event_id=) resumes.
func (s *Server) serveStream(c *gin.Context) {
	ctx := c.Request.Context()
	lastID := c.GetHeader("Last-Event-ID")
	if q, ok := c.GetQuery("last_event_id"); ok {
		lastID = q
	}
	if lastID != "" && !validEventID(lastID) {
		s.writeStreamError(c, domain.Invalid("last_event_id", "Must be an event id this stream sent."))
		return
	}
	token, _ := c.Cookie(sessionCookie)
	if token == "" {
		writeProblem(c, http.StatusUnauthorized, domain.EUNAUTHENTICATED, "Please sign in.")
		return
	}
	conn := &streamConn{db: s.db, tokenHash: s.tokenHash(token), ip: clientIPFrom(ctx)}
	if err := conn.load(ctx); err != nil {
		s.writeStreamError(c, err)
		return
	}
	sub := s.Stream.Broker.Subscribe(slices.Collect(maps.Keys(conn.orgs)))
	defer sub.Close()

	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	// Reverse proxies (nginx) buffer responses unless told not to.
	h.Set("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	w := &sseWriter{w: c.Writer}
	w.comment("connected")
	replayed, err := s.replay(ctx, conn, w, lastID)
	if err != nil {
		s.logger.WarnContext(ctx, "stream: resume failed; client refetches", "err", err)
		w.event("reset", "", struct{}{})
	}
	s.relay(ctx, conn, sub, w, replayed)
}

// relay writes the subscription's messages the caller may see until the client leaves, the session or a
// membership ends, or a write fails.
func (s *Server) relay(ctx context.Context, conn *streamConn, sub *stream.Subscription, w *sseWriter, replayed map[string]bool) {
	heartbeat := time.NewTicker(s.Stream.Heartbeat)
	defer heartbeat.Stop()
	refresh := time.NewTicker(s.Stream.Refresh)
	defer refresh.Stop()
	for w.err == nil {
		select {
		case <-ctx.Done():
			return
		case <-s.Stream.closing:
			return
		case m := <-sub.Messages():
			if replayed[m.ID] {
				continue
			}
			if err := conn.refreshFor(ctx, m); err != nil {
				s.logger.WarnContext(ctx, "stream: refresh visible projects", "err", err)
				return
			}
			if conn.sees(m) {
				w.message(m)
			}
			if conn.removes(m) {
				// Removed from an organization: reconnecting subscribes to the remaining ones.
				return
			}
		case <-sub.Lost():
			w.event("reset", "", struct{}{})
		case <-heartbeat.C:
			w.comment("heartbeat")
		case <-refresh.C:
			// A revoked session or a changed set of organizations ends the stream: the client reconnects
			// (resuming from its last id) and is authenticated and subscribed afresh.
			if !conn.stillValid(ctx) {
				return
			}
		}
	}
}

// replay sends what the client missed since lastID, or `reset` when that is too far back or too much. It
// returns the ids it sent, so the same messages arriving live are not sent twice.
func (s *Server) replay(ctx context.Context, conn *streamConn, w *sseWriter, lastID string) (map[string]bool, error) {
	if lastID == "" {
		return nil, nil
	}
	at, _ := eventTime(lastID)
	if time.Since(at) > resumeWindow {
		w.event("reset", "", struct{}{})
		return nil, nil
	}
	after := eventIDAt(at.Add(-resumeMargin))
	var backlog []stream.Message
	for orgID, org := range conn.orgs {
		msgs, err := s.db.StreamBacklog(ctx, orgID, org.member, after, resumeLimit+1)
		if err != nil {
			return nil, err
		}
		backlog = append(backlog, msgs...)
	}
	if len(backlog) > resumeLimit {
		w.event("reset", "", struct{}{})
		return nil, nil
	}
	slices.SortFunc(backlog, func(a, b stream.Message) int { return compareStrings(a.ID, b.ID) })
	sent := make(map[string]bool, len(backlog))
	for _, m := range backlog {
		w.message(m)
		sent[m.ID] = true
	}
	return sent, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// writeStreamError answers a stream that cannot start with the usual problem document.
func (s *Server) writeStreamError(c *gin.Context, err error) {
	p := problem(c.Request.Context(), err).(*ErrorModel)
	b, _ := json.Marshal(p)
	c.Data(p.Status, "application/problem+json", b)
}

// sseWriter writes Server-Sent Events and flushes each one; after a failed write it stays silent and
// reports the error, which ends the stream.
type sseWriter struct {
	w   gin.ResponseWriter
	err error
}

func (w *sseWriter) message(m stream.Message) {
	w.event(m.Kind, m.ID, StreamEvent{ID: m.ID, OrganizationID: m.OrganizationID, ProjectID: m.ProjectID, Type: m.Type,
		EntityType: m.EntityType, EntityID: m.EntityID, ActorID: m.ActorID})
}

func (w *sseWriter) event(name, id string, data any) {
	b, err := json.Marshal(data)
	if err != nil {
		w.err = err
		return
	}
	if id != "" {
		w.write(fmt.Sprintf("id: %s\nevent: %s\ndata: %s\n\n", id, name, b))
	} else {
		w.write(fmt.Sprintf("event: %s\ndata: %s\n\n", name, b))
	}
}

func (w *sseWriter) comment(text string) { w.write(": " + text + "\n\n") }

func (w *sseWriter) write(s string) {
	if w.err != nil {
		return
	}
	if _, w.err = w.w.WriteString(s); w.err == nil {
		w.w.Flush()
	}
}
