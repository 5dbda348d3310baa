package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// ActivityExpireInvitation marks a still-pending invitation expired and tells the inviter
// (activities.Activities.ExpireInvitation).
const ActivityExpireInvitation = "ExpireInvitation"

// Signals the API sends an invitation's expiry workflow when the invitation stops being pending.
const (
	SignalInvitationAccepted = "accepted"
	SignalInvitationRevoked  = "revoked"
)

// Outcomes of an invitation's expiry workflow.
const (
	InvitationOutcomeAccepted = "accepted"
	InvitationOutcomeRevoked  = "revoked"
	InvitationOutcomeExpired  = "expired"
	// InvitationOutcomeSettled means the timer fired but the invitation had already left pending (a signal
	// was lost), so nothing was changed or sent.
	InvitationOutcomeSettled = "settled"
)

// InvitationExpiryInput starts the expiry workflow of one invitation.
type InvitationExpiryInput struct {
	OrganizationID string
	InvitationID   string
	ExpiresAt      time.Time
}

// InvitationExpiry waits until the invitation's expiry; an accepted or revoked signal ends it early. When
// the time comes, an activity expires the invitation if it is still pending (a conditional update, so a
// lost signal or a retry changes nothing) and emails the inviter.
func InvitationExpiry(ctx workflow.Context, in InvitationExpiryInput) (string, error) {
	outcome := ""
	timerCtx, cancelTimer := workflow.WithCancel(ctx)
	sel := workflow.NewSelector(ctx)
	for _, name := range []string{SignalInvitationAccepted, SignalInvitationRevoked} {
		sel.AddReceive(workflow.GetSignalChannel(ctx, name), func(c workflow.ReceiveChannel, _ bool) {
			c.Receive(ctx, nil)
			outcome = name
			cancelTimer()
		})
	}
	// An invitation already past its expiry (a late start) expires at once rather than failing the timer.
	wait := max(in.ExpiresAt.Sub(workflow.Now(ctx)), 0)
	sel.AddFuture(workflow.NewTimer(timerCtx, wait), func(workflow.Future) {})
	sel.Select(ctx)
	if outcome != "" {
		return outcome, nil
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second, RetryPolicy: emailRetry})
	var expired bool
	err := workflow.ExecuteActivity(ctx, ActivityExpireInvitation, in.OrganizationID, in.InvitationID).Get(ctx, &expired)
	if err != nil {
		return "", err
	}
	if !expired {
		return InvitationOutcomeSettled, nil
	}
	return InvitationOutcomeExpired, nil
}
