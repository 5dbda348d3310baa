package worker_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"
)

// recordHistory writes the history of workflow id (runID "" = its latest run) to
// workflows/testdata/<name>.history.json when CLIENTFLOW_RECORD_HISTORIES=1. The dev-server tests call it
// once their workflow has run, so each recorded history comes from the real worker, activities and database;
// TestReplayRecordedHistories in package workflows replays them all against the current workflow code.
// Re-record with: CLIENTFLOW_RECORD_HISTORIES=1 go test -run OnDevServer ./worker/
func recordHistory(t *testing.T, c client.Client, id, runID, name string) {
	t.Helper()
	if os.Getenv("CLIENTFLOW_RECORD_HISTORIES") != "1" {
		return
	}
	ctx := context.Background()
	var hist historypb.History
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		hist.Events = append(hist.Events, ev)
	}
	b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(&hist)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "workflows", "testdata", name+".history.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
