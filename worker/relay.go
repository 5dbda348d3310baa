package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// Start starts the workflow one outbox row asks for, through the typed method for its kind. Every kind's
// method treats a workflow that already runs under the same ID as success, so a start made by both the
// API's fast path and the relay joins one workflow.
func (s Starter) Start(ctx context.Context, ws domain.WorkflowStart) error {
	switch ws.Kind {
	case domain.StartKindWelcome:
		return s.StartWelcome(ctx, ws.Key)
	case domain.StartKindSubscription:
		return s.StartSubscription(ctx, ws.Key)
	case domain.StartKindOrganizationDeletion:
		return s.StartOrganizationDeletion(ctx, ws.Key)
	case domain.StartKindPurgeFiles:
		return s.StartPurgeFiles(ctx, ws.Key)
	case domain.StartKindDueReminders:
		return s.StartDueReminders(ctx, ws.Key)
	case domain.StartKindEmail:
		var req domain.EmailRequest
		if err := json.Unmarshal(ws.Input, &req); err != nil {
			return fmt.Errorf("worker: decode %s start %s: %w", ws.Kind, ws.ID, err)
		}
		return s.SendEmail(ctx, req)
	case domain.StartKindInvitationExpiry:
		var inv domain.Invitation
		if err := json.Unmarshal(ws.Input, &inv); err != nil {
			return fmt.Errorf("worker: decode %s start %s: %w", ws.Kind, ws.ID, err)
		}
		return s.StartInvitationExpiry(ctx, inv)
	case domain.StartKindUserNotice:
		var n domain.UserNotice
		if err := json.Unmarshal(ws.Input, &n); err != nil {
			return fmt.Errorf("worker: decode %s start %s: %w", ws.Kind, ws.ID, err)
		}
		return s.StartUserNotice(ctx, n)
	case domain.StartKindInvoiceOverdue:
		var w domain.InvoiceWatch
		if err := json.Unmarshal(ws.Input, &w); err != nil {
			return fmt.Errorf("worker: decode %s start %s: %w", ws.Kind, ws.ID, err)
		}
		return s.StartInvoiceOverdue(ctx, w)
	case domain.StartKindExport:
		var ref domain.ExportRef
		if err := json.Unmarshal(ws.Input, &ref); err != nil {
			return fmt.Errorf("worker: decode %s start %s: %w", ws.Kind, ws.ID, err)
		}
		return s.StartExport(ctx, ref)
	}
	return fmt.Errorf("worker: unknown workflow start kind %q (start %s)", ws.Kind, ws.ID)
}

// Relay forwards the workflow outbox to Temporal. The API writes each workflow start in the business
// transaction and tries it at once after the commit; the relay picks up the starts that attempt missed (a
// Temporal outage, an API process killed between its commit and the start) and retries them with backoff.
//
// This is the one polling loop in ClientFlow, and deliberately so: it is a forwarder in the watermill
// sense, the bridge to Temporal for exactly the time Temporal cannot take work, so it cannot itself be a
// Temporal workflow or schedule. It runs in the worker binary: the worker is the process that needs
// Temporal anyway (a relay stuck with a dead Temporal loses nothing a worker would not), it keeps loops
// out of the API's request-serving process, and any number of workers share the backlog through FOR
// UPDATE SKIP LOCKED. Starts are at-least-once; the workflow ID (built from the start's business key)
// makes a repeated start join the running workflow.
//
// The same loop forwards the domain event queue (domain_event_queue, filled by a trigger in every business
// transaction that records an event) to FanOut workflows, which turn events into notifications. It looks
// at that queue more often than at the workflow outbox (EventInterval), since nothing else hands events
// over: there is no fast path, so an API process killed right after its commit loses nothing.
type Relay struct {
	DB      *store.DB
	Starter Starter
	Logger  *slog.Logger
	// Interval is the pause between passes over the workflow outbox; zero means 2 s.
	Interval time.Duration
	// EventInterval is the pause between looks at the domain event queue while it is not full; zero
	// means 500 ms.
	EventInterval time.Duration
	// MinAge leaves young starts to the API's fast path; zero means 5 s.
	MinAge time.Duration
	// Healthy, when set, is asked before each pass: while Temporal is down the relay touches no row, so an
	// outage adds no backoff and every pending start goes out on the first pass after it ends.
	Healthy func(context.Context) error
	// Delays, when set, tells the operator about backlogs waiting too long (checked first in each pass,
	// Temporal up or not).
	Delays *DelayWatch

	down atomic.Bool
}

// relayBatch bounds one pass (and so how long its transaction holds row locks).
const relayBatch = 50

// startTimeout bounds one start, so a Temporal that accepts connections but never answers stalls a pass
// for seconds, not for the SDK's default deadline.
const startTimeout = 5 * time.Second

// prunedAfter is how long started rows stay for ops to read.
const prunedAfter = 7 * 24 * time.Hour

// Run relays until ctx ends.
func (r *Relay) Run(ctx context.Context) {
	interval := r.Interval
	if interval <= 0 {
		interval = 2 * time.Second
	}
	var nextPass time.Time
	for {
		var handed int
		if now := time.Now(); !now.Before(nextPass) {
			nextPass = now.Add(interval)
			handed = r.pass(ctx)
		} else {
			handed = r.relayEvents(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(min(r.eventPause(handed), time.Until(nextPass))):
		}
	}
}

// Pass relays what is due now (workflow starts and queued domain events) and prunes old started rows;
// failures are logged and retried next pass. It returns how many workflow starts it relayed.
func (r *Relay) Pass(ctx context.Context) int {
	n, _ := r.passCounts(ctx)
	return n
}

// pass is Pass for Run: it returns how many domain events it handed over, which sets the next pause.
func (r *Relay) pass(ctx context.Context) int {
	_, events := r.passCounts(ctx)
	return events
}

func (r *Relay) passCounts(ctx context.Context) (starts, events int) {
	r.Delays.Check(ctx)
	if !r.temporalUp(ctx) {
		return 0, 0
	}
	return r.relayStarts(ctx), r.relayEvents(ctx)
}

// relayStarts relays the workflow outbox and prunes it.
func (r *Relay) relayStarts(ctx context.Context) int {
	minAge := r.MinAge
	if minAge <= 0 {
		minAge = 5 * time.Second
	}
	n, err := r.DB.RelayWorkflowStarts(ctx, minAge, relayBatch, func(ctx context.Context, ws domain.WorkflowStart) error {
		sctx, cancel := context.WithTimeout(ctx, startTimeout)
		defer cancel()
		err := r.Starter.Start(sctx, ws)
		if err != nil {
			r.logger().WarnContext(ctx, "relay: workflow start failed, will retry", "kind", ws.Kind, "key", ws.Key, "err", err)
		}
		return err
	})
	if err != nil && ctx.Err() == nil {
		r.logger().ErrorContext(ctx, "relay: pass failed", "err", err)
	}
	if n > 0 {
		r.logger().InfoContext(ctx, "relay: started pending workflows", "count", n)
	}
	if err := r.DB.PruneWorkflowStarts(ctx, prunedAfter); err != nil && ctx.Err() == nil {
		r.logger().ErrorContext(ctx, "relay: prune", "err", err)
	}
	return n
}

// temporalUp asks Healthy, logging once when Temporal goes away and once when it is back.
func (r *Relay) temporalUp(ctx context.Context) bool {
	if r.Healthy == nil {
		return true
	}
	hctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	err := r.Healthy(hctx)
	if err != nil && ctx.Err() == nil && !r.down.Swap(true) {
		r.logger().WarnContext(ctx, "relay: Temporal unreachable, workflow starts wait in the outbox", "err", err)
	} else if err == nil && r.down.Swap(false) {
		r.logger().InfoContext(ctx, "relay: Temporal is back, relaying the outbox")
	}
	return err == nil
}

func (r *Relay) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.Default()
	}
	return r.Logger
}

// BacklogCheck is a readiness check that fails while the oldest workflow start waiting for Temporal has
// waited longer than limit: starts are piling up (Temporal down, or no worker running the relay).
func BacklogCheck(db *store.DB, limit time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		age, err := db.WorkflowBacklogAge(ctx)
		if err != nil {
			return err
		}
		if age > limit {
			return fmt.Errorf("the oldest pending workflow start has waited %s", age.Round(time.Second))
		}
		return nil
	}
}

// BacklogGauge exposes the age of the oldest workflow start waiting for Temporal, in seconds (0 when none),
// read from the outbox at each scrape.
func BacklogGauge(db *store.DB) prometheus.GaugeFunc {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "clientflow_workflow_outbox_oldest_pending_seconds",
		Help: "Age of the oldest workflow start not yet accepted by Temporal (0 when none).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		age, err := db.WorkflowBacklogAge(ctx)
		if err != nil {
			return -1
		}
		return age.Seconds()
	})
}
