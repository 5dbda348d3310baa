package workflows_test

import (
	"testing"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/workflows"
)

// TestReplayRecordedHistories fails when a change to workflow code is not deterministic against a history
// recorded from a real run (re-record with CLIENTFLOW_RECORD_HISTORIES=1, see worker/worker_test.go; guard
// intentional changes with workflow.GetVersion instead of re-recording).
func TestReplayRecordedHistories(t *testing.T) {
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflowWithOptions(workflows.Welcome, workflow.RegisterOptions{Name: "Welcome"})
	if err := r.ReplayWorkflowHistoryFromJSONFile(nil, "testdata/welcome.history.json"); err != nil {
		t.Fatal(err)
	}
}
