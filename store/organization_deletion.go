package store

import (
	"context"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// MarkOrganizationDeleting starts deleting orgID once confirmName matches its name exactly: from then on
// the organization is no one's membership (every request to it answers 404) until the deletion workflow
// removes it. started runs before the mark commits (it starts that workflow), so a failure leaves the
// organization untouched. Errors: ENOTFOUND, EINVALID (the name does not match).
func (db *DB) MarkOrganizationDeleting(ctx context.Context, orgID, userID, confirmName string, started func(context.Context) error) error {
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		var name string
		if err := tx.NewRaw("SELECT name FROM organizations WHERE id = ? FOR UPDATE", orgID).Scan(ctx, &name); err != nil {
			return err
		}
		if confirmName != name {
			return domain.Invalid("body.confirm_name", "must match the organization's name exactly")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE organizations SET status = 'deleting', deleted_at = ?
			WHERE id = ? AND status = 'active'`, time.Now().UTC(), orgID); err != nil {
			return err
		}
		return started(ctx)
	})
	return mapError(err, "Organization not found.")
}

// OrganizationTablesInDeleteOrder lists every tenant table the app role may delete from, children before
// the tables they reference, so batched deletes never trip a foreign key. It reads the catalog, so a new
// tenant table is covered without touching the deletion code. Tables the app may not delete from (and
// anything missed) go with the final cascade from the organizations row. file_purges is left out: deleting
// the organization's files queues their stored bytes there, and the purge that follows needs those rows.
func (db *DB) OrganizationTablesInDeleteOrder(ctx context.Context) ([]string, error) {
	var tables []string
	err := db.bun.NewRaw(`SELECT c.relname FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped
		WHERE c.relkind = 'r' AND has_table_privilege(c.oid, 'DELETE') AND c.relname <> 'file_purges'
		ORDER BY 1`).Scan(ctx, &tables)
	if err != nil {
		return nil, err
	}
	var edges []struct {
		Child  string `bun:"child"`
		Parent string `bun:"parent"`
	}
	err = db.bun.NewRaw(`SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
		WHERE k.contype = 'f' AND k.conrelid <> k.confrelid`).Scan(ctx, &edges)
	if err != nil {
		return nil, err
	}
	children := map[string][]string{}
	for _, e := range edges {
		if slices.Contains(tables, e.Child) {
			children[e.Parent] = append(children[e.Parent], e.Child)
		}
	}
	return childrenFirst(tables, children), nil
}

// childrenFirst orders tables so each comes after every table referencing it; a cycle (which composite
// keys make unlikely) keeps the remaining tables in name order rather than looping.
func childrenFirst(tables []string, children map[string][]string) []string {
	var out []string
	done := map[string]bool{}
	for len(out) < len(tables) {
		progressed := false
		for _, t := range tables {
			if done[t] || slices.ContainsFunc(children[t], func(c string) bool { return !done[c] }) {
				continue
			}
			done[t], progressed = true, true
			out = append(out, t)
		}
		if !progressed {
			for _, t := range tables {
				if !done[t] {
					done[t] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// ConfirmOrganizationDeleting succeeds when orgID is being deleted or already gone.
// Errors: EINVALID (the organization is live).
func (db *DB) ConfirmOrganizationDeleting(ctx context.Context, orgID string) error {
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return requireDeleting(ctx, tx, orgID)
	})
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil
	}
	return err
}

// DeleteOrganizationBatch deletes at most limit of orgID's rows from table and reports how many went. It
// only acts while the organization is being deleted, so it can never empty a live one; once the
// organization row is gone it deletes nothing. Errors: EINVALID (the organization is not being deleted).
func (db *DB) DeleteOrganizationBatch(ctx context.Context, orgID, table string, limit int) (int64, error) {
	var n int64
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if err := requireDeleting(ctx, tx, orgID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM ? WHERE ctid = ANY (ARRAY(
			SELECT ctid FROM ? WHERE organization_id = ? LIMIT ?))`, bun.Ident(table), bun.Ident(table), orgID, limit)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return 0, nil
	}
	return n, err
}

// DeleteOrganizationRow removes orgID itself (cascading whatever is left) once it is being deleted;
// deleting it again is harmless. Errors: EINVALID (the organization is not being deleted).
func (db *DB) DeleteOrganizationRow(ctx context.Context, orgID string) error {
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if err := requireDeleting(ctx, tx, orgID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM organizations WHERE id = ? AND status = 'deleting'", orgID)
		return err
	})
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil
	}
	return err
}

// requireDeleting answers ENOTFOUND when the organization is already gone and EINVALID while it is live.
func requireDeleting(ctx context.Context, tx bun.Tx, orgID string) error {
	var status string
	if err := tx.NewRaw("SELECT status FROM organizations WHERE id = ?", orgID).Scan(ctx, &status); err != nil {
		return mapError(err, "Organization not found.")
	}
	if status != "deleting" {
		return domain.Errorf(domain.EINVALID, "The organization is not being deleted.")
	}
	return nil
}
