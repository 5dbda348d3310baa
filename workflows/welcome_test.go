package workflows_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/workflows"
)

// fakeEmails records which activities ran; verified is what the reminder activity finds in the database.
type fakeEmails struct {
	welcome, reminder int
	verified          bool
}

func (f *fakeEmails) register(env *testsuite.TestWorkflowEnvironment) {
	env.RegisterActivityWithOptions(func(ctx context.Context, userID string) error {
		f.welcome++
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivitySendWelcomeEmail})
	env.RegisterActivityWithOptions(func(ctx context.Context, userID string) (bool, error) {
		if f.verified {
			return false, nil
		}
		f.reminder++
		return true, nil
	}, activity.RegisterOptions{Name: workflows.ActivitySendVerifyReminder})
}

func TestWelcome(t *testing.T) {
	t.Run("unverified_user_gets_a_reminder_after_three_days", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeEmails{}
		f.register(env)
		start := env.Now()
		env.ExecuteWorkflow(workflows.Welcome, workflows.WelcomeInput{UserID: "u1", ReminderAfter: 72 * time.Hour})
		assertResult(t, env, workflows.WelcomeResult{WelcomeSent: true, ReminderSent: true})
		if f.welcome != 1 || f.reminder != 1 {
			t.Fatalf("welcome=%d reminder=%d, want 1 and 1", f.welcome, f.reminder)
		}
		if waited := env.Now().Sub(start); waited < 72*time.Hour {
			t.Fatalf("reminder came after %v, want 72h", waited)
		}
	})

	t.Run("verification_signal_ends_it_without_a_reminder", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeEmails{}
		f.register(env)
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(workflows.SignalEmailVerified, nil) }, 24*time.Hour)
		env.ExecuteWorkflow(workflows.Welcome, workflows.WelcomeInput{UserID: "u1", ReminderAfter: 72 * time.Hour})
		assertResult(t, env, workflows.WelcomeResult{WelcomeSent: true})
		if f.reminder != 0 {
			t.Fatalf("reminder sent %d times after verification", f.reminder)
		}
	})

	t.Run("verified_without_signal_gets_no_reminder", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeEmails{verified: true}
		f.register(env)
		env.ExecuteWorkflow(workflows.Welcome, workflows.WelcomeInput{UserID: "u1"})
		assertResult(t, env, workflows.WelcomeResult{WelcomeSent: true})
	})
}

func assertResult(t *testing.T, env *testsuite.TestWorkflowEnvironment, want workflows.WelcomeResult) {
	t.Helper()
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var got workflows.WelcomeResult
	if err := env.GetWorkflowResult(&got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("result %+v, want %+v", got, want)
	}
}
