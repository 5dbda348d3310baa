package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/domain"
)

// Activity names of outbound webhooks (activities.Activities methods).
const (
	ActivityDispatchWebhooks      = "DispatchWebhooks"
	ActivityDeliverWebhook        = "DeliverWebhook"
	ActivityWebhookDeliveryFailed = "WebhookDeliveryFailed"
)

// WebhookMaxAttempts is how many times a delivery is tried: at once, then 1 s, 2 s and 4 s after each failure.
const WebhookMaxAttempts = 4

// webhookTryTimeout bounds one try: the HTTP client gives up after 10 s, the rest is loading the row and
// recording the try.
const webhookTryTimeout = 15 * time.Second

// WebhookDelivery delivers one webhook delivery row: DeliverWebhook signs and POSTs the stored body, and
// Temporal retries it on a 5xx, 408, 429 or network failure (1 s, 2 s, 4 s; one try only for a ping sent
// with SingleAttempt). Each try records itself on the row, so the log shows every attempt. DeliverWebhook
// ends without error when nothing more is to be done (delivered, endpoint disabled or gone); any error left
// after the last try is a failed delivery, which WebhookDeliveryFailed records (and counts towards the
// endpoint's failure run and its owners' email). A failed delivery is no failed workflow: the workflow
// ends normally either way, so the row, not the workflow status, is the delivery's outcome.
func WebhookDelivery(ctx workflow.Context, ref domain.WebhookDeliveryRef) error {
	attempts := int32(WebhookMaxAttempts)
	if ref.SingleAttempt {
		attempts = 1
	}
	try := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: webhookTryTimeout,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: 4 * time.Second, MaximumAttempts: attempts}})
	err := workflow.ExecuteActivity(try, ActivityDeliverWebhook, ref).Get(ctx, nil)
	if err == nil {
		return nil
	}
	workflow.GetLogger(ctx).Info("webhook delivery failed", "delivery", ref.DeliveryID, "err", err)
	// Recording the failure must not be lost: it retries like the fan-out's steps (it is keyed by the
	// delivery, and its email by endpoint and hour).
	done := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute, RetryPolicy: notifyRetry})
	return workflow.ExecuteActivity(done, ActivityWebhookDeliveryFailed, ref).Get(ctx, nil)
}
