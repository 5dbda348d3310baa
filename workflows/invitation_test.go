package workflows_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/workflows"
)

// fakeInvitations stands in for the expiry activity: pending is what the conditional update finds.
type fakeInvitations struct {
	pending bool
	expired int
}

func (f *fakeInvitations) register(env *testsuite.TestWorkflowEnvironment) {
	env.RegisterActivityWithOptions(func(ctx context.Context, orgID, invitationID string) (bool, error) {
		if !f.pending {
			return false, nil
		}
		f.pending = false
		f.expired++
		return true, nil
	}, activity.RegisterOptions{Name: workflows.ActivityExpireInvitation})
}

func TestInvitationExpiry(t *testing.T) {
	sevenDays := 7 * 24 * time.Hour

	// run executes a 7-day invitation, sending signal after the given time when signal is not empty.
	run := func(t *testing.T, f *fakeInvitations, signal string, after time.Duration) string {
		t.Helper()
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f.register(env)
		if signal != "" {
			env.RegisterDelayedCallback(func() { env.SignalWorkflow(signal, nil) }, after)
		}
		env.ExecuteWorkflow(workflows.InvitationExpiry, workflows.InvitationExpiryInput{
			OrganizationID: "org", InvitationID: "inv", ExpiresAt: env.Now().Add(sevenDays)})
		if !env.IsWorkflowCompleted() {
			t.Fatal("workflow did not complete")
		}
		if err := env.GetWorkflowError(); err != nil {
			t.Fatal(err)
		}
		var outcome string
		if err := env.GetWorkflowResult(&outcome); err != nil {
			t.Fatal(err)
		}
		return outcome
	}

	t.Run("pending_invitation_expires_after_seven_days", func(t *testing.T) {
		f := &fakeInvitations{pending: true}
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f.register(env)
		start := env.Now()
		env.ExecuteWorkflow(workflows.InvitationExpiry, workflows.InvitationExpiryInput{
			OrganizationID: "org", InvitationID: "inv", ExpiresAt: start.Add(sevenDays)})
		var outcome string
		if err := env.GetWorkflowResult(&outcome); err != nil {
			t.Fatal(err)
		}
		if outcome != workflows.InvitationOutcomeExpired || f.expired != 1 {
			t.Fatalf("outcome %q, expired %d times; want expired once", outcome, f.expired)
		}
		if waited := env.Now().Sub(start); waited < sevenDays {
			t.Fatalf("expired after %v, want 7 days", waited)
		}
	})

	t.Run("accepted_signal_ends_it_without_expiring", func(t *testing.T) {
		f := &fakeInvitations{pending: true}
		outcome := run(t, f, workflows.SignalInvitationAccepted, 2*24*time.Hour)
		if outcome != workflows.InvitationOutcomeAccepted || f.expired != 0 {
			t.Fatalf("outcome %q, expired %d times; want accepted and no expiry", outcome, f.expired)
		}
	})

	t.Run("revoked_signal_ends_it_without_expiring", func(t *testing.T) {
		f := &fakeInvitations{pending: true}
		outcome := run(t, f, workflows.SignalInvitationRevoked, time.Hour)
		if outcome != workflows.InvitationOutcomeRevoked || f.expired != 0 {
			t.Fatalf("outcome %q, expired %d times; want revoked and no expiry", outcome, f.expired)
		}
	})

	t.Run("lost_signal_leaves_a_settled_invitation_alone", func(t *testing.T) {
		f := &fakeInvitations{pending: false}
		outcome := run(t, f, "", 0)
		if outcome != workflows.InvitationOutcomeSettled || f.expired != 0 {
			t.Fatalf("outcome %q, expired %d times; want settled", outcome, f.expired)
		}
	})

	t.Run("late_start_past_the_expiry_expires_at_once", func(t *testing.T) {
		f := &fakeInvitations{pending: true}
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f.register(env)
		env.ExecuteWorkflow(workflows.InvitationExpiry, workflows.InvitationExpiryInput{
			OrganizationID: "org", InvitationID: "inv", ExpiresAt: env.Now().Add(-time.Hour)})
		var outcome string
		if err := env.GetWorkflowResult(&outcome); err != nil {
			t.Fatal(err)
		}
		if outcome != workflows.InvitationOutcomeExpired {
			t.Fatalf("outcome %q, want expired", outcome)
		}
	})
}
