package workflows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/clientflow/clientflow/workflows"
)

// TestReplayRecordedHistories fails when a change to workflow code is not deterministic against a history
// recorded from a real run on the dev server, so a change that would break running workflows fails the build
// (re-record with CLIENTFLOW_RECORD_HISTORIES=1 go test -run OnDevServer ./worker/; guard intentional changes
// with workflow.GetVersion instead of re-recording). Every workflow type must have at least one history.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/*.history.json")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".history.json"), func(t *testing.T) {
			covered[workflowType(t, file)] = true
			r := worker.NewWorkflowReplayer()
			for name, fn := range workflows.Types() {
				r.RegisterWorkflowWithOptions(fn, workflow.RegisterOptions{Name: name})
			}
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, file); err != nil {
				t.Fatal(err)
			}
		})
	}
	for name := range workflows.Types() {
		if !covered[name] {
			t.Errorf("no recorded history of %s in testdata: record one from its dev-server test", name)
		}
	}
}

// workflowType reads the type name from a recorded history's first event.
func workflowType(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var h historypb.History
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	return h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes().GetWorkflowType().GetName()
}
