// Package workflows holds ClientFlow's deterministic Temporal workflows, their inputs, signals and retry
// policies. Activities are called by name so this package stays free of I/O dependencies.
package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Activity names, registered by the worker (see activities.Activities).
const (
	ActivitySendWelcomeEmail   = "SendWelcomeEmail"
	ActivitySendVerifyReminder = "SendVerifyReminder"
)

// SignalEmailVerified tells a Welcome workflow that the address was confirmed, so no reminder is due.
const SignalEmailVerified = "email-verified"

// WelcomeInput starts the welcome workflow for one new user.
type WelcomeInput struct {
	UserID string
	// ReminderAfter is how long to wait before reminding an unverified user (3 days by default).
	ReminderAfter time.Duration
}

// WelcomeResult says which emails went out.
type WelcomeResult struct {
	WelcomeSent  bool
	ReminderSent bool
}

// emailRetry retries transient provider failures for about an hour; permanent ones are non-retryable errors.
var emailRetry = &temporal.RetryPolicy{
	InitialInterval:    time.Second,
	BackoffCoefficient: 2,
	MaximumInterval:    5 * time.Minute,
	MaximumAttempts:    20,
}

// Welcome sends the welcome / verify-your-address email, then waits; if the address is still unverified
// when ReminderAfter passes, it sends one reminder. A verification signal ends it early.
func Welcome(ctx workflow.Context, in WelcomeInput) (WelcomeResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         emailRetry,
	})
	var res WelcomeResult
	if err := workflow.ExecuteActivity(ctx, ActivitySendWelcomeEmail, in.UserID).Get(ctx, nil); err != nil {
		return res, err
	}
	res.WelcomeSent = true

	wait := in.ReminderAfter
	if wait <= 0 {
		wait = 72 * time.Hour
	}
	verified := false
	timerCtx, cancelTimer := workflow.WithCancel(ctx)
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(workflow.GetSignalChannel(ctx, SignalEmailVerified), func(c workflow.ReceiveChannel, _ bool) {
		c.Receive(ctx, nil)
		verified = true
		cancelTimer()
	})
	sel.AddFuture(workflow.NewTimer(timerCtx, wait), func(workflow.Future) {})
	sel.Select(ctx)
	if verified {
		return res, nil
	}
	// The activity re-checks the address itself: a verification may have landed without a signal.
	err := workflow.ExecuteActivity(ctx, ActivitySendVerifyReminder, in.UserID).Get(ctx, &res.ReminderSent)
	return res, err
}
