package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// ActivityPurgeFileBatch removes the stored bytes of a batch of an organization's queued file purges and
// dequeues them (activities.Activities.PurgeFileBatch).
const ActivityPurgeFileBatch = "PurgeFileBatch"

// SignalPurgeFiles wakes an organization's running purge: more files were deleted since it last looked.
const SignalPurgeFiles = "purge-files"

const (
	// purgeBatchSize bounds one activity: each key is one call to the file store, heartbeated.
	purgeBatchSize = 200
	// purgeBatchesPerRun keeps a run's history short; a longer purge continues as new.
	purgeBatchesPerRun = 100
)

// PurgeFilesInput names the organization whose queued file purges to work off.
type PurgeFilesInput struct {
	OrganizationID string
	// Purged carries the count across continue-as-new.
	Purged int
}

// PurgeFilesResult counts the stored files removed.
type PurgeFilesResult struct {
	Purged int
}

// purgeOptions never give up: every batch is idempotent, and the queued keys stay safe in file_purges
// however long the file store is unreachable.
var purgeOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 10 * time.Minute,
	HeartbeatTimeout:    time.Minute,
	RetryPolicy:         deleteRetry,
}

// PurgeFiles removes the stored bytes of an organization's deleted files, batch by batch, until its queue
// is empty. The API signal-with-starts it after every delete that queued something; a wake-up that
// arrives while a batch runs may stand for a row that batch did not see, so the workflow only finishes
// after a short batch with no wake-up pending.
func PurgeFiles(ctx workflow.Context, in PurgeFilesInput) (PurgeFilesResult, error) {
	wake := workflow.GetSignalChannel(ctx, SignalPurgeFiles)
	ctx = workflow.WithActivityOptions(ctx, purgeOptions)
	purged := in.Purged
	for batch := 0; ; batch++ {
		if batch == purgeBatchesPerRun {
			drain(wake) // the next run starts with a batch, which answers them
			return PurgeFilesResult{Purged: purged}, workflow.NewContinueAsNewError(ctx, PurgeFiles,
				PurgeFilesInput{OrganizationID: in.OrganizationID, Purged: purged})
		}
		drain(wake) // committed before this batch starts, so it sees their rows
		n, err := purgeFileBatch(ctx, in.OrganizationID)
		if err != nil {
			return PurgeFilesResult{Purged: purged}, err
		}
		purged += n
		if n < purgeBatchSize && !drain(wake) {
			return PurgeFilesResult{Purged: purged}, nil
		}
	}
}

// purgeAllFiles works off an organization's whole queue without waiting for wake-ups; the organization's
// deletion runs it last, when no new files can appear.
func purgeAllFiles(ctx workflow.Context, orgID string) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, purgeOptions)
	total := 0
	for {
		n, err := purgeFileBatch(ctx, orgID)
		total += n
		if err != nil || n < purgeBatchSize {
			return total, err
		}
	}
}

func purgeFileBatch(ctx workflow.Context, orgID string) (int, error) {
	var n int
	err := workflow.ExecuteActivity(ctx, ActivityPurgeFileBatch, orgID, purgeBatchSize).Get(ctx, &n)
	return n, err
}

// drain consumes every pending signal on c and reports whether there was one.
func drain(c workflow.ReceiveChannel) bool {
	got := false
	for c.ReceiveAsync(nil) {
		got = true
	}
	return got
}
