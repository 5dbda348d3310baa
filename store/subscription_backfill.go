package store

import (
	"context"
)

// LiveOrganizationIDs returns up to limit ids of live (not deleting) organizations after the id after ("" for
// the first page), in id order. It is the one cross-tenant read of organizations, for the subscription
// backfill: ids only, through a function the migrations own (live_organization_ids).
func (db *DB) LiveOrganizationIDs(ctx context.Context, after string, limit int) ([]string, error) {
	var from any
	if after != "" {
		from = after
	}
	var ids []string
	err := db.bun.NewRaw("SELECT org::text FROM live_organization_ids(?::uuid, ?) AS org", from, limit).Scan(ctx, &ids)
	return ids, err
}
