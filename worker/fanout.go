package worker

import (
	"context"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/workflows"
)

// StartFanOut starts the FanOut workflow for one batch of queued domain events. The workflow ID is the
// batch's business key, so a batch handed over again (the relay died before deleting it) joins the run
// that has it; the relay treats already-started as success, like every other start.
func (s Starter) StartFanOut(ctx context.Context, events []domain.EventRef) error {
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.EventID
	}
	return s.startOnce(ctx, workflows.FanOutWorkflowID(ids), "", enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		"FanOut", workflows.FanOutInput{Events: events})
}

// QueueNotificationEmail adds a notification to the email window of its recipient and entity, opening
// the window when none is open (signal-with-start), findable by its OrganizationId search attribute. It
// implements activities.EmailDigests.
func (s Starter) QueueNotificationEmail(ctx context.Context, ref domain.NotificationEmailRef) error {
	_, err := s.Client.SignalWithStartWorkflow(ctx,
		workflows.NotifyEmailWorkflowID(ref.OrganizationID, ref.RecipientID, ref.EntityKey),
		workflows.SignalNotificationEmail, ref.NotificationID,
		client.StartWorkflowOptions{TaskQueue: s.TaskQueue, TypedSearchAttributes: orgSearchAttributes(ref.OrganizationID)},
		"NotifyEmail", workflows.NotifyEmailInput{OrganizationID: ref.OrganizationID, RecipientID: ref.RecipientID,
			EntityKey: ref.EntityKey, Window: s.NotifyEmailWindow})
	return err
}

// StartUserNotice starts the workflow that gives a security notice to its user in each of their
// organizations; starting it again for the same notice is harmless.
func (s Starter) StartUserNotice(ctx context.Context, n domain.UserNotice) error {
	return s.startOnce(ctx, workflows.UserNoticeWorkflowID(n.SourceKey), "", enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		"UserNotice", n)
}

// eventBatch bounds the events one FanOut workflow takes (and one claim's transaction locks).
const eventBatch = 100

// relayEvents hands the queued domain events to FanOut workflows, a batch at a time, and reports how many
// it handed over. It skips while the last health check found Temporal down, so an outage adds no backoff.
func (r *Relay) relayEvents(ctx context.Context) int {
	if r.down.Load() {
		return 0
	}
	n, err := r.DB.ClaimQueuedEvents(ctx, eventBatch, func(ctx context.Context, refs []domain.EventRef) error {
		sctx, cancel := context.WithTimeout(ctx, startTimeout)
		defer cancel()
		err := r.Starter.StartFanOut(sctx, refs)
		if err != nil {
			r.logger().WarnContext(ctx, "relay: fan-out start failed, will retry", "events", len(refs), "err", err)
		}
		return err
	})
	if err != nil && ctx.Err() == nil {
		r.logger().ErrorContext(ctx, "relay: domain event pass failed", "err", err)
	}
	return n
}

// eventPause is how long the relay waits before its next look at the event queue: none while a full batch
// says more are waiting, else EventInterval (default 500 ms, so a notification reaches its recipient about
// a second after the change, at the cost of one indexed query on an empty table per pause).
func (r *Relay) eventPause(handed int) time.Duration {
	switch {
	case handed >= eventBatch:
		return 0
	case r.EventInterval > 0:
		return r.EventInterval
	}
	return 500 * time.Millisecond
}

// EventBacklogCheck is a readiness check that fails while the oldest domain event waiting for the fan-out
// has waited longer than limit (Temporal down, or no worker running the relay).
func EventBacklogCheck(db *store.DB, limit time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		age, err := db.QueuedEventsAge(ctx)
		if err != nil {
			return err
		}
		if age > limit {
			return fmt.Errorf("the oldest domain event waiting for the fan-out has waited %s", age.Round(time.Second))
		}
		return nil
	}
}

// EventBacklogGauge exposes the age of the oldest domain event waiting for the fan-out, in seconds (0 when
// none), read from the queue at each scrape.
func EventBacklogGauge(db *store.DB) prometheus.GaugeFunc {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "clientflow_domain_event_queue_oldest_seconds",
		Help: "Age of the oldest domain event not yet handed to the notification fan-out (0 when none).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		age, err := db.QueuedEventsAge(ctx)
		if err != nil {
			return -1
		}
		return age.Seconds()
	})
}
