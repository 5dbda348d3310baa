package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/domain"
)

// Activity names of CSV exports (activities.Activities methods).
const (
	ActivityRunExport        = "RunExport"
	ActivityExportFailed     = "ExportFailed"
	ActivitySendExportReady  = "SendExportReady"
	ActivityDeleteExportFile = "DeleteExportFile"
)

// ExportHeartbeatTimeout is how long an export's activity may go without reporting a batch before Temporal
// takes it for dead (a killed worker) and runs it again on another.
const ExportHeartbeatTimeout = 20 * time.Second

// exportRunOptions: a million rows take minutes; a retry rewrites the file from the first row, so a few
// tries are enough before the export is reported failed.
var exportRunOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 2 * time.Hour,
	HeartbeatTimeout:    ExportHeartbeatTimeout,
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
		MaximumInterval: time.Minute, MaximumAttempts: 5},
}

// Export writes one export's CSV to the organization's file store (RunExport), emails its requester the
// download link, and removes the stored file once the link has expired (a durable 24-hour timer). An export that cannot finish is marked failed with the reason, for the requester's
// list; the workflow itself ends normally either way, so the row is the export's outcome.
func Export(ctx workflow.Context, ref domain.ExportRef) error {
	run := workflow.WithActivityOptions(ctx, exportRunOptions)
	after := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute, RetryPolicy: notifyRetry})
	if err := workflow.ExecuteActivity(run, ActivityRunExport, ref).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Warn("export failed", "export", ref.ExportID, "err", err)
		return workflow.ExecuteActivity(after, ActivityExportFailed, ref, exportFailure(err)).Get(ctx, nil)
	}
	if err := workflow.ExecuteActivity(after, ActivitySendExportReady, ref).Get(ctx, nil); err != nil {
		return err
	}
	// The link dies after 24 hours (the API checks expires_at); the stored file goes with it.
	if err := workflow.Sleep(ctx, domain.ExportLinkTTL); err != nil {
		return err
	}
	return workflow.ExecuteActivity(after, ActivityDeleteExportFile, ref).Get(ctx, nil)
}

// exportFailure is what the requester reads: the reason of a permanent refusal, else a generic sentence
// (internal errors stay in the logs).
func exportFailure(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) && app.NonRetryable() {
		return app.Message()
	}
	return "The export could not be completed. Please try again."
}
