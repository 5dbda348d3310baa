package worker_test

import (
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/filestore"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker"
	"github.com/clientflow/clientflow/worker/temporaltest"
	"github.com/clientflow/clientflow/workflows"
)

// exportRows is enough time entries for the export to take several batches, so the worker can die in the
// middle of it.
const exportRows = 60000

// TestExportAcrossAWorkerCrashOnDevServer: an export of 60,000 time entries runs on a worker that is
// stopped once some batches are written; another worker takes the activity over (a new attempt), and the
// stored CSV holds every row exactly once. The row is ready with the count, the requester gets one email
// with the signed link, and the run, findable by its OrganizationId, waits to delete the file.
func TestExportAcrossAWorkerCrashOnDevServer(t *testing.T) {
	srv := temporaltest.MustStart(t)
	db := storetest.MustOpen(t)
	ctx := context.Background()
	const queue = "export-test"
	starter := worker.Starter{Client: srv.Client(), TaskQueue: queue}
	files, err := filestore.NewLocal(t.TempDir())
	require.NoError(t, err)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	acts := &activities.Activities{DB: db.App, Files: files, AppURL: "http://app.test", SessionSecret: "secret",
		Email: email.NewSender(email.NewProvider(email.Config{}, nil, logger), activities.Outbox{DB: db.App}, logger)}
	w := mustWorkOrg(t, db.App, "export-crash@example.com")
	_, err = db.Owner.Bun().NewRaw(`INSERT INTO time_entries (id, organization_id, project_id, user_id, started_at,
			ended_at, minutes, note)
		SELECT gen_random_uuid(), ?, ?, ?, ts, ts + interval '30 minutes', 30, 'entry ' || n
		FROM generate_series(1, ?) AS n, LATERAL (SELECT timestamptz '2026-01-01' + n * interval '1 minute' AS ts) t`,
		w.orgID, w.projectID, w.v.UserID, exportRows).Exec(ctx)
	require.NoError(t, err)
	e := &domain.Export{Kind: domain.ExportTimeEntries, Filters: domain.ExportFilters{TimeEntries: &domain.TimeEntryFilter{}}}
	require.NoError(t, db.App.CreateExport(ctx, w.orgID, w.v.UserID, e))
	ref := domain.ExportRef{OrganizationID: w.orgID, ExportID: e.ID}

	first := worker.New(srv.Client(), queue, acts)
	require.NoError(t, first.Start())
	require.NoError(t, starter.StartExport(ctx, ref))
	require.Eventually(t, func() bool {
		got, err := db.App.ExportForRun(ctx, w.orgID, e.ID)
		return err == nil && got.RowsDone >= 2000
	}, 60*time.Second, 20*time.Millisecond, "the export never got going")
	first.Stop() // the worker dies with the export half written
	mid, err := db.App.ExportForRun(ctx, w.orgID, e.ID)
	require.NoError(t, err)
	require.Less(t, mid.RowsDone, int64(exportRows), "the worker must stop mid-export for this test to mean anything")

	second := worker.New(srv.Client(), queue, acts)
	require.NoError(t, second.Start())
	defer second.Stop()
	require.NoError(t, starter.StartExport(ctx, ref), "starting it again joins the run")
	// The workflow then sleeps for the link's 24 hours before it deletes the file: wait for the email instead.
	require.Eventually(t, func() bool {
		return countRows(t, db, "SELECT count(*) FROM email_outbox WHERE idempotency_key = ?", "export-ready/"+e.ID) == 1
	}, 120*time.Second, 100*time.Millisecond, "the export-ready email never went out")

	done, err := db.App.ExportForRun(ctx, w.orgID, e.ID)
	require.NoError(t, err)
	assert.Equal(t, domain.ExportReady, done.Status)
	assert.Equal(t, int64(exportRows), done.RowsDone)
	require.NotNil(t, done.ExpiresAt)
	assert.WithinDuration(t, time.Now().Add(24*time.Hour), *done.ExpiresAt, time.Minute)

	r, err := files.Open(ctx, done.FileKey)
	require.NoError(t, err)
	defer r.Close()
	body, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, int64(len(body)), *done.Bytes)
	require.True(t, strings.HasPrefix(string(body), "\uFEFF"))
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	require.Equal(t, "id", recs[0][0])
	seen := map[string]int{}
	for _, rec := range recs[1:] {
		seen[rec[0]]++
	}
	assert.Len(t, recs[1:], exportRows, "every row once")
	assert.Len(t, seen, exportRows, "no row twice")

	attempts := 0
	it := srv.Client().GetWorkflowHistory(ctx, workflows.ExportWorkflowID(e.ID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(t, err)
		if a := ev.GetActivityTaskStartedEventAttributes(); a != nil {
			attempts = max(attempts, int(a.GetAttempt()))
		}
	}
	assert.GreaterOrEqual(t, attempts, 2, "the export's activity ran again after the crash")
	assert.Equal(t, 1, countRows(t, db, "SELECT count(*) FROM email_outbox WHERE idempotency_key = ?", "export-ready/"+e.ID))
	desc, err := srv.Client().DescribeWorkflowExecution(ctx, workflows.ExportWorkflowID(e.ID), "")
	require.NoError(t, err)
	assert.Contains(t, desc.WorkflowExecutionInfo.SearchAttributes.GetIndexedFields(), "OrganizationId")
	assert.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, desc.WorkflowExecutionInfo.Status,
		"it waits for the link to expire before deleting the file")
	recordHistory(t, srv.Client(), workflows.ExportWorkflowID(e.ID), "", "export")
}
