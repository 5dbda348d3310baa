package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// The client portal is a second isolation axis inside the tenant. Its rule lives here as SQL conditions
// that every portal query carries, in the same statement as the read: portalProjectSQL for projects (and
// through them tasks, comments and files) and portalInvoiceSQL for invoices. A contact's client is checked
// against their active client membership in that same statement, so a ClientID the API got wrong still
// shows nothing; a staff preview skips the membership but keeps the staff member's own project
// visibility. Writes enter the project through enterPortalProject (project_access.go), which makes the
// projectTx the task and comment internals take.

const portalNotEnabledForClient = "The portal is not enabled for this client."

// portalProjectSQL is the portal rule on a projects row aliased p: the viewer's client's project, shared
// with the portal, not archived, while the client's portal is enabled; for a contact, their active client
// membership names that client; for a staff preview, the staff member sees the project. Bind portalArgs.
const portalProjectSQL = `(p.client_id = ? AND p.portal_shared AND p.archived_at IS NULL
	AND EXISTS (SELECT 1 FROM clients pcl WHERE pcl.organization_id = p.organization_id AND pcl.id = p.client_id
		AND pcl.portal_enabled)
	AND CASE WHEN ? THEN EXISTS (SELECT 1 FROM organization_memberships pcm
			WHERE pcm.organization_id = p.organization_id AND pcm.user_id = ? AND pcm.role = 'client'
			AND pcm.status = 'active' AND pcm.client_id = p.client_id)
		ELSE (? OR EXISTS (SELECT 1 FROM project_members ppm
			WHERE ppm.organization_id = p.organization_id AND ppm.project_id = p.id AND ppm.user_id = ?)) END)`

// portalArgs binds portalProjectSQL for pv.
func portalArgs(pv domain.PortalViewer) []any {
	return []any{pv.ClientID, pv.Contact(), pv.UserID, pv.Viewer().SeesAllProjects(), pv.UserID}
}

// portalInvoiceSQL is the portal rule on an invoices row aliased i: an invoice of the viewer's client that
// went out (never a draft or a void one), while the client's portal is enabled; for a contact, their
// active client membership names that client; for a staff preview, the invoice rule of their role
// (invoiceVisibleSQL's). Bind portalArgs.
const portalInvoiceSQL = `(i.client_id = ? AND i.status IN ('sent', 'paid', 'overdue')
	AND EXISTS (SELECT 1 FROM clients icl WHERE icl.organization_id = i.organization_id AND icl.id = i.client_id
		AND icl.portal_enabled)
	AND CASE WHEN ? THEN EXISTS (SELECT 1 FROM organization_memberships icm
			WHERE icm.organization_id = i.organization_id AND icm.user_id = ? AND icm.role = 'client'
			AND icm.status = 'active' AND icm.client_id = i.client_id)
		ELSE (? OR EXISTS (SELECT 1 FROM project_members ipm
			WHERE ipm.organization_id = i.organization_id AND ipm.project_id = i.project_id AND ipm.user_id = ?)) END)`

// portalClient checks that pv may open the portal and returns its client: a contact needs an active
// membership of that client, a staff preview a client of the organization; either needs the client's
// portal enabled. Errors: EFORBIDDEN (no client, portal off), ENOTFOUND (a staff preview of a client that
// does not exist).
func portalClient(ctx context.Context, tx bun.Tx, orgID string, pv domain.PortalViewer) (*domain.PortalClient, error) {
	refuse := func(staff error) error {
		if pv.Contact() {
			return domain.Errorf(domain.EFORBIDDEN, domain.PortalDisabled)
		}
		return staff
	}
	if !validUUID(pv.ClientID) {
		return nil, refuse(domain.Errorf(domain.ENOTFOUND, "Client not found."))
	}
	var c domain.PortalClient
	var enabled bool
	err := tx.QueryRowContext(ctx, `SELECT c.id, c.name, c.portal_enabled FROM clients c
		WHERE c.organization_id = ? AND c.id = ? AND (NOT ? OR EXISTS (SELECT 1 FROM organization_memberships m
			WHERE m.organization_id = c.organization_id AND m.user_id = ? AND m.role = 'client' AND m.status = 'active'
			AND m.client_id = c.id))`, orgID, pv.ClientID, pv.Contact(), pv.UserID).Scan(&c.ID, &c.Name, &enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refuse(domain.Errorf(domain.ENOTFOUND, "Client not found."))
	} else if err != nil {
		return nil, err
	}
	if !enabled {
		return nil, refuse(domain.Errorf(domain.EFORBIDDEN, portalNotEnabledForClient))
	}
	return &c, nil
}

// inPortal runs fn in a tenant transaction after checking that pv may open the portal.
// Errors: portalClient's, and fn's.
func (db *DB) inPortal(ctx context.Context, orgID string, pv domain.PortalViewer,
	fn func(ctx context.Context, tx bun.Tx, c *domain.PortalClient) error) error {
	return db.inTenant(ctx, orgID, pv.UserID, func(ctx context.Context, tx bun.Tx) error {
		c, err := portalClient(ctx, tx, orgID, pv)
		if err != nil {
			return err
		}
		return fn(ctx, tx, c)
	})
}

// inPortalProject runs fn inside a project that passes the portal rule for pv. Errors: EFORBIDDEN,
// ENOTFOUND, and fn's.
func (db *DB) inPortalProject(ctx context.Context, orgID string, pv domain.PortalViewer, projectID string,
	fn func(ctx context.Context, p projectTx) error) error {
	return db.inPortal(ctx, orgID, pv, func(ctx context.Context, tx bun.Tx, _ *domain.PortalClient) error {
		p, err := enterPortalProject(ctx, tx, orgID, pv, projectID)
		if err != nil {
			return err
		}
		return fn(ctx, p)
	})
}

// portalProjectSelect reads portal projects (alias p) with their task progress; bind the org ID, then
// portalArgs.
const portalProjectSelect = `SELECT p.id, p.name, p.description, p.status, p.start_date, p.due_date, p.portal_comments,
	tc.done, tc.total
	FROM projects p
	CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE t.completed_at IS NOT NULL) AS done, count(*) AS total
		FROM tasks t WHERE t.organization_id = p.organization_id AND t.project_id = p.id) tc
	WHERE p.organization_id = ? AND ` + portalProjectSQL

func scanPortalProject(r rowScanner) (domain.PortalProject, error) {
	var p domain.PortalProject
	err := r.Scan(&p.ID, &p.Name, &p.Description, &p.Status, &p.StartDate, &p.DueDate, &p.AllowComments, &p.Done, &p.Total)
	return p, err
}

// queryAll runs query and scans each row with scan, appending to out.
func queryAll[T any](ctx context.Context, tx bun.IDB, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// PortalSummary returns the portal's home page for pv in a fixed number of statements: the client, its
// open projects with progress, the latest shared files, open invoices with the totals due per currency
// (only when withInvoices: the caller holds invoices.read) and the next due tasks.
// Errors: EFORBIDDEN, ENOTFOUND.
func (db *DB) PortalSummary(ctx context.Context, orgID string, pv domain.PortalViewer, include domain.PortalSections) (*domain.PortalSummary, error) {
	out := &domain.PortalSummary{RecentFiles: []domain.PortalFile{}, OpenInvoices: []domain.PortalInvoice{},
		TotalsDue: []domain.MoneyTotal{}, NextDue: []domain.PortalDue{}}
	err := db.inPortal(ctx, orgID, pv, func(ctx context.Context, tx bun.Tx, c *domain.PortalClient) error {
		out.Client = *c
		args := append([]any{orgID}, portalArgs(pv)...)
		var err error
		if out.Projects, err = queryAll(ctx, tx, scanPortalProject, portalProjectSelect+
			" AND p.status NOT IN ('completed', 'cancelled') ORDER BY p.name, p.id LIMIT 200", args...); err != nil {
			return err
		}
		if include.Files {
			if out.RecentFiles, err = queryAll(ctx, tx, scanPortalFile, portalFileSelect+
				" ORDER BY f.id DESC LIMIT ?", append(args, domain.PortalRecentFiles)...); err != nil {
				return err
			}
		}
		if include.Tasks {
			if out.NextDue, err = queryAll(ctx, tx, scanPortalDue, `SELECT t.id, t.project_id, t.title, t.due_date
				FROM tasks t JOIN projects p ON p.organization_id = t.organization_id AND p.id = t.project_id
				WHERE t.organization_id = ? AND t.completed_at IS NULL AND t.due_date IS NOT NULL AND `+portalProjectSQL+
				" ORDER BY t.due_date, t.id LIMIT ?", append(args, domain.PortalNextDue)...); err != nil {
				return err
			}
		}
		if !include.Invoices {
			return nil
		}
		if out.OpenInvoices, err = queryAll(ctx, tx, scanPortalInvoice, portalInvoiceSelect+
			" AND i.status IN ('sent', 'overdue') AND i.total > i.amount_paid ORDER BY i.due_date, i.id LIMIT 200", args...); err != nil {
			return err
		}
		out.TotalsDue = totalsDue(out.OpenInvoices)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func scanPortalDue(r rowScanner) (domain.PortalDue, error) {
	var d domain.PortalDue
	err := r.Scan(&d.TaskID, &d.ProjectID, &d.Title, &d.DueDate)
	return d, err
}

// totalsDue sums what remains to be paid per currency, in the order currencies first appear.
func totalsDue(invs []domain.PortalInvoice) []domain.MoneyTotal {
	out := []domain.MoneyTotal{}
	index := map[string]int{}
	for _, inv := range invs {
		i, ok := index[inv.Currency]
		if !ok {
			i = len(out)
			index[inv.Currency] = i
			out = append(out, domain.MoneyTotal{Currency: inv.Currency})
		}
		out[i].Amount += inv.AmountDue()
	}
	return out
}

// PortalProjects lists the projects pv sees in the portal, by name. Errors: EFORBIDDEN, ENOTFOUND.
func (db *DB) PortalProjects(ctx context.Context, orgID string, pv domain.PortalViewer) ([]domain.PortalProject, error) {
	var out []domain.PortalProject
	err := db.inPortal(ctx, orgID, pv, func(ctx context.Context, tx bun.Tx, _ *domain.PortalClient) error {
		var err error
		out, err = queryAll(ctx, tx, scanPortalProject, portalProjectSelect+" ORDER BY p.name, p.id LIMIT 200",
			append([]any{orgID}, portalArgs(pv)...)...)
		return err
	})
	return out, err
}

// PortalProject returns a portal project with its milestones (the board's columns, in order, with their
// task counts). Errors: EFORBIDDEN, ENOTFOUND (also for another client's or an unshared project).
func (db *DB) PortalProject(ctx context.Context, orgID string, pv domain.PortalViewer, projectID string) (*domain.PortalProjectDetail, error) {
	var out *domain.PortalProjectDetail
	err := db.inPortalProject(ctx, orgID, pv, projectID, func(ctx context.Context, p projectTx) error {
		proj, err := scanPortalProject(p.QueryRowContext(ctx, portalProjectSelect+" AND p.id = ?",
			append(append([]any{p.orgID}, portalArgs(pv)...), p.projectID)...))
		if err != nil {
			return mapError(err, projectNotFound)
		}
		out = &domain.PortalProjectDetail{PortalProject: proj}
		out.Milestones, err = queryAll(ctx, p, scanMilestone, `SELECT c.id, c.name,
			(SELECT count(*) FROM tasks t WHERE t.organization_id = c.organization_id AND t.column_id = c.id),
			(row_number() OVER (ORDER BY c.position) - 1)::int
			FROM task_board_columns c WHERE c.organization_id = ? AND c.project_id = ? ORDER BY c.position`,
			p.orgID, p.projectID)
		return err
	})
	return out, err
}

func scanMilestone(r rowScanner) (domain.PortalMilestone, error) {
	var m domain.PortalMilestone
	err := r.Scan(&m.ID, &m.Name, &m.TaskCount, &m.Position)
	return m, err
}

// portalTaskSelect reads tasks (alias t) with their column's name; bind the viewer's user ID first (for
// requested_by_me).
const portalTaskSelect = `SELECT t.id, t.project_id, t.number, t.title, col.name, t.column_id, t.priority, t.due_date,
	t.completed_at, coalesce(t.requester_id = ?, false), t.created_at, t.updated_at
	FROM tasks t JOIN task_board_columns col ON col.organization_id = t.organization_id AND col.id = t.column_id`

func scanPortalTask(r rowScanner) (domain.PortalTask, error) {
	var t domain.PortalTask
	err := r.Scan(&t.ID, &t.ProjectID, &t.Number, &t.Title, &t.Status, &t.ColumnID, &t.Priority, &t.DueDate,
		&t.CompletedAt, &t.RequestedByMe, &t.CreatedAt, &t.UpdatedAt)
	return t, err
}

// PortalTasks lists a portal project's tasks in board order. Errors: EFORBIDDEN, ENOTFOUND.
func (db *DB) PortalTasks(ctx context.Context, orgID string, pv domain.PortalViewer, projectID string) ([]domain.PortalTask, error) {
	var out []domain.PortalTask
	err := db.inPortalProject(ctx, orgID, pv, projectID, func(ctx context.Context, p projectTx) error {
		var err error
		out, err = queryAll(ctx, p, scanPortalTask, portalTaskSelect+
			" WHERE t.organization_id = ? AND t.project_id = ? ORDER BY col.position, t.position LIMIT 500",
			pv.UserID, p.orgID, p.projectID)
		return err
	})
	return out, err
}

// PortalTask returns a task of a portal project with its description, its comments (never internal ones)
// and its attachments shared with the client. Errors: EFORBIDDEN, ENOTFOUND.
func (db *DB) PortalTask(ctx context.Context, orgID string, pv domain.PortalViewer, projectID, taskID string) (*domain.PortalTaskDetail, error) {
	var out *domain.PortalTaskDetail
	err := db.inPortalProject(ctx, orgID, pv, projectID, func(ctx context.Context, p projectTx) error {
		var err error
		out, err = loadPortalTask(ctx, p, pv, taskID)
		return err
	})
	return out, err
}

// loadPortalTask reads a task of p's project for the portal. Errors: ENOTFOUND.
func loadPortalTask(ctx context.Context, p projectTx, pv domain.PortalViewer, taskID string) (*domain.PortalTaskDetail, error) {
	if !validUUID(taskID) {
		return nil, domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	out := &domain.PortalTaskDetail{}
	var allowComments bool
	err := p.QueryRowContext(ctx, `SELECT t.id, t.project_id, t.number, t.title, col.name, t.column_id, t.priority, t.due_date,
		t.completed_at, coalesce(t.requester_id = ?, false), t.created_at, t.updated_at, t.description_html, pr.portal_comments
		FROM tasks t JOIN task_board_columns col ON col.organization_id = t.organization_id AND col.id = t.column_id
		JOIN projects pr ON pr.organization_id = t.organization_id AND pr.id = t.project_id
		WHERE t.organization_id = ? AND t.project_id = ? AND t.id = ?`, pv.UserID, p.orgID, p.projectID, taskID).
		Scan(&out.ID, &out.ProjectID, &out.Number, &out.Title, &out.Status, &out.ColumnID, &out.Priority, &out.DueDate,
			&out.CompletedAt, &out.RequestedByMe, &out.CreatedAt, &out.UpdatedAt, &out.DescriptionHTML, &allowComments)
	if err != nil {
		return nil, mapError(err, taskNotFound)
	}
	out.CanComment = allowComments && pv.Contact()
	if out.Comments, err = queryAll(ctx, p, scanPortalComment, portalCommentSelect+
		" WHERE c.organization_id = ? AND c.task_id = ? AND NOT c.internal ORDER BY c.id LIMIT 500", p.orgID, taskID); err != nil {
		return nil, err
	}
	out.Attachments, err = queryAll(ctx, p, scanPortalFile, `SELECT f.id, f.project_id, pr.name, coalesce(f.task_id::text, ''),
		f.name, f.content_type, f.size_bytes, f.created_at
		FROM files f JOIN projects pr ON pr.organization_id = f.organization_id AND pr.id = f.project_id
		WHERE f.organization_id = ? AND f.project_id = ? AND f.task_id = ? AND f.shared_with_client ORDER BY f.id LIMIT 200`,
		p.orgID, p.projectID, taskID)
	return out, err
}

// portalCommentSelect reads comments (alias c) with their author's name and whether a client contact wrote it.
const portalCommentSelect = `SELECT c.id, coalesce(c.author_id::text, ''), coalesce(u.name, ''), c.body_html, c.created_at,
	EXISTS (SELECT 1 FROM organization_memberships m WHERE m.organization_id = c.organization_id
		AND m.user_id = c.author_id AND m.role = 'client')
	FROM task_comments c LEFT JOIN users u ON u.id = c.author_id`

func scanPortalComment(r rowScanner) (domain.PortalComment, error) {
	var c domain.PortalComment
	err := r.Scan(&c.ID, &c.AuthorID, &c.AuthorName, &c.BodyHTML, &c.CreatedAt, &c.FromClient)
	return c, err
}

// CreatePortalComment adds a contact's comment (never internal; c.BodyHTML already sanitised) to a task of
// a portal project, with the comment.created event staff notifications follow.
// Errors: EFORBIDDEN (a staff preview, or a project that takes no contact comments), ENOTFOUND, EINVALID.
func (db *DB) CreatePortalComment(ctx context.Context, orgID string, pv domain.PortalViewer, projectID, taskID string, c *domain.Comment) (*domain.PortalComment, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.Mentions = []string{}
	var out *domain.PortalComment
	err := db.inPortalProject(ctx, orgID, pv, projectID, func(ctx context.Context, p projectTx) error {
		var allowed bool
		if err := p.NewRaw("SELECT portal_comments FROM projects WHERE organization_id = ? AND id = ?", p.orgID, p.projectID).
			Scan(ctx, &allowed); err != nil {
			return err
		}
		// The task is found first: a preview of a hidden task answers like a missing one.
		if err := p.checkTask(ctx, taskID); err != nil {
			return err
		}
		if !pv.Contact() {
			return domain.Errorf(domain.EFORBIDDEN, "The portal preview is read-only.")
		}
		if !allowed {
			return domain.Errorf(domain.EFORBIDDEN, "This project does not take comments from the portal.")
		}
		c.ID, c.OrganizationID, c.TaskID, c.AuthorID = newID(), p.orgID, taskID, pv.UserID
		c.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
		if _, err := p.NewRaw(`INSERT INTO task_comments (id, organization_id, task_id, author_id, body_json, body_html, internal, created_at)
			VALUES (?, ?, ?, ?, ?, ?, false, ?)`, c.ID, p.orgID, taskID, pv.UserID, string(c.BodyJSON), c.BodyHTML,
			c.CreatedAt).Exec(ctx); err != nil {
			return err
		}
		if err := p.NewRaw("SELECT name FROM users WHERE id = ?", pv.UserID).Scan(ctx, &c.AuthorName); err != nil {
			return err
		}
		if err := recordEvent(ctx, p.Tx, p.orgID, commentEvent(domain.EventCommentCreated, p.projectID, c, pv.UserID)); err != nil {
			return err
		}
		out = &domain.PortalComment{ID: c.ID, AuthorID: c.AuthorID, AuthorName: c.AuthorName, BodyHTML: c.BodyHTML,
			CreatedAt: c.CreatedAt, FromClient: true}
		return bumpUsage(ctx, p.Tx, p.orgID, domain.UsageComments, 1)
	})
	return out, mapError(err, commentNotFound)
}

// portalFileSelect reads files shared with the client (alias f) of portal projects; bind the org ID, then
// portalArgs.
const portalFileSelect = `SELECT f.id, f.project_id, p.name, coalesce(f.task_id::text, ''), f.name, f.content_type,
	f.size_bytes, f.created_at
	FROM files f JOIN projects p ON p.organization_id = f.organization_id AND p.id = f.project_id
	WHERE f.organization_id = ? AND f.shared_with_client AND ` + portalProjectSQL

func scanPortalFile(r rowScanner) (domain.PortalFile, error) {
	var f domain.PortalFile
	err := r.Scan(&f.ID, &f.ProjectID, &f.ProjectName, &f.TaskID, &f.Name, &f.ContentType, &f.SizeBytes, &f.CreatedAt)
	return f, err
}

// PortalFiles lists the files shared with pv's client, newest first, of one portal project when projectID
// is set. Errors: EFORBIDDEN, ENOTFOUND (a project outside the portal).
func (db *DB) PortalFiles(ctx context.Context, orgID string, pv domain.PortalViewer, projectID string) ([]domain.PortalFile, error) {
	var out []domain.PortalFile
	err := db.inPortal(ctx, orgID, pv, func(ctx context.Context, tx bun.Tx, _ *domain.PortalClient) error {
		query, args := portalFileSelect, append([]any{orgID}, portalArgs(pv)...)
		if projectID != "" {
			p, err := enterPortalProject(ctx, tx, orgID, pv, projectID)
			if err != nil {
				return err
			}
			query, args = query+" AND f.project_id = ?", append(args, p.projectID)
		}
		var err error
		out, err = queryAll(ctx, tx, scanPortalFile, query+" ORDER BY f.id DESC LIMIT 200", args...)
		return err
	})
	return out, err
}

// PortalFile returns a file shared with pv's client, for its download. Errors: EFORBIDDEN, ENOTFOUND
// (also for a file not shared, or of a project outside the portal).
func (db *DB) PortalFile(ctx context.Context, orgID string, pv domain.PortalViewer, fileID string) (*domain.File, error) {
	if !validUUID(fileID) {
		return nil, domain.Errorf(domain.ENOTFOUND, fileNotFound)
	}
	var out *domain.File
	err := db.inPortal(ctx, orgID, pv, func(ctx context.Context, tx bun.Tx, _ *domain.PortalClient) error {
		var f domain.File
		err := tx.QueryRowContext(ctx, `SELECT f.id, f.organization_id, f.project_id, f.name, f.content_type, f.size_bytes,
			f.storage_key, f.created_at
			FROM files f JOIN projects p ON p.organization_id = f.organization_id AND p.id = f.project_id
			WHERE f.organization_id = ? AND f.id = ? AND f.shared_with_client AND `+portalProjectSQL,
			append([]any{orgID, fileID}, portalArgs(pv)...)...).
			Scan(&f.ID, &f.OrganizationID, &f.ProjectID, &f.Name, &f.ContentType, &f.SizeBytes, &f.StorageKey, &f.CreatedAt)
		out = &f
		return err
	})
	return out, mapError(err, fileNotFound)
}

// portalInvoiceSelect reads the invoices pv's client sees (alias i); bind the org ID, then portalArgs.
const portalInvoiceSelect = `SELECT i.id, i.number, i.status, i.currency, i.total, i.amount_paid, i.issue_date, i.due_date
	FROM invoices i WHERE i.organization_id = ? AND ` + portalInvoiceSQL

func scanPortalInvoice(r rowScanner) (domain.PortalInvoice, error) {
	var inv domain.PortalInvoice
	err := r.Scan(&inv.ID, &inv.Number, &inv.Status, &inv.Currency, &inv.Total, &inv.AmountPaid, &inv.IssueDate, &inv.DueDate)
	return inv, err
}

// PortalInvoices lists the invoices sent to pv's client (sent, paid or overdue), newest first.
// Errors: EFORBIDDEN, ENOTFOUND.
func (db *DB) PortalInvoices(ctx context.Context, orgID string, pv domain.PortalViewer) ([]domain.PortalInvoice, error) {
	var out []domain.PortalInvoice
	err := db.inPortal(ctx, orgID, pv, func(ctx context.Context, tx bun.Tx, _ *domain.PortalClient) error {
		var err error
		out, err = queryAll(ctx, tx, scanPortalInvoice, portalInvoiceSelect+" ORDER BY i.id DESC LIMIT 200",
			append([]any{orgID}, portalArgs(pv)...)...)
		return err
	})
	return out, err
}

// PortalInvoiceDocument returns an invoice sent to pv's client with its lines, for its PDF.
// Errors: EFORBIDDEN, ENOTFOUND (also for drafts, void invoices and another client's).
func (db *DB) PortalInvoiceDocument(ctx context.Context, orgID string, pv domain.PortalViewer, invoiceID string) (*domain.Invoice, error) {
	if !validUUID(invoiceID) {
		return nil, domain.Errorf(domain.ENOTFOUND, invoiceNotFound)
	}
	var out *domain.Invoice
	err := db.inPortal(ctx, orgID, pv, func(ctx context.Context, tx bun.Tx, _ *domain.PortalClient) error {
		inv := &domain.Invoice{OrganizationID: orgID, Lines: []domain.InvoiceLine{}, Payments: []domain.InvoicePayment{}}
		if err := tx.QueryRowContext(ctx, `SELECT i.id, i.number, i.client_id, i.status, i.currency, i.issue_date, i.due_date,
			i.discount_bp, i.notes, i.subtotal, i.discount, i.tax, i.total, i.amount_paid, c.name, c.email, coalesce(pr.name, '')
			FROM invoices i JOIN clients c ON c.organization_id = i.organization_id AND c.id = i.client_id
			LEFT JOIN projects pr ON pr.organization_id = i.organization_id AND pr.id = i.project_id
			WHERE i.organization_id = ? AND i.id = ? AND `+portalInvoiceSQL, append([]any{orgID, invoiceID}, portalArgs(pv)...)...).
			Scan(&inv.ID, &inv.Number, &inv.ClientID, &inv.Status, &inv.Currency, &inv.IssueDate, &inv.DueDate,
				&inv.DiscountBP, &inv.Notes, &inv.Subtotal, &inv.Discount, &inv.Tax, &inv.Total, &inv.AmountPaid,
				&inv.ClientName, &inv.ClientEmail, &inv.ProjectName); err != nil {
			return err
		}
		inv.IssueDate, inv.DueDate = domain.DateOnly(inv.IssueDate), domain.DateOnly(inv.DueDate)
		out = inv
		return loadInvoiceDetails(ctx, tx, orgID, inv)
	})
	return out, mapError(err, invoiceNotFound)
}

// CreatePortalRequest turns a contact's request into a task of a portal project: in its intake column
// (the first by position), numbered, counted against the plan and announced like any new task
// (task.created), with the contact as creator and requester and a task.requested event for the team.
// t carries the title and the description (document and sanitised HTML). Errors: EFORBIDDEN (a staff
// preview), ENOTFOUND (a project outside the portal), EINVALID, plan_limit_reached.
func (db *DB) CreatePortalRequest(ctx context.Context, orgID string, pv domain.PortalViewer, projectID string, t *domain.Task) (*domain.PortalTask, error) {
	if !pv.Contact() {
		return nil, domain.Errorf(domain.EFORBIDDEN, "The portal preview is read-only.")
	}
	t.ColumnID, t.AssigneeIDs, t.Priority = "", []string{}, domain.PriorityMedium
	t.Normalize()
	if err := t.Validate(); err != nil {
		return nil, err
	}
	var out *domain.PortalTask
	err := retryPositionConflict(func() error {
		return db.inPortalProject(ctx, orgID, pv, projectID, func(ctx context.Context, p projectTx) error {
			col, err := taskColumn(ctx, p, "")
			if domain.ErrorCode(err) == domain.EINVALID {
				return domain.Invalid("body.project_id", "This project has no board to take requests yet.")
			} else if err != nil {
				return err
			}
			if err := insertTask(ctx, p, col, t); err != nil {
				return err
			}
			if _, err := p.NewRaw("UPDATE tasks SET requester_id = ? WHERE organization_id = ? AND id = ?",
				pv.UserID, p.orgID, t.ID).Exec(ctx); err != nil {
				return err
			}
			ev := taskEvent(domain.EventTaskRequested, t, pv.UserID)
			ev.Payload = map[string]any{"task_id": t.ID, "project_id": p.projectID, "requester_id": pv.UserID, "title": t.Title}
			if err := recordEvent(ctx, p.Tx, p.orgID, ev); err != nil {
				return err
			}
			out = &domain.PortalTask{ID: t.ID, ProjectID: t.ProjectID, Number: t.Number, Title: t.Title, Status: col.Name,
				ColumnID: col.ID, Priority: t.Priority, DueDate: t.DueDate, CompletedAt: t.CompletedAt, RequestedByMe: true,
				CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
			return nil
		})
	})
	return out, mapError(err, projectNotFound)
}

// PortalRequests lists a contact's own requests, newest first; a staff preview lists every request of
// the client's portal projects. Errors: EFORBIDDEN, ENOTFOUND.
func (db *DB) PortalRequests(ctx context.Context, orgID string, pv domain.PortalViewer) ([]domain.PortalTask, error) {
	var out []domain.PortalTask
	err := db.inPortal(ctx, orgID, pv, func(ctx context.Context, tx bun.Tx, _ *domain.PortalClient) error {
		var err error
		out, err = queryAll(ctx, tx, scanPortalTask, portalTaskSelect+`
			JOIN projects p ON p.organization_id = t.organization_id AND p.id = t.project_id
			WHERE t.organization_id = ? AND t.requester_id IS NOT NULL AND (NOT ? OR t.requester_id = ?)
			AND `+portalProjectSQL+" ORDER BY t.id DESC LIMIT 200",
			append([]any{pv.UserID, orgID, pv.Contact(), pv.UserID}, portalArgs(pv)...)...)
		return err
	})
	return out, err
}

// portalRequestSQL reads the project of a contact's own request under the portal rule; bind the org ID,
// the task ID, the contact's user ID, then portalArgs.
const portalRequestSQL = `SELECT t.project_id FROM tasks t
	JOIN projects p ON p.organization_id = t.organization_id AND p.id = t.project_id
	WHERE t.organization_id = ? AND t.id = ? AND t.requester_id = ? AND ` + portalProjectSQL

// CheckPortalAttachment answers the project of a contact's own request taskID, so the API can check the
// target before storing an upload's bytes. Errors: EFORBIDDEN (a staff preview, portal off), ENOTFOUND.
func (db *DB) CheckPortalAttachment(ctx context.Context, orgID string, pv domain.PortalViewer, taskID string) (string, error) {
	if !pv.Contact() {
		return "", domain.Errorf(domain.EFORBIDDEN, "The portal preview is read-only.")
	}
	if !validUUID(taskID) {
		return "", domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	var projectID string
	err := db.inPortal(ctx, orgID, pv, func(ctx context.Context, tx bun.Tx, _ *domain.PortalClient) error {
		return tx.QueryRowContext(ctx, portalRequestSQL, append([]any{orgID, taskID, pv.UserID}, portalArgs(pv)...)...).
			Scan(&projectID)
	})
	return projectID, mapError(err, taskNotFound)
}

// CreatePortalAttachment records a file a contact attached to their own request f.TaskID (bytes already
// stored under f.StorageKey; f.ID from NewFileID), shared with the client, with the usual file.uploaded
// event and usage count. Errors: EFORBIDDEN, ENOTFOUND, plan_limit_reached.
func (db *DB) CreatePortalAttachment(ctx context.Context, orgID string, pv domain.PortalViewer, f *domain.File) (*domain.PortalFile, error) {
	if !pv.Contact() {
		return nil, domain.Errorf(domain.EFORBIDDEN, "The portal preview is read-only.")
	}
	if !validUUID(f.TaskID) {
		return nil, domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	f.OrganizationID, f.UploaderID = orgID, pv.UserID
	f.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	var out *domain.PortalFile
	err := db.inPortal(ctx, orgID, pv, func(ctx context.Context, tx bun.Tx, _ *domain.PortalClient) error {
		var projectID string
		if err := tx.QueryRowContext(ctx, portalRequestSQL, append([]any{orgID, f.TaskID, pv.UserID}, portalArgs(pv)...)...).
			Scan(&projectID); err != nil {
			return mapError(err, taskNotFound)
		}
		p, err := enterPortalProject(ctx, tx, orgID, pv, projectID)
		if err != nil {
			return err
		}
		f.ProjectID = p.projectID
		if _, err := p.NewRaw(`INSERT INTO files (id, organization_id, project_id, task_id, uploader_id, name, content_type,
			size_bytes, storage_key, shared_with_client, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?)`,
			f.ID, p.orgID, p.projectID, f.TaskID, pv.UserID, f.Name, f.ContentType, f.SizeBytes, f.StorageKey,
			f.CreatedAt).Exec(ctx); err != nil {
			return err
		}
		pf := domain.PortalFile{ID: f.ID, ProjectID: f.ProjectID, TaskID: f.TaskID, Name: f.Name, ContentType: f.ContentType,
			SizeBytes: f.SizeBytes, CreatedAt: f.CreatedAt}
		if err := p.NewRaw("SELECT name FROM projects WHERE organization_id = ? AND id = ?", p.orgID, p.projectID).
			Scan(ctx, &pf.ProjectName); err != nil {
			return err
		}
		out = &pf
		if err := recordEvent(ctx, p.Tx, p.orgID, fileEvent(domain.EventFileUploaded, f, pv.UserID)); err != nil {
			return err
		}
		return bumpUsage(ctx, p.Tx, p.orgID, domain.UsageFiles, 1)
	})
	return out, mapError(err, fileNotFound)
}
