package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/workflows"
)

func TestSubscriptionEndsWithItsOrganization(t *testing.T) {
	t.Run("the_deletion_signal_ends_it_before_the_trial_does", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		start := env.Now()
		f := &fakeBilling{status: domain.SubscriptionTrialing, trialEnd: start.Add(14 * day)}
		f.register(env)
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(workflows.SignalOrganizationDeleted, nil) }, 2*day)

		env.ExecuteWorkflow(workflows.Subscription, workflows.SubscriptionInput{OrganizationID: "org-1"})

		require.True(t, env.IsWorkflowCompleted())
		require.NoError(t, env.GetWorkflowError())
		assert.Empty(t, f.calls, "no reminder and no trial end for a deleted organization")
		assert.WithinDuration(t, start.Add(2*day), env.Now(), time.Minute, "it ended when the signal came")
	})

	t.Run("a_paid_subscription_waiting_for_stripe_events_ends_too", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeBilling{status: domain.SubscriptionActive}
		f.register(env)
		env.RegisterDelayedCallback(func() {
			env.SignalWorkflow(workflows.SignalStripeEvent, domain.StripeEvent{ID: "evt_1", Type: domain.StripePaymentMethodUpdated})
		}, day)
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(workflows.SignalOrganizationDeleted, nil) }, 40*day)

		env.ExecuteWorkflow(workflows.Subscription, workflows.SubscriptionInput{OrganizationID: "org-1"})

		require.True(t, env.IsWorkflowCompleted())
		require.NoError(t, env.GetWorkflowError())
		assert.Equal(t, []string{"evt_1"}, f.applied)
	})

	t.Run("an_organization_already_gone_ends_it_at_once", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		env.RegisterActivityWithOptions(func(context.Context, string) (domain.TrialState, error) {
			return domain.TrialState{}, temporal.NewNonRetryableApplicationError("organization not found", "NotFound", nil)
		}, activity.RegisterOptions{Name: workflows.ActivityLoadTrial})

		env.ExecuteWorkflow(workflows.Subscription, workflows.SubscriptionInput{OrganizationID: "gone"})

		require.True(t, env.IsWorkflowCompleted())
		require.NoError(t, env.GetWorkflowError())
	})
}
