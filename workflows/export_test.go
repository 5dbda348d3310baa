package workflows_test

import (
	"context"
	"errors"
	"testing"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/workflows"
)

// runExport executes the Export workflow with run standing in for RunExport, and returns what the later
// steps recorded: the failure message, or "emailed".
func runExport(t *testing.T, run func(attempt int32) error) (outcome string, attempts int32) {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	started := env.Now()
	env.RegisterActivityWithOptions(func(ctx context.Context, ref domain.ExportRef) error {
		attempts = activity.GetInfo(ctx).Attempt
		return run(attempts)
	}, activity.RegisterOptions{Name: workflows.ActivityRunExport})
	env.RegisterActivityWithOptions(func(ctx context.Context, ref domain.ExportRef, message string) error {
		outcome = "failed: " + message
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivityExportFailed})
	env.RegisterActivityWithOptions(func(ctx context.Context, ref domain.ExportRef) error {
		outcome = "emailed"
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivitySendExportReady})
	env.RegisterActivityWithOptions(func(ctx context.Context, ref domain.ExportRef) error {
		if env.Now().Sub(started) < domain.ExportLinkTTL {
			t.Errorf("the file was deleted %s after the start, before the link expired", env.Now().Sub(started))
		}
		outcome += ", file deleted"
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivityDeleteExportFile})

	env.ExecuteWorkflow(workflows.Export, domain.ExportRef{OrganizationID: "org", ExportID: "exp"})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("workflow did not complete cleanly: %v", env.GetWorkflowError())
	}
	return outcome, attempts
}

func TestExportWorkflow(t *testing.T) {
	t.Run("a_crashed_attempt_is_retried_the_requester_emailed_and_the_file_deleted_a_day_later", func(t *testing.T) {
		outcome, attempts := runExport(t, func(attempt int32) error {
			if attempt == 1 {
				return errors.New("worker lost")
			}
			return nil
		})
		if outcome != "emailed, file deleted" || attempts != 2 {
			t.Fatalf("outcome %q after %d attempts, want emailed (then the file deleted after 24 h) after 2", outcome, attempts)
		}
	})
	t.Run("a_permanent_refusal_fails_the_export_with_its_reason", func(t *testing.T) {
		outcome, attempts := runExport(t, func(int32) error {
			return temporal.NewNonRetryableApplicationError("You may no longer read what this export holds.", "Forbidden", nil)
		})
		if outcome != "failed: You may no longer read what this export holds." || attempts != 1 {
			t.Fatalf("outcome %q after %d attempts", outcome, attempts)
		}
	})
	t.Run("after_five_failed_attempts_a_generic_failure_is_recorded", func(t *testing.T) {
		outcome, attempts := runExport(t, func(int32) error { return errors.New("connection refused to 10.0.0.5") })
		if outcome != "failed: The export could not be completed. Please try again." || attempts != 5 {
			t.Fatalf("outcome %q after %d attempts", outcome, attempts)
		}
	})
}
