package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/domain"
)

// ActivitySendTemplatedEmail renders and sends one email (activities.Activities.SendTemplatedEmail).
const ActivitySendTemplatedEmail = "SendTemplatedEmail"

// SendEmail delivers one templated email with retries; the API starts it for emails that answer a
// request (password reset, invitation, security notices) so a provider outage never loses one.
func SendEmail(ctx workflow.Context, in domain.EmailRequest) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         emailRetry,
	})
	return workflow.ExecuteActivity(ctx, ActivitySendTemplatedEmail, in).Get(ctx, nil)
}
