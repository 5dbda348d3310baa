package store

import (
	"context"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// QueuedFilePurges returns up to limit storage keys of orgID's deleted files whose stored bytes still
// await removal, oldest first. The queue is filled by a trigger on files and keeps its rows after the
// organization itself is gone.
func (db *DB) QueuedFilePurges(ctx context.Context, orgID string, limit int) ([]string, error) {
	keys := []string{}
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(`SELECT storage_key FROM file_purges WHERE organization_id = ?
			ORDER BY queued_at, storage_key LIMIT ?`, orgID, limit).Scan(ctx, &keys)
	})
	return keys, err
}

// HasQueuedFilePurges reports whether any of orgID's deleted files still await removal from the store.
func (db *DB) HasQueuedFilePurges(ctx context.Context, orgID string) (bool, error) {
	var queued bool
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw("SELECT EXISTS (SELECT 1 FROM file_purges WHERE organization_id = ?)", orgID).Scan(ctx, &queued)
	})
	return queued, err
}

// DequeueFilePurges removes keys from orgID's queue once their bytes are gone; keys no longer queued are
// skipped, so repeating it is harmless.
func (db *DB) DequeueFilePurges(ctx context.Context, orgID string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	return db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM file_purges WHERE organization_id = ? AND storage_key = ANY (?)",
			orgID, pgdialect.Array(keys))
		return err
	})
}
