package store

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// clientActivityLimit is how many recent events the client overview shows.
const clientActivityLimit = 20

// ClientOverview returns a client of orgID with the projects v may see for it (with open-task counts) and
// their recent activity, in three queries whatever the number of projects. Errors: ENOTFOUND.
func (db *DB) ClientOverview(ctx context.Context, orgID string, v domain.Viewer, clientID string) (*domain.ClientOverview, error) {
	if !validUUID(clientID) {
		return nil, domain.Errorf(domain.ENOTFOUND, clientNotFound)
	}
	out := &domain.ClientOverview{Projects: []domain.ClientProject{}, Activity: []*domain.Activity{}}
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		var row clientRow
		if err := tx.NewSelect().Model(&row).ColumnExpr(clientColumns).
			Where("organization_id = ? AND id = ?", orgID, clientID).Scan(ctx); err != nil {
			return err
		}
		out.Client = row.domain()
		var err error
		if out.Projects, err = clientProjects(ctx, tx, orgID, v, clientID); err != nil {
			return err
		}
		out.Activity, err = clientActivity(ctx, tx, orgID, v, clientID)
		return err
	})
	if err != nil {
		return nil, mapError(err, clientNotFound)
	}
	return out, nil
}

// clientProjects lists the client's visible projects, newest first, with open tasks counted in the same
// grouped query.
func clientProjects(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, clientID string) ([]domain.ClientProject, error) {
	rows, err := tx.Tx.QueryContext(ctx, `SELECT `+projectColumns+`, coalesce(t.open, 0) FROM projects p
		LEFT JOIN (SELECT project_id, count(*) AS open FROM tasks
		           WHERE organization_id = $1 AND completed_at IS NULL GROUP BY project_id) t ON t.project_id = p.id
		WHERE p.organization_id = $1 AND p.client_id = $2 AND ($3 OR EXISTS (SELECT 1 FROM project_members pm
		      WHERE pm.organization_id = p.organization_id AND pm.project_id = p.id AND pm.user_id = $4))
		ORDER BY p.archived_at IS NOT NULL, p.id DESC LIMIT 200`, prepared, orgID, clientID, v.SeesAllProjects(), nullable(v.UserID))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.ClientProject{}
	for rows.Next() {
		var open int
		p, err := scanProject(withExtra(rows, &open))
		if err != nil {
			return nil, err
		}
		out = append(out, domain.ClientProject{Project: p, OpenTasks: open})
	}
	return out, rows.Err()
}

// clientActivity is the recent activity about the client itself and its projects the viewer may see.
// Invoice events stay out: they carry amounts, which only invoices.read may see (the invoices page).
func clientActivity(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, clientID string) ([]*domain.Activity, error) {
	rows, err := tx.Tx.QueryContext(ctx, activityColumns+` WHERE e.organization_id = $1
		AND ((e.entity_type = 'client' AND e.entity_id = $2)
		     OR e.project_id IN (SELECT p.id FROM projects p WHERE p.organization_id = $1 AND p.client_id = $2))
		AND e.entity_type <> 'invoice'
		AND (e.project_id IS NULL OR $3 OR EXISTS (SELECT 1 FROM project_members pm
		     WHERE pm.organization_id = e.organization_id AND pm.project_id = e.project_id AND pm.user_id = $4))
		ORDER BY e.id DESC LIMIT $5`, prepared, orgID, clientID, v.SeesAllProjects(), nullable(v.UserID), clientActivityLimit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*domain.Activity{}
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// extraScanner appends destinations for columns selected after a shared column list.
type extraScanner struct {
	rows  *sql.Rows
	extra []any
}

func withExtra(rows *sql.Rows, extra ...any) rowScanner {
	return extraScanner{rows: rows, extra: extra}
}

func (s extraScanner) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra...)...) }
