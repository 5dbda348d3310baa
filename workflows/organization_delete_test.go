package workflows_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/workflows"
)

// fakeDeletion is an organization's rows per table as the mocked activities see them.
type fakeDeletion struct {
	rows       map[string]int64
	calls      []string
	orgDeleted bool
	// notYetMarked is how many confirmations fail before the API's "deleting" mark becomes visible.
	notYetMarked int
	// failOnce makes the first delete of this table fail, as a lost worker would.
	failOnce string
	// queuedFiles is how many stored files the deleted files rows queued for the purge.
	queuedFiles int
	// stripeRefuses makes the Stripe cancellation fail for good.
	stripeRefuses bool
}

func (f *fakeDeletion) register(env *testsuite.TestWorkflowEnvironment) {
	env.RegisterActivityWithOptions(func(ctx context.Context, orgID string) error {
		f.calls = append(f.calls, "confirm")
		if f.notYetMarked > 0 {
			f.notYetMarked--
			return errors.New("organization is not being deleted yet")
		}
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivityConfirmOrganizationDeleting})
	env.RegisterActivityWithOptions(func(ctx context.Context) ([]string, error) {
		return []string{"clients", "organization_memberships", "organization_settings"}, nil
	}, activity.RegisterOptions{Name: workflows.ActivityOrganizationTablesInDeleteOrder})
	env.RegisterActivityWithOptions(func(ctx context.Context, orgID, table string) (int64, error) {
		f.calls = append(f.calls, table)
		if f.failOnce == table {
			f.failOnce = ""
			f.rows[table] -= 400 // some batches went through before the failure
			return 0, errors.New("worker lost")
		}
		n := f.rows[table]
		f.rows[table] = 0
		return n, nil
	}, activity.RegisterOptions{Name: workflows.ActivityDeleteOrganizationTable})
	env.RegisterActivityWithOptions(func(ctx context.Context, orgID string) error {
		for table, n := range f.rows {
			if n > 0 {
				return temporal.NewNonRetryableApplicationError(table+" still has rows", "Order", nil)
			}
		}
		f.calls = append(f.calls, "organization")
		f.orgDeleted = true
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivityDeleteOrganizationRow})
	env.RegisterActivityWithOptions(func(ctx context.Context, orgID string, limit int) (int, error) {
		if !f.orgDeleted {
			return 0, temporal.NewNonRetryableApplicationError("purge before the files rows are gone", "Order", nil)
		}
		f.calls = append(f.calls, "purge")
		n := min(limit, f.queuedFiles)
		f.queuedFiles -= n
		return n, nil
	}, activity.RegisterOptions{Name: workflows.ActivityPurgeFileBatch})
	env.RegisterActivityWithOptions(func(ctx context.Context, orgID string) error {
		if f.orgDeleted || len(f.calls) == 0 || f.calls[len(f.calls)-1] != "confirm" {
			return temporal.NewNonRetryableApplicationError("cancel after data was deleted", "Order", nil)
		}
		f.calls = append(f.calls, "cancel-stripe")
		if f.stripeRefuses {
			return temporal.NewNonRetryableApplicationError("stripe refused", "StripeRequest", nil)
		}
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivityCancelStripeSubscription})
	// The Subscription workflow runs under its current ID; nothing runs under the legacy one.
	env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, "", workflows.SignalOrganizationDeleted, mock.Anything).Return(
		func(_, workflowID, _, _ string, _ any) error {
			if f.orgDeleted {
				return errors.New("subscription ended after the data was deleted")
			}
			f.calls = append(f.calls, "end "+workflowID)
			if workflowID != workflows.SubscriptionWorkflowID("org-1") {
				return errors.New("workflow not found")
			}
			return nil
		})
}

func TestDeleteOrganization(t *testing.T) {
	t.Run("removes_every_table_in_order_then_the_organization", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeDeletion{rows: map[string]int64{"clients": 2500, "organization_memberships": 3, "organization_settings": 1},
			queuedFiles: 350}
		f.register(env)

		env.ExecuteWorkflow(workflows.DeleteOrganization, workflows.DeleteOrganizationInput{OrganizationID: "org-1"})

		res := mustDeleteResult(t, env)
		want := []string{"confirm", "cancel-stripe", "end subscription/org-1", "end subscription-org-1", "clients", "organization_memberships", "organization_settings", "organization", "purge", "purge"}
		assertCalls(t, f.calls, want)
		if res.RowsDeleted["clients"] != 2500 || res.RowsDeleted["organization_settings"] != 1 {
			t.Fatalf("rows deleted %v", res.RowsDeleted)
		}
		if res.FilesPurged != 350 || f.queuedFiles != 0 {
			t.Fatalf("purged %d stored files, %d left; want all 350", res.FilesPurged, f.queuedFiles)
		}
	})

	t.Run("a_cancellation_stripe_refuses_does_not_stop_the_deletion", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeDeletion{rows: map[string]int64{"clients": 1}, stripeRefuses: true}
		f.register(env)

		env.ExecuteWorkflow(workflows.DeleteOrganization, workflows.DeleteOrganizationInput{OrganizationID: "org-1"})

		mustDeleteResult(t, env)
		assertCalls(t, f.calls, []string{"confirm", "cancel-stripe", "end subscription/org-1", "end subscription-org-1", "clients", "organization_memberships", "organization_settings", "organization", "purge"})
	})

	t.Run("waits_for_the_mark_to_commit", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeDeletion{rows: map[string]int64{"clients": 1}, notYetMarked: 2}
		f.register(env)

		env.ExecuteWorkflow(workflows.DeleteOrganization, workflows.DeleteOrganizationInput{OrganizationID: "org-1"})

		mustDeleteResult(t, env)
		if !f.orgDeleted {
			t.Fatal("organization not deleted after the mark became visible")
		}
	})

	t.Run("an_organization_never_marked_is_left_alone", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeDeletion{rows: map[string]int64{"clients": 5}, notYetMarked: 1000}
		f.register(env)

		env.ExecuteWorkflow(workflows.DeleteOrganization, workflows.DeleteOrganizationInput{OrganizationID: "org-1"})

		if !env.IsWorkflowCompleted() || env.GetWorkflowError() == nil {
			t.Fatal("workflow should fail once the confirmation retries are spent")
		}
		if f.rows["clients"] != 5 || f.orgDeleted {
			t.Fatalf("a live organization lost data: %v deleted=%v", f.rows, f.orgDeleted)
		}
	})

	t.Run("a_failed_table_is_retried_and_finished", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeDeletion{rows: map[string]int64{"clients": 1000, "organization_memberships": 2}, failOnce: "clients"}
		f.register(env)
		start := env.Now()

		env.ExecuteWorkflow(workflows.DeleteOrganization, workflows.DeleteOrganizationInput{OrganizationID: "org-1"})

		res := mustDeleteResult(t, env)
		assertCalls(t, f.calls, []string{"confirm", "cancel-stripe", "end subscription/org-1", "end subscription-org-1", "clients", "clients", "organization_memberships", "organization_settings", "organization", "purge"})
		if res.RowsDeleted["clients"] != 600 {
			t.Fatalf("the retry removed %d clients, want the remaining 600", res.RowsDeleted["clients"])
		}
		if env.Now().Sub(start) > time.Hour {
			t.Fatalf("retry took %v", env.Now().Sub(start))
		}
	})
}

func mustDeleteResult(t *testing.T, env *testsuite.TestWorkflowEnvironment) workflows.DeleteOrganizationResult {
	t.Helper()
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res workflows.DeleteOrganizationResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

func assertCalls(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("calls %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("calls %v, want %v", got, want)
		}
	}
}
