package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/workflows"
)

// fakePurge is an organization's purge queue and file store as the mocked activity sees them: it behaves
// like activities.PurgeFileBatch (objects first, then the queue rows, a missing object counts as gone).
type fakePurge struct {
	mu      sync.Mutex
	order   []string        // file_purges rows, oldest first (may still list dequeued keys)
	queued  map[string]bool // file_purges rows
	objects map[string]bool // what the file store holds
	calls   int
	// failAfter makes the first batch fail after deleting this many objects, as a lost worker would.
	failAfter int
	// onFirstBatch runs after the first batch read the queue, as a concurrent delete would commit.
	onFirstBatch func(f *fakePurge)
}

func newFakePurge(n int) *fakePurge {
	f := &fakePurge{queued: map[string]bool{}, objects: map[string]bool{}, failAfter: -1}
	for i := range n {
		f.add(fmt.Sprintf("org-1/file-%06d.png", i))
	}
	return f
}

func (f *fakePurge) add(key string) {
	f.order = append(f.order, key)
	f.queued[key], f.objects[key] = true, true
}

func (f *fakePurge) batch(_ context.Context, orgID string, limit int) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.order = slices.DeleteFunc(f.order, func(k string) bool { return !f.queued[k] })
	keys := slices.Clone(f.order[:min(limit, len(f.order))])
	if f.calls == 1 && f.onFirstBatch != nil {
		f.onFirstBatch(f)
	}
	for i, k := range keys {
		if i == f.failAfter {
			f.failAfter = -1
			return 0, errors.New("worker lost")
		}
		delete(f.objects, k)
	}
	for _, k := range keys {
		delete(f.queued, k)
	}
	return len(keys), nil
}

func (f *fakePurge) register(env *testsuite.TestWorkflowEnvironment) {
	env.RegisterActivityWithOptions(f.batch, activity.RegisterOptions{Name: workflows.ActivityPurgeFileBatch})
}

func TestPurgeFiles(t *testing.T) {
	t.Run("works_off_the_queue_batch_by_batch_then_finishes", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := newFakePurge(450)
		f.register(env)

		env.ExecuteWorkflow(workflows.PurgeFiles, workflows.PurgeFilesInput{OrganizationID: "org-1"})

		res := mustPurgeResult(t, env)
		if res.Purged != 450 || len(f.queued) != 0 || len(f.objects) != 0 {
			t.Fatalf("purged %d; %d queued and %d stored left", res.Purged, len(f.queued), len(f.objects))
		}
		if f.calls != 3 {
			t.Fatalf("%d batches for 450 files, want 3", f.calls)
		}
	})

	t.Run("an_empty_queue_finishes_at_once", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := newFakePurge(0)
		f.register(env)

		env.ExecuteWorkflow(workflows.PurgeFiles, workflows.PurgeFilesInput{OrganizationID: "org-1"})

		if res := mustPurgeResult(t, env); res.Purged != 0 || f.calls != 1 {
			t.Fatalf("purged %d in %d batches", res.Purged, f.calls)
		}
	})

	t.Run("a_batch_that_fails_part_way_is_retried_and_counted_once", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := newFakePurge(250)
		f.failAfter = 50
		f.register(env)

		env.ExecuteWorkflow(workflows.PurgeFiles, workflows.PurgeFilesInput{OrganizationID: "org-1"})

		res := mustPurgeResult(t, env)
		if res.Purged != 250 {
			t.Fatalf("purged %d, want each of the 250 files counted once", res.Purged)
		}
		if len(f.queued) != 0 || len(f.objects) != 0 {
			t.Fatalf("%d queued and %d stored left after the retry", len(f.queued), len(f.objects))
		}
		if f.calls != 3 {
			t.Fatalf("%d batch attempts, want the failed one, its retry and the rest", f.calls)
		}
	})

	t.Run("a_wake_up_during_the_last_batch_runs_one_more", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := newFakePurge(3)
		// A file deleted after the batch read the queue: its row is new and the API signals the purge.
		f.onFirstBatch = func(f *fakePurge) {
			f.add("org-1/late.png")
			env.SignalWorkflow(workflows.SignalPurgeFiles, nil)
		}
		f.register(env)

		env.ExecuteWorkflow(workflows.PurgeFiles, workflows.PurgeFilesInput{OrganizationID: "org-1"})

		res := mustPurgeResult(t, env)
		if res.Purged != 4 || f.queued["org-1/late.png"] || f.objects["org-1/late.png"] {
			t.Fatalf("purged %d; late file queued=%v stored=%v", res.Purged, f.queued["org-1/late.png"], f.objects["org-1/late.png"])
		}
	})

	t.Run("a_long_purge_continues_as_new_with_its_count", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := newFakePurge(30000)
		f.register(env)

		env.ExecuteWorkflow(workflows.PurgeFiles, workflows.PurgeFilesInput{OrganizationID: "org-1", Purged: 7})

		if !env.IsWorkflowCompleted() {
			t.Fatal("workflow did not complete")
		}
		var can *workflow.ContinueAsNewError
		if !errors.As(env.GetWorkflowError(), &can) {
			t.Fatalf("want continue-as-new, got %v", env.GetWorkflowError())
		}
		var next workflows.PurgeFilesInput
		if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
			t.Fatal(err)
		}
		done := 30000 - len(f.queued)
		if next.OrganizationID != "org-1" || next.Purged != 7+done || done == 0 || len(f.queued) == 0 {
			t.Fatalf("next run %+v after %d purged, %d left", next, done, len(f.queued))
		}
	})
}

func mustPurgeResult(t *testing.T, env *testsuite.TestWorkflowEnvironment) workflows.PurgeFilesResult {
	t.Helper()
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res workflows.PurgeFilesResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	return res
}
