package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/domain"
)

// Subscription activity names (activities.Activities).
const (
	// ActivityLoadTrial returns the organization's subscription as the workflow starts (TrialState).
	ActivityLoadTrial = "LoadTrial"
	// ActivitySendTrialReminder emails the owners that the trial ends soon, once per organization.
	ActivitySendTrialReminder = "SendTrialReminder"
	// ActivityEndTrial restricts the organization unless a paid subscription is active; reports whether it did.
	ActivityEndTrial = "EndTrial"
	// ActivityApplyStripeEvent applies one Stripe event to the organization (state and emails, idempotent).
	ActivityApplyStripeEvent = "ApplyStripeEvent"
)

// SignalStripeEvent carries a domain.StripeEvent to the organization's Subscription workflow.
const SignalStripeEvent = "stripe-event"

// SignalOrganizationDeleted ends the organization's Subscription workflow: the organization's deletion
// sends it once billing is stopped, so no workflow outlives its organization.
const SignalOrganizationDeleted = "organization-deleted"

// TrialReminderBefore is how long before the trial ends the owners are reminded.
const TrialReminderBefore = 3 * 24 * time.Hour

// SubscriptionInput starts (or continues) an organization's Subscription workflow.
type SubscriptionInput struct {
	OrganizationID string
	// ReminderSent and TrialHandled carry progress across continue-as-new.
	ReminderSent bool
	TrialHandled bool
	// Pending are signals received but not yet applied when the workflow continued as new.
	Pending []domain.StripeEvent
}

// stateRetry retries the activities that change the subscription's state (all idempotent) until they
// succeed: giving up would fail the lifetime workflow and lose the Stripe events it holds.
var stateRetry = &temporal.RetryPolicy{
	InitialInterval:    time.Second,
	BackoffCoefficient: 2,
	MaximumInterval:    5 * time.Minute,
}

// Subscription runs for the organization's lifetime: it reminds the owners before the trial ends, decides
// at the trial's end (paid → nothing to do, else restricted), and applies Stripe events that arrive as
// signals, in arrival order (the store ignores events older than the state it holds). It ends when its
// organization is deleted (the deletion's signal, or an organization already gone at the start). It
// continues as new when Temporal suggests, after draining the signals it holds. State-changing activities retry until they
// succeed; one that still fails (a non-retryable error) and the reminder email are logged, never returned.
func Subscription(ctx workflow.Context, in SubscriptionInput) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second, RetryPolicy: stateRetry})
	var trial domain.TrialState
	if !in.TrialHandled {
		if err := workflow.ExecuteActivity(ctx, ActivityLoadTrial, in.OrganizationID).Get(ctx, &trial); err != nil {
			var gone *temporal.ApplicationError
			if errors.As(err, &gone) && gone.Type() == "NotFound" {
				// The organization was deleted (a late Stripe event started this run): nothing to watch.
				workflow.GetLogger(ctx).Info("subscription: organization gone", "organization_id", in.OrganizationID)
				return nil
			}
			return err
		}
		if trial.Status != domain.SubscriptionTrialing {
			in.TrialHandled = true
		}
	}
	events := workflow.GetSignalChannel(ctx, SignalStripeEvent)
	deleted := workflow.GetSignalChannel(ctx, SignalOrganizationDeleted)
	pending, ended := in.Pending, false
	for {
		for _, ev := range pending {
			if err := workflow.ExecuteActivity(ctx, ActivityApplyStripeEvent, ev).Get(ctx, nil); err != nil {
				workflow.GetLogger(ctx).Error("subscription: stripe event not applied", "event_id", ev.ID, "error", err)
			}
		}
		pending = nil
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			for {
				var ev domain.StripeEvent
				if !events.ReceiveAsync(&ev) {
					break
				}
				pending = append(pending, ev)
			}
			in.Pending = pending
			return workflow.NewContinueAsNewError(ctx, Subscription, in)
		}
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(events, func(c workflow.ReceiveChannel, _ bool) {
			var ev domain.StripeEvent
			c.Receive(ctx, &ev)
			pending = append(pending, ev)
		})
		sel.AddReceive(deleted, func(c workflow.ReceiveChannel, _ bool) {
			c.Receive(ctx, nil)
			ended = true
		})
		timerCtx, cancelTimer := workflow.WithCancel(ctx)
		var step func()
		if !in.TrialHandled {
			at, reminder := trial.TrialEndsAt, !in.ReminderSent
			if reminder {
				at = at.Add(-TrialReminderBefore)
			}
			sel.AddFuture(workflow.NewTimer(timerCtx, max(at.Sub(workflow.Now(ctx)), time.Millisecond)), func(workflow.Future) {
				step = func() { trialStep(ctx, &in, reminder) }
			})
		}
		sel.Select(ctx)
		cancelTimer()
		if ended {
			return nil
		}
		if step != nil {
			step()
		}
	}
}

// trialStep sends the reminder (retried like any email, then given up: a missed reminder must not stop the
// trial's end) or ends the trial, and records that it did.
func trialStep(ctx workflow.Context, in *SubscriptionInput, reminder bool) {
	if reminder {
		in.ReminderSent = true
		emailCtx := workflow.WithRetryPolicy(ctx, *emailRetry)
		if err := workflow.ExecuteActivity(emailCtx, ActivitySendTrialReminder, in.OrganizationID).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("subscription: trial reminder not sent", "organization_id", in.OrganizationID, "error", err)
		}
		return
	}
	in.TrialHandled = true
	if err := workflow.ExecuteActivity(ctx, ActivityEndTrial, in.OrganizationID).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Error("subscription: trial end not applied", "organization_id", in.OrganizationID, "error", err)
	}
}
