package workflows_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/workflows"
)

// fakeBilling stands in for the billing activities: it records calls (with the workflow clock) and keeps
// the subscription status the activities would change.
type fakeBilling struct {
	mu       sync.Mutex
	env      *testsuite.TestWorkflowEnvironment
	status   string
	trialEnd time.Time
	calls    []string
	at       map[string]time.Time
	applied  []string
	// applyFails is how many more ApplyStripeEvent attempts fail; reminderFails makes every reminder and
	// dunning email attempt fail.
	applyFails    int
	reminderFails bool
}

func (f *fakeBilling) record(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, name)
	if f.at == nil {
		f.at = map[string]time.Time{}
	}
	f.at[name] = f.env.Now()
}

func (f *fakeBilling) register(env *testsuite.TestWorkflowEnvironment) {
	f.env = env
	env.RegisterActivityWithOptions(func(context.Context, string) (domain.TrialState, error) {
		return domain.TrialState{Status: f.status, TrialEndsAt: f.trialEnd}, nil
	}, activity.RegisterOptions{Name: workflows.ActivityLoadTrial})
	env.RegisterActivityWithOptions(func(context.Context, string) error {
		if f.reminderFails {
			return errors.New("smtp down")
		}
		f.record("reminder")
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivitySendTrialReminder})
	env.RegisterActivityWithOptions(func(context.Context, string) (bool, error) {
		f.record("end-trial")
		if f.status != domain.SubscriptionTrialing {
			return false, nil
		}
		f.status = domain.SubscriptionRestricted
		return true, nil
	}, activity.RegisterOptions{Name: workflows.ActivityEndTrial})
	env.RegisterActivityWithOptions(func(_ context.Context, ev domain.StripeEvent) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.applyFails > 0 {
			f.applyFails--
			return errors.New("database down")
		}
		f.applied = append(f.applied, ev.ID)
		if ev.Type == domain.StripeSubscriptionUpdated {
			f.status = domain.SubscriptionStatusFromStripe(ev.SubscriptionStatus)
		}
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivityApplyStripeEvent})
	env.RegisterActivityWithOptions(func(_ context.Context, step domain.DunningStep) error {
		if f.reminderFails {
			return errors.New("smtp down")
		}
		f.record("dunning-day-" + strconv.Itoa(step.Day))
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivitySendDunningEmail})
	env.RegisterActivityWithOptions(func(context.Context, string, string) (bool, error) {
		f.record("restrict")
		return true, nil
	}, activity.RegisterOptions{Name: workflows.ActivityRestrictForUnpaidInvoice})
}

const day = 24 * time.Hour

func TestSubscription(t *testing.T) {
	t.Run("an_unpaid_trial_is_reminded_three_days_before_and_restricted_at_its_end", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		start := env.Now()
		f := &fakeBilling{status: domain.SubscriptionTrialing, trialEnd: start.Add(14 * day)}
		f.register(env)
		// The workflow runs for the organization's lifetime; stop looking a day after the trial.
		env.SetTestTimeout(time.Minute)
		env.RegisterDelayedCallback(func() { env.CancelWorkflow() }, 15*day)

		env.ExecuteWorkflow(workflows.Subscription, workflows.SubscriptionInput{OrganizationID: "org-1"})

		assert.Equal(t, []string{"reminder", "end-trial"}, f.calls)
		assert.WithinDuration(t, start.Add(11*day), f.at["reminder"], time.Second)
		assert.WithinDuration(t, start.Add(14*day), f.at["end-trial"], time.Second)
		assert.Equal(t, domain.SubscriptionRestricted, f.status)
	})

	t.Run("a_trial_that_became_a_paid_subscription_is_not_restricted", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeBilling{status: domain.SubscriptionTrialing, trialEnd: env.Now().Add(14 * day)}
		f.register(env)
		env.RegisterDelayedCallback(func() {
			env.SignalWorkflow(workflows.SignalStripeEvent, domain.StripeEvent{ID: "evt_paid",
				Type: domain.StripeSubscriptionUpdated, SubscriptionStatus: "active"})
		}, 5*day)
		env.RegisterDelayedCallback(func() { env.CancelWorkflow() }, 15*day)

		env.ExecuteWorkflow(workflows.Subscription, workflows.SubscriptionInput{OrganizationID: "org-1"})

		assert.Equal(t, []string{"evt_paid"}, f.applied)
		assert.Equal(t, domain.SubscriptionActive, f.status, "the trial end leaves an active subscription alone")
	})

	t.Run("stripe_events_are_applied_in_arrival_order", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeBilling{status: domain.SubscriptionActive}
		f.register(env)
		for i, id := range []string{"evt_a", "evt_b", "evt_c"} {
			env.RegisterDelayedCallback(func() {
				env.SignalWorkflow(workflows.SignalStripeEvent, domain.StripeEvent{ID: id, Type: domain.StripeInvoicePaid})
			}, time.Duration(i+1)*time.Hour)
		}
		env.RegisterDelayedCallback(func() { env.CancelWorkflow() }, day)

		env.ExecuteWorkflow(workflows.Subscription, workflows.SubscriptionInput{OrganizationID: "org-1"})

		assert.Equal(t, []string{"evt_a", "evt_b", "evt_c"}, f.applied)
		assert.Empty(t, f.calls, "no trial, no trial timers")
	})

	t.Run("failing_activities_do_not_end_the_workflow", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		start := env.Now()
		// The test environment caps unlimited retries at 10 attempts (production retries until it succeeds), so
		// 25 failures exhaust evt_a and evt_b there; emailRetry's 20 attempts used to fail the whole workflow.
		f := &fakeBilling{status: domain.SubscriptionTrialing, trialEnd: start.Add(14 * day), applyFails: 25, reminderFails: true}
		f.register(env)
		env.SetTestTimeout(time.Minute)
		for i, id := range []string{"evt_a", "evt_b", "evt_c"} {
			env.RegisterDelayedCallback(func() {
				env.SignalWorkflow(workflows.SignalStripeEvent, domain.StripeEvent{ID: id, Type: domain.StripeInvoicePaid})
			}, time.Duration(i+1)*time.Hour)
		}
		env.RegisterDelayedCallback(func() { env.CancelWorkflow() }, 15*day)

		env.ExecuteWorkflow(workflows.Subscription, workflows.SubscriptionInput{OrganizationID: "org-1"})

		assert.Equal(t, []string{"evt_c"}, f.applied, "events after a failed one are still applied")
		assert.Equal(t, []string{"end-trial"}, f.calls, "the trial ends although its reminder could not be sent")
		assert.Equal(t, domain.SubscriptionRestricted, f.status)
	})

	t.Run("continues_as_new_when_suggested_carrying_progress_and_pending_events", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		start := env.Now()
		f := &fakeBilling{status: domain.SubscriptionTrialing, trialEnd: start.Add(14 * day)}
		f.register(env)
		// A day after the reminder Temporal suggests continuing, and two events arrive together: the run
		// applies the one that woke it, then hands the other to the next run instead of dropping it.
		env.RegisterDelayedCallback(func() {
			env.SetContinueAsNewSuggested(true)
			for _, id := range []string{"evt_a", "evt_b"} {
				env.SignalWorkflow(workflows.SignalStripeEvent, domain.StripeEvent{ID: id, Type: domain.StripeInvoicePaid})
			}
		}, 12*day)

		env.ExecuteWorkflow(workflows.Subscription, workflows.SubscriptionInput{OrganizationID: "org-1"})

		var can *workflow.ContinueAsNewError
		require.ErrorAs(t, env.GetWorkflowError(), &can)
		var next workflows.SubscriptionInput
		require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
		assert.Equal(t, "org-1", next.OrganizationID)
		assert.True(t, next.ReminderSent)
		assert.False(t, next.TrialHandled)
		require.Len(t, next.Pending, 1)
		assert.Equal(t, "evt_b", next.Pending[0].ID)
		assert.Equal(t, []string{"evt_a"}, f.applied)
		assert.Equal(t, []string{"reminder"}, f.calls)

		// The next run applies the carried event first, sends no second reminder and still ends the trial.
		env2 := s.NewTestWorkflowEnvironment()
		f.register(env2)
		f.calls, f.applied = nil, nil
		f.trialEnd = env2.Now().Add(2 * day)
		env2.RegisterDelayedCallback(func() { env2.CancelWorkflow() }, 3*day)
		env2.ExecuteWorkflow(workflows.Subscription, next)
		assert.Equal(t, []string{"evt_b"}, f.applied)
		assert.Equal(t, []string{"end-trial"}, f.calls)
	})
}

func TestDunning(t *testing.T) {
	in := workflows.DunningInput{OrganizationID: "org-1", InvoiceID: "in_1", AmountDue: 1900, Currency: "usd"}

	t.Run("an_unpaid_invoice_is_chased_on_days_0_3_7_14_then_restricts", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		start := env.Now()
		f := &fakeBilling{}
		f.register(env)

		env.ExecuteWorkflow(workflows.Dunning, in)

		require.True(t, env.IsWorkflowCompleted())
		require.NoError(t, env.GetWorkflowError())
		var res workflows.DunningResult
		require.NoError(t, env.GetWorkflowResult(&res))
		assert.Equal(t, workflows.DunningResult{EmailsSent: 4, Restricted: true}, res)
		for _, d := range []int{0, 3, 7, 14} {
			name := "dunning-day-" + strconv.Itoa(d)
			assert.WithinDuration(t, start.Add(time.Duration(d)*day), f.at[name], time.Second, name)
		}
		assert.WithinDuration(t, start.Add(workflows.DunningGraceDays*day), f.at["restrict"], time.Second)
	})

	t.Run("payment_on_day_5_ends_it_after_two_emails", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeBilling{}
		f.register(env)
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(workflows.SignalPaymentFailed, nil) }, 2*day)
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(workflows.SignalInvoicePaid, nil) }, 5*day)

		env.ExecuteWorkflow(workflows.Dunning, in)

		var res workflows.DunningResult
		require.NoError(t, env.GetWorkflowResult(&res))
		assert.Equal(t, workflows.DunningResult{EmailsSent: 2, Paid: true}, res)
		assert.NotContains(t, f.calls, "restrict")
	})

	t.Run("emails_that_cannot_be_sent_do_not_stop_the_restriction", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		env.SetTestTimeout(time.Minute)
		f := &fakeBilling{reminderFails: true}
		f.register(env)

		env.ExecuteWorkflow(workflows.Dunning, in)

		var res workflows.DunningResult
		require.NoError(t, env.GetWorkflowResult(&res))
		assert.Equal(t, workflows.DunningResult{Restricted: true}, res)
	})
}
