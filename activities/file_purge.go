package activities

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/activity"
)

// PurgeFileBatch removes the stored bytes of up to limit of orgID's queued file purges, then takes those
// keys off the queue, and reports how many it took off. The keys leave the queue only after every one of
// their objects is gone, and deleting an object that is already gone succeeds, so a retry after a failure
// part-way simply repeats the batch: nothing is skipped and no queued key is counted twice.
func (a *Activities) PurgeFileBatch(ctx context.Context, orgID string, limit int) (int, error) {
	keys, err := a.DB.QueuedFilePurges(ctx, orgID, limit)
	if err != nil {
		return 0, err
	}
	for i, key := range keys {
		if err := a.Files.Delete(ctx, key); err != nil {
			return 0, fmt.Errorf("purge %s: %w", key, err)
		}
		activity.RecordHeartbeat(ctx, i+1)
	}
	if err := a.DB.DequeueFilePurges(ctx, orgID, keys); err != nil {
		return 0, err
	}
	return len(keys), nil
}
