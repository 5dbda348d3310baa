package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

const exportNotFound = "Export not found."

// exportRow is one exports row.
type exportRow struct {
	ID             string          `bun:"id"`
	OrganizationID string          `bun:"organization_id"`
	RequestedBy    string          `bun:"requested_by"`
	Kind           string          `bun:"kind"`
	Filters        json.RawMessage `bun:"filters"`
	Status         string          `bun:"status"`
	RowsDone       int64           `bun:"rows_done"`
	RowsTotal      *int64          `bun:"rows_total"`
	Bytes          *int64          `bun:"bytes"`
	FileKey        *string         `bun:"file_key"`
	Error          *string         `bun:"error"`
	CreatedAt      time.Time       `bun:"created_at"`
	UpdatedAt      time.Time       `bun:"updated_at"`
	FinishedAt     *time.Time      `bun:"finished_at"`
	ExpiresAt      *time.Time      `bun:"expires_at"`
}

func (r *exportRow) domain() (*domain.Export, error) {
	e := &domain.Export{ID: r.ID, OrganizationID: r.OrganizationID, RequestedBy: r.RequestedBy, Kind: r.Kind,
		Status: r.Status, RowsDone: r.RowsDone, RowsTotal: r.RowsTotal, Bytes: r.Bytes, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(), FinishedAt: r.FinishedAt, ExpiresAt: r.ExpiresAt}
	if r.FileKey != nil {
		e.FileKey = *r.FileKey
	}
	if r.Error != nil {
		e.Error = *r.Error
	}
	if err := json.Unmarshal(r.Filters, &e.Filters); err != nil {
		return nil, err
	}
	return e, nil
}

const exportColumns = `id, organization_id, requested_by, kind, filters, status, rows_done, rows_total, bytes,
	file_key, error, created_at, updated_at, finished_at, expires_at`

// CreateExport stores e as a pending export of orgID requested by userID, filling ID, status and times. Run
// it inside Atomically with the workflow start and the audit row, so the three commit together.
func (db *DB) CreateExport(ctx context.Context, orgID, userID string, e *domain.Export) error {
	filters, err := json.Marshal(e.Filters)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	e.ID, e.OrganizationID, e.RequestedBy, e.Status, e.CreatedAt, e.UpdatedAt = newID(), orgID, userID, domain.ExportPending, now, now
	return db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw(`INSERT INTO exports (organization_id, id, requested_by, kind, filters, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, orgID, e.ID, userID, e.Kind, string(filters), e.Status, now, now).Exec(ctx)
		return err
	})
}

// Export returns userID's export id in orgID: another user's export is not found, whatever their role.
// Errors: ENOTFOUND.
func (db *DB) Export(ctx context.Context, orgID, userID, id string) (*domain.Export, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, exportNotFound)
	}
	var row exportRow
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw("SELECT "+exportColumns+" FROM exports WHERE organization_id = ? AND id = ? AND requested_by = ?",
			orgID, id, userID).Scan(ctx, &row)
	})
	if err != nil {
		return nil, mapError(err, exportNotFound)
	}
	return row.domain()
}

// Exports lists userID's most recent exports in orgID, newest first.
func (db *DB) Exports(ctx context.Context, orgID, userID string, limit int) ([]*domain.Export, error) {
	var rows []exportRow
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw("SELECT "+exportColumns+` FROM exports WHERE organization_id = ? AND requested_by = ?
			ORDER BY created_at DESC, id DESC LIMIT ?`, orgID, userID, limit).Scan(ctx, &rows)
	})
	if err != nil {
		return nil, err
	}
	out := make([]*domain.Export, len(rows))
	for i := range rows {
		if out[i], err = rows[i].domain(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ExportForRun returns an export for its workflow, whoever requested it. Errors: ENOTFOUND.
func (db *DB) ExportForRun(ctx context.Context, orgID, id string) (*domain.Export, error) {
	var row exportRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw("SELECT "+exportColumns+" FROM exports WHERE organization_id = ? AND id = ?", orgID, id).Scan(ctx, &row)
	})
	if err != nil {
		return nil, mapError(err, exportNotFound)
	}
	return row.domain()
}

// exportUpdate runs one UPDATE of an export that has not finished yet: a retried activity of an export
// already ready or failed changes nothing.
func (db *DB) exportUpdate(ctx context.Context, orgID, id, set string, args ...any) error {
	return db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw("UPDATE exports SET "+set+", updated_at = now() WHERE organization_id = ? AND id = ? AND status IN ('pending', 'running')",
			append(args, orgID, id)...).Exec(ctx)
		return err
	})
}

// StartExportRun marks an export running from its first row: a retry starts the count again, because it
// writes the file again from the start.
func (db *DB) StartExportRun(ctx context.Context, orgID, id string, total int64) error {
	return db.exportUpdate(ctx, orgID, id, "status = 'running', rows_done = 0, rows_total = ?", total)
}

// ExportProgressed records how many rows the running export has written.
func (db *DB) ExportProgressed(ctx context.Context, orgID, id string, done int64) error {
	return db.exportUpdate(ctx, orgID, id, "rows_done = ?, rows_total = greatest(rows_total, ?)", done, done)
}

// FinishExport marks an export ready: rows and bytes of the stored file under key, downloadable until
// expiresAt.
func (db *DB) FinishExport(ctx context.Context, orgID, id string, rows, bytes int64, key string, expiresAt time.Time) error {
	return db.exportUpdate(ctx, orgID, id, `status = 'ready', rows_done = ?, rows_total = ?, bytes = ?, file_key = ?,
		finished_at = now(), expires_at = ?`, rows, rows, bytes, key, expiresAt)
}

// FailExport marks an export failed with a message for its requester.
func (db *DB) FailExport(ctx context.Context, orgID, id, message string) error {
	return db.exportUpdate(ctx, orgID, id, "status = 'failed', error = left(?, 1000), finished_at = now()", message)
}

// ExportRowEstimate is an upper bound of an export's rows: the organization's rows of its kind (a project's
// tasks), before filters and visibility. Progress shows against it until the export is done.
func (db *DB) ExportRowEstimate(ctx context.Context, orgID string, e *domain.Export) (int64, error) {
	q, args := "", []any{orgID}
	switch e.Kind {
	case domain.ExportAuditLog:
		q = "SELECT count(*) FROM audit_logs WHERE organization_id = ?"
	case domain.ExportActivity:
		q = "SELECT count(*) FROM domain_events WHERE organization_id = ?"
	case domain.ExportTimeEntries:
		q = "SELECT count(*) FROM time_entries WHERE organization_id = ?"
	case domain.ExportTasks:
		if e.Filters.Tasks == nil {
			return 0, domain.Invalid("filters.project_id", "is required")
		}
		q = "SELECT count(*) FROM tasks WHERE organization_id = ? AND project_id = ?"
		args = append(args, e.Filters.Tasks.ProjectID)
	case domain.ExportClients:
		q = "SELECT count(*) FROM clients WHERE organization_id = ?"
	case domain.ExportInvoices:
		q = "SELECT count(*) FROM invoices WHERE organization_id = ?"
	default:
		return 0, domain.Errorf(domain.EINVALID, "unknown export kind %q", e.Kind)
	}
	var n int64
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(q, args...).Scan(ctx, &n)
	})
	return n, err
}
