package worker

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// DelayWatch tells the operator when work waits for dispatch longer than Threshold: the domain event queue
// (notifications), the workflow outbox (emails, timers) or Stripe events (billing). Each backlog is its own
// incident: the first check that finds it too old sends one ops_delay email to To (OPS_EMAIL; empty logs
// only), and the incident ends when a check finds that backlog within the threshold again, so the next
// one may mail again. The relay's pass calls Check; it reads the three ages at most every Every.
//
// The notice is sent directly (Send), not through a workflow: a Temporal outage is the likeliest cause.
type DelayWatch struct {
	DB *store.DB
	// Send renders and sends one templated email (activities.Activities.SendTemplatedEmail).
	Send   func(context.Context, domain.EmailRequest) error
	To     string
	Logger *slog.Logger
	// Threshold is how long the oldest entry may wait; zero means 5 minutes.
	Threshold time.Duration
	// Every spaces the checks; zero means 30 s.
	Every time.Duration

	mu        sync.Mutex
	nextCheck time.Time
	// open holds each backlog's open incident.
	open map[string]*incident
}

// incident is one backlog over the threshold, from since until a check finds it within again. notified
// stays false while sending the notice fails, so the next check retries it under the same key.
type incident struct {
	since    time.Time
	notified bool
}

// backlog is one queue the watch reads.
type backlog struct {
	// id names the backlog in the notice's idempotency key, name in the notice.
	id, name string
	age      func(*store.DB, context.Context) (time.Duration, error)
}

var backlogs = []backlog{
	{"domain-events", "domain events waiting for the notification fan-out", (*store.DB).QueuedEventsAge},
	{"workflow-starts", "workflow starts waiting for Temporal", (*store.DB).WorkflowBacklogAge},
	{"stripe-events", "Stripe events waiting for dispatch", (*store.DB).StripeBacklogAge},
}

// Check reads the backlogs' ages when due and opens or closes incidents; a nil watch does nothing.
func (w *DelayWatch) Check(ctx context.Context) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	if now.Before(w.nextCheck) {
		return
	}
	w.nextCheck = now.Add(orDuration(w.Every, 30*time.Second))
	if w.open == nil {
		w.open = map[string]*incident{}
	}
	threshold := orDuration(w.Threshold, 5*time.Minute)
	for _, b := range backlogs {
		age, err := b.age(w.DB, ctx)
		if err != nil {
			if ctx.Err() == nil {
				w.logger().WarnContext(ctx, "delay watch: read backlog age", "backlog", b.name, "err", err)
			}
			continue
		}
		inc := w.open[b.name]
		switch {
		case age > threshold && inc == nil:
			inc = &incident{since: now}
			w.open[b.name] = inc
			w.logger().ErrorContext(ctx, "delay watch: dispatch delayed", "backlog", b.name,
				"oldest_age", age.Round(time.Second), "threshold", threshold, "ops_email", w.To)
			fallthrough
		case age > threshold && !inc.notified:
			inc.notified = w.notify(ctx, b, age, threshold, inc.since)
		case age <= threshold && inc != nil:
			delete(w.open, b.name)
			w.logger().InfoContext(ctx, "delay watch: backlog cleared", "backlog", b.name)
		}
	}
}

// notify mails To about the incident that started at since and reports whether that is done (nothing to
// send counts as done); the key carries the incident's start, so a retry never mails twice.
func (w *DelayWatch) notify(ctx context.Context, b backlog, age, threshold time.Duration, since time.Time) bool {
	if w.To == "" || w.Send == nil {
		return true
	}
	req := domain.EmailRequest{Key: "ops-delay/" + b.id + "/" + since.UTC().Format(time.RFC3339Nano), To: w.To,
		Template: domain.EmailOpsDelay, Data: map[string]string{"Backlog": b.name,
			"OldestAge": age.Round(time.Second).String(), "Threshold": threshold.String(),
			"Since": since.UTC().Format("Mon 2 Jan 2006 15:04 MST")}}
	if err := w.Send(ctx, req); err != nil {
		w.logger().ErrorContext(ctx, "delay watch: send ops_delay email, will retry", "backlog", b.name, "err", err)
		return false
	}
	return true
}

func (w *DelayWatch) logger() *slog.Logger {
	if w.Logger == nil {
		return slog.Default()
	}
	return w.Logger
}

func orDuration(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
