package api

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/clientflow/clientflow/domain"
)

// fastPathTimeout bounds the start the API tries right after a commit: while Temporal is down the request
// answers after at most this long, and the relay takes the start over.
const fastPathTimeout = 3 * time.Second

// fastPathPause is how long after a failed fast-path start the API leaves every start to the relay.
const fastPathPause = 10 * time.Second

// startBreaker remembers a failed fast-path start for fastPathPause, so that while Temporal is down each
// request skips a start that would only time out (the relay takes it) instead of waiting fastPathTimeout
// per start; one request per pause tries again.
type startBreaker struct{ openUntil atomic.Int64 }

func (b *startBreaker) open() bool { return time.Now().UnixNano() < b.openUntil.Load() }

func (b *startBreaker) trip() { b.openUntil.Store(time.Now().Add(fastPathPause).UnixNano()) }

// startNow is the workflow outbox's fast path. ws was written in the business transaction (see
// store.Atomically and store.EnqueueStarts); once that committed, start hands the work to Temporal at once
// and the row is marked started. A failure is a warning, not an error for the client: the change is
// committed and the relay in the worker retries the row until Temporal takes it.
func (s *Server) startNow(ctx context.Context, ws domain.WorkflowStart, start func(context.Context) error) {
	if s.startBreaker.open() {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fastPathTimeout)
	defer cancel()
	if err := start(ctx); err != nil {
		s.startBreaker.trip()
		s.logger.WarnContext(ctx, "workflow start deferred to the relay", "kind", ws.Kind, "key", ws.Key, "err", err)
		return
	}
	if err := s.db.MarkWorkflowStarted(ctx, ws.ID); err != nil {
		s.logger.WarnContext(ctx, "mark workflow start done (the relay will start it again, harmlessly)",
			"kind", ws.Kind, "key", ws.Key, "err", err)
	}
}

// queuedEmail is an email written to the workflow outbox, waiting for its fast-path start.
type queuedEmail struct {
	start domain.WorkflowStart
	req   domain.EmailRequest
}

// queueEmails writes reqs to the workflow outbox in the transaction ctx carries (see store.Atomically), in
// one statement; pass the result to sendQueued once that transaction committed.
func (s *Server) queueEmails(ctx context.Context, reqs ...domain.EmailRequest) ([]queuedEmail, error) {
	queued := make([]queuedEmail, len(reqs))
	starts := make([]*domain.WorkflowStart, len(reqs))
	for i, req := range reqs {
		queued[i] = queuedEmail{start: domain.EmailStart(req), req: req}
		starts[i] = &queued[i].start
	}
	return queued, s.db.EnqueueStarts(ctx, starts...)
}

// sendQueued runs the fast path for emails whose transaction committed.
func (s *Server) sendQueued(ctx context.Context, queued []queuedEmail) {
	for _, q := range queued {
		s.startNow(ctx, q.start, func(ctx context.Context) error { return s.Workflows.SendEmail(ctx, q.req) })
	}
}
