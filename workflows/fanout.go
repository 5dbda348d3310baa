package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/domain"
)

// Activity names of the fan-out (activities.Activities methods).
const (
	ActivityNotifyEvents          = "NotifyEvents"
	ActivityNotify                = "Notify"
	ActivitySendNotificationEmail = "SendNotificationEmail"
	ActivitySendPushNotification  = "SendPushNotification"
	ActivityNotifyUser            = "NotifyUser"
)

// FanOutInput is one batch of domain events the outbox relay took from domain_event_queue.
type FanOutInput struct {
	Events []domain.EventRef
}

// notifyRetry keeps retrying a fan-out step: an event taken from the queue exists nowhere else, so giving
// up would lose it. Each step is idempotent (keyed by the event id and recipient).
var notifyRetry = &temporal.RetryPolicy{
	InitialInterval:    time.Second,
	BackoffCoefficient: 2,
	MaximumInterval:    5 * time.Minute,
}

// FanOut turns a batch of domain events into notifications and webhook deliveries: one NotifyEvents activity for the whole batch
// (a task per event would cost Temporal several times what the notifications themselves cost), then one
// push per push delivery it left. Emails go to the coalescing NotifyEmail workflows from inside
// NotifyEvents. The relay starts it with the batch's business key, so a batch handed over twice runs
// once; an event handed over in two batches is notified once anyway (the activity's inserts are keyed by
// event and recipient). The activity heartbeats per event, so a lost worker is noticed well before the
// batch's time is up. DispatchWebhooks, in parallel with the notifications, creates the batch's webhook
// deliveries and starts a WebhookDelivery workflow for each.
func FanOut(ctx workflow.Context, in FanOutInput) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute, RetryPolicy: notifyRetry})
	// Webhooks came after fan-outs were first recorded: a run started before them replays without the
	// dispatch (DefaultVersion), every new run dispatches alongside the notifications.
	var webhooks workflow.Future
	if workflow.GetVersion(ctx, "webhooks", workflow.DefaultVersion, 1) >= 1 {
		webhooks = workflow.ExecuteActivity(ctx, ActivityDispatchWebhooks, in.Events)
	}
	var results []domain.NotifyResult
	batch := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 5 * time.Minute,
		HeartbeatTimeout: 30 * time.Second, RetryPolicy: notifyRetry})
	if err := workflow.ExecuteActivity(batch, ActivityNotifyEvents, in.Events).Get(ctx, &results); err != nil {
		return err
	}
	err := sendPushes(ctx, results)
	if webhooks != nil {
		// DispatchWebhooks retries until it succeeds; only a permanent failure (no starter configured) ends
		// here, and it must not fail the batch's notifications.
		if werr := webhooks.Get(ctx, nil); werr != nil {
			workflow.GetLogger(ctx).Error("fan-out: webhooks not dispatched", "err", werr)
		}
	}
	return err
}

// sendPushes sends every push delivery of results, in parallel; SendPushNotification retries a failing
// browser itself and marks the delivery, so a failure here ends nothing but this push.
func sendPushes(ctx workflow.Context, results []domain.NotifyResult) error {
	var futures []workflow.Future
	for _, res := range results {
		for _, id := range res.Push {
			futures = append(futures, workflow.ExecuteActivity(ctx, ActivitySendPushNotification, res.OrganizationID, id))
		}
	}
	for _, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Warn("fan-out: push not delivered", "err", err)
		}
	}
	return nil
}

// UserNotice gives a security notice to its user in every organization they belong to (NotifyUser), then
// sends its pushes. The API writes its start in the transaction of the change it reports; its ID is the
// notice's source key, so a start relayed twice runs once.
func UserNotice(ctx workflow.Context, n domain.UserNotice) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute, RetryPolicy: notifyRetry})
	var results []domain.NotifyResult
	if err := workflow.ExecuteActivity(ctx, ActivityNotifyUser, n).Get(ctx, &results); err != nil {
		return err
	}
	return sendPushes(ctx, results)
}
