package workflows

import (
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/domain"
)

// SignalNotificationEmail adds a notification (its id) to a NotifyEmail window.
const SignalNotificationEmail = "notification-email"

// NotifyEmailWindow is how long a notification email waits for more changes to the same entity: long
// enough that a burst of edits to one task is one email, short enough that the email is still news.
const NotifyEmailWindow = 3 * time.Minute

// NotifyEmailInput names the recipient and the entity whose emails one NotifyEmail workflow coalesces.
type NotifyEmailInput struct {
	OrganizationID string
	RecipientID    string
	EntityKey      string
	// Window overrides NotifyEmailWindow; tests shorten it.
	Window time.Duration `json:",omitempty"`
}

// NotifyEmail coalesces a recipient's notification emails about one entity: the first signal (from the
// signal-with-start) opens the window, later signals join it, and when it closes one activity sends one
// email for all of them. Signals that arrive while that email goes out open the next window; the workflow
// ends when none is waiting (Temporal refuses the completion of a workflow with an unread signal, so the
// last check cannot miss one).
func NotifyEmail(ctx workflow.Context, in NotifyEmailInput) error {
	window := in.Window
	if window <= 0 {
		window = NotifyEmailWindow
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second, RetryPolicy: emailRetry})
	signals := workflow.GetSignalChannel(ctx, SignalNotificationEmail)
	for {
		ids := drainNotificationIDs(signals, nil)
		if len(ids) == 0 {
			return nil
		}
		if err := workflow.Sleep(ctx, window); err != nil {
			return err
		}
		ids = drainNotificationIDs(signals, ids)
		batch := domain.NotificationEmailBatch{OrganizationID: in.OrganizationID, RecipientID: in.RecipientID, NotificationIDs: ids}
		if err := workflow.ExecuteActivity(ctx, ActivitySendNotificationEmail, batch).Get(ctx, nil); err != nil {
			// Only a refusal for good or exhausted retries land here; the deliveries say so. The next
			// window's notifications still deserve their email.
			workflow.GetLogger(ctx).Warn("notification email not sent", "err", err)
		}
	}
}

// drainNotificationIDs appends the ids waiting on signals to ids, each once, in arrival order.
func drainNotificationIDs(signals workflow.ReceiveChannel, ids []string) []string {
	var id string
	for signals.ReceiveAsync(&id) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}
