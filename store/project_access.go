package store

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// The visibility rule lives in this file, and so do the only ways into a project's rows: every store
// function that reads or writes inside a project (its tasks, columns, comments, files, subtasks, members,
// time, budget, invoices from time) works on a projectTx, and the functions below are the only ones that
// make one, each after checking the rule. A helper that took a raw (tx, orgID, projectID) could be called
// without the check; TestProjectScopedHelpersTakeTheHandle fails when one appears. The batched
// read paths (board, task list, task detail) fold the same rule into their statements instead (see
// projectVisibleRead and taskDetailRead), to stay one round trip. An invoice written with a project
// (CreateInvoice, UpdateInvoice) enters that project first, so only a viewer who sees it can name it; the
// same test fails when an exported method takes a body carrying a project ID without a viewer or a check.
// An invoice named by ID (DeleteInvoice, SendInvoice, RecordInvoicePayment, VoidInvoice, ...) is read with
// its viewer's invoice rule (invoiceVisibleSQL) in the same statement that locks it;
// TestInvoiceMethodsTakeTheViewer fails when an exported invoice method lacks a viewer or uses systemViewer.
// The client portal enters a project through enterPortalProject, under its own rule (store/portal.go).

// projectVisibleSQL is the visibility rule as a condition on a projects row aliased p: the viewer sees
// every project, or is a member of this one. Bind it with (v.SeesAllProjects(), v.UserID).
const projectVisibleSQL = `(? OR EXISTS (SELECT 1 FROM project_members pm
	WHERE pm.organization_id = p.organization_id AND pm.project_id = p.id AND pm.user_id = ?))`

// projectTx is a transaction inside one project of one organization that its viewer may see. It embeds
// the transaction, so queries read as p.NewRaw(...); orgID and projectID are the scope every query of a
// helper taking it must filter by.
type projectTx struct {
	bun.Tx
	orgID, projectID string
	viewer           domain.Viewer
}

// enterProject checks that projectID exists in orgID and v may see it, and returns the handle for it.
// A project the viewer is not on is indistinguishable from one that does not exist. Errors: ENOTFOUND.
func enterProject(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, projectID string) (projectTx, error) {
	return enterProjectIf(ctx, tx, orgID, v, projectID, "TRUE")
}

// enterProjectIf is enterProject with a further condition on the project row p (cond bound to args),
// checked in the same statement: a project failing it is not found, like a hidden one. Errors: ENOTFOUND.
func enterProjectIf(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, projectID, cond string, args ...any) (projectTx, error) {
	if !validUUID(projectID) {
		return projectTx{}, domain.Errorf(domain.ENOTFOUND, projectNotFound)
	}
	ok, err := tx.NewSelect().TableExpr("projects AS p").
		Where("p.organization_id = ? AND p.id = ?", orgID, projectID).
		Where(projectVisibleSQL, v.SeesAllProjects(), v.UserID).Where(cond, args...).Exists(ctx)
	if err != nil {
		return projectTx{}, err
	}
	if !ok {
		return projectTx{}, domain.Errorf(domain.ENOTFOUND, projectNotFound)
	}
	return projectTx{Tx: tx, orgID: orgID, projectID: projectID, viewer: v}, nil
}

// enterPortalProject is enterProject for the client portal: projectID must pass the portal rule for pv
// (portalProjectSQL, store/portal.go) instead of project visibility, in the same statement. The handle
// acts as pv's user, so a contact's request or comment is written as theirs. Errors: ENOTFOUND.
func enterPortalProject(ctx context.Context, tx bun.Tx, orgID string, pv domain.PortalViewer, projectID string) (projectTx, error) {
	if !validUUID(projectID) || !validUUID(pv.ClientID) {
		return projectTx{}, domain.Errorf(domain.ENOTFOUND, projectNotFound)
	}
	ok, err := tx.NewSelect().TableExpr("projects AS p").Where("p.organization_id = ? AND p.id = ?", orgID, projectID).
		Where(portalProjectSQL, portalArgs(pv)...).Exists(ctx)
	if err != nil {
		return projectTx{}, err
	}
	if !ok {
		return projectTx{}, domain.Errorf(domain.ENOTFOUND, projectNotFound)
	}
	return projectTx{Tx: tx, orgID: orgID, projectID: projectID, viewer: pv.Viewer()}, nil
}

// inProject runs fn in a tenant transaction inside a project v may see. Errors: ENOTFOUND, and fn's.
func (db *DB) inProject(ctx context.Context, orgID string, v domain.Viewer, projectID string,
	fn func(ctx context.Context, p projectTx) error) error {
	return db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		p, err := enterProject(ctx, tx, orgID, v, projectID)
		if err != nil {
			return err
		}
		return fn(ctx, p)
	})
}

// newProjectTx is the handle for project p that tx has just inserted on behalf of v, its creator (made a
// member in the same transaction): there is nothing to check yet.
func newProjectTx(tx bun.Tx, v domain.Viewer, p *domain.Project) projectTx {
	return projectTx{Tx: tx, orgID: p.OrganizationID, projectID: p.ID, viewer: v}
}

// openProject reads a project v may see, locking it when forUpdate, and returns the handle for it with
// the project: the read and the check are one statement. Errors: ENOTFOUND (as sql.ErrNoRows mapped).
func openProject(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, id string, forUpdate bool) (projectTx, *domain.Project, error) {
	if !validUUID(id) {
		return projectTx{}, nil, domain.Errorf(domain.ENOTFOUND, projectNotFound)
	}
	var row projectRow
	q := tx.NewSelect().Model(&row).ColumnExpr(projectColumns).
		Where("p.organization_id = ? AND p.id = ?", orgID, id).
		Where(projectVisibleSQL, v.SeesAllProjects(), v.UserID)
	if forUpdate {
		q = q.For("UPDATE OF p")
	}
	if err := q.Scan(ctx); err != nil {
		return projectTx{}, nil, mapError(err, projectNotFound)
	}
	return projectTx{Tx: tx, orgID: orgID, projectID: id, viewer: v}, row.domain(), nil
}

// enterTask loads a task of projectID for update, in the same statement as the check that v may see the
// project (one round trip less on every task write), and returns the project's handle with it.
// Errors: ENOTFOUND for a task the viewer cannot see, whether the task or its project is missing or hidden.
func enterTask(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, projectID, taskID string) (projectTx, *taskRow, error) {
	if !validUUID(taskID) || !validUUID(projectID) {
		return projectTx{}, nil, domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	var row taskRow
	if err := tx.NewSelect().Model(&row).Where("organization_id = ? AND project_id = ? AND id = ?", orgID, projectID, taskID).
		Where("EXISTS (SELECT 1 FROM projects p WHERE p.organization_id = ? AND p.id = ? AND "+projectVisibleSQL+")",
			orgID, projectID, v.SeesAllProjects(), v.UserID).
		For("NO KEY UPDATE OF task_row").Scan(ctx); err != nil {
		return projectTx{}, nil, mapError(err, taskNotFound)
	}
	return projectTx{Tx: tx, orgID: orgID, projectID: projectID, viewer: v}, &row, nil
}

// inTask runs fn for a task of projectID that v can see, with the task row locked, so changes to the task
// and its children serialise per task. Errors: ENOTFOUND, and fn's.
func (db *DB) inTask(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID string,
	fn func(ctx context.Context, p projectTx, t *taskRow) error) error {
	return db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		p, t, err := enterTask(ctx, tx, orgID, v, projectID, taskID)
		if err != nil {
			return err
		}
		return fn(ctx, p, t)
	})
}

// enterTimeEntry locks an entry v may see and returns it with its project's handle: the entry's read
// carries the visibility rule (visibleEntrySQL), so the read and the check are one statement.
// Errors: ENOTFOUND.
func enterTimeEntry(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, id string) (projectTx, *domain.TimeEntry, error) {
	e, err := loadTimeEntry(ctx, tx, orgID, v, id, true)
	if err != nil {
		return projectTx{}, nil, err
	}
	return projectTx{Tx: tx, orgID: orgID, projectID: e.ProjectID, viewer: v}, e, nil
}

// checkTask answers ENOTFOUND unless taskID is a task of p's project, without locking it.
func (p projectTx) checkTask(ctx context.Context, taskID string) error {
	if !validUUID(taskID) {
		return domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	ok, err := p.NewSelect().TableExpr("tasks").
		Where("organization_id = ? AND project_id = ? AND id = ?", p.orgID, p.projectID, taskID).Exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	return nil
}

// projectVisibleRead answers one row, true when the viewer may see the project ($1 org, $2 project,
// $3 sees every project, $4 viewer): the rule as a statement of a tenantRead batch.
const projectVisibleRead = `SELECT EXISTS (SELECT 1 FROM projects p WHERE p.organization_id = $1 AND p.id = $2
	AND ($3 OR EXISTS (SELECT 1 FROM project_members pm
		WHERE pm.organization_id = p.organization_id AND pm.project_id = p.id AND pm.user_id = $4)))`

// visibleRead is the tenantRead statement that sets *ok when v may see projectID.
func visibleRead(orgID string, v domain.Viewer, projectID string, ok *bool) read {
	return read{sql: projectVisibleRead, args: []any{orgID, projectID, v.SeesAllProjects(), nullable(v.UserID)},
		scan: func(r pgx.Rows) error {
			for r.Next() {
				if err := r.Scan(ok); err != nil {
					return err
				}
			}
			return nil
		}}
}
