package activities

import (
	"context"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/clientflow/clientflow/domain"
)

// deleteBatchSize bounds each DELETE, so no statement holds locks or writes WAL for long.
const deleteBatchSize = 1000

// ConfirmOrganizationDeleting succeeds once the organization is marked as deleting (or already gone); while
// it is still active it fails, so the workflow retries until the API's transaction has committed.
func (a *Activities) ConfirmOrganizationDeleting(ctx context.Context, orgID string) error {
	return a.DB.ConfirmOrganizationDeleting(ctx, orgID)
}

// OrganizationTablesInDeleteOrder lists the tenant tables, children before parents.
func (a *Activities) OrganizationTablesInDeleteOrder(ctx context.Context) ([]string, error) {
	return a.DB.OrganizationTablesInDeleteOrder(ctx)
}

// DeleteOrganizationTable deletes every row orgID has in table, one bounded batch at a time, heartbeating
// after each; it reports how many rows this attempt removed. A retry simply continues with what is left.
func (a *Activities) DeleteOrganizationTable(ctx context.Context, orgID, table string) (int64, error) {
	var total int64
	for {
		n, err := a.DB.DeleteOrganizationBatch(ctx, orgID, table, deleteBatchSize)
		if domain.ErrorCode(err) == domain.EINVALID {
			return total, temporal.NewNonRetryableApplicationError("organization is not being deleted", "NotDeleting", err)
		}
		if err != nil {
			return total, err
		}
		total += n
		activity.RecordHeartbeat(ctx, total)
		if n < deleteBatchSize {
			return total, nil
		}
	}
}

// DeleteOrganizationRow removes the organization itself once its data is gone.
func (a *Activities) DeleteOrganizationRow(ctx context.Context, orgID string) error {
	err := a.DB.DeleteOrganizationRow(ctx, orgID)
	if domain.ErrorCode(err) == domain.EINVALID {
		return temporal.NewNonRetryableApplicationError("organization is not being deleted", "NotDeleting", err)
	}
	return err
}
