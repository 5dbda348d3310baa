package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// projectRow is the projects table.
type projectRow struct {
	bun.BaseModel `bun:"table:projects,alias:p"`

	ID             string     `bun:"id,pk"`
	OrganizationID string     `bun:"organization_id"`
	ClientID       *string    `bun:"client_id"`
	Name           string     `bun:"name"`
	Description    string     `bun:"description"`
	Status         string     `bun:"status"`
	StartDate      *time.Time `bun:"start_date"`
	DueDate        *time.Time `bun:"due_date"`
	BudgetAmount   *int64     `bun:"budget_amount"`
	BudgetCurrency *string    `bun:"budget_currency"`
	BudgetMinutes  *int       `bun:"budget_minutes"`
	HourlyRate     *int64     `bun:"hourly_rate"`
	PortalShared   bool       `bun:"portal_shared"`
	PortalComments bool       `bun:"portal_comments"`
	ArchivedAt     *time.Time `bun:"archived_at"`
	CreatedBy      *string    `bun:"created_by"`
	CreatedAt      time.Time  `bun:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at"`
}

func (r *projectRow) domain() *domain.Project {
	p := &domain.Project{ID: r.ID, OrganizationID: r.OrganizationID, Name: r.Name, Description: r.Description,
		Status: r.Status, StartDate: utcDate(r.StartDate), DueDate: utcDate(r.DueDate), BudgetAmount: r.BudgetAmount,
		BudgetMinutes: r.BudgetMinutes, HourlyRate: r.HourlyRate, PortalHidden: !r.PortalShared,
		PortalCommentsOff: !r.PortalComments, ArchivedAt: r.ArchivedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.ClientID != nil {
		p.ClientID = *r.ClientID
	}
	if r.BudgetCurrency != nil {
		p.BudgetCurrency = *r.BudgetCurrency
	}
	return p
}

func projectRowFrom(p *domain.Project) projectRow {
	return projectRow{ID: p.ID, OrganizationID: p.OrganizationID, ClientID: nullable(p.ClientID), Name: p.Name,
		Description: p.Description, Status: p.Status, StartDate: p.StartDate, DueDate: p.DueDate,
		BudgetAmount: p.BudgetAmount, BudgetCurrency: nullable(p.BudgetCurrency), BudgetMinutes: p.BudgetMinutes,
		HourlyRate: p.HourlyRate, PortalShared: !p.PortalHidden, PortalComments: !p.PortalCommentsOff,
		ArchivedAt: p.ArchivedAt, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// utcDate keeps a date column's calendar day whatever zone the driver read it in.
func utcDate(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}

const projectColumns = `p.id, p.organization_id, p.client_id, p.name, p.description, p.status, p.start_date, p.due_date,
	p.budget_amount, p.budget_currency, p.budget_minutes, p.hourly_rate, p.portal_shared, p.portal_comments,
	p.archived_at, p.created_at, p.updated_at`

const projectNotFound = "Project not found."

// CreateProject validates and inserts p into orgID for viewer v, with its board columns (the template's,
// or the default four), the template's tasks, its task counter and v as its first member, writing
// project.created and bumping usage in the same transaction. templateID may be empty.
// Errors: EINVALID (also for a client or template that does not exist in orgID).
func (db *DB) CreateProject(ctx context.Context, orgID string, v domain.Viewer, p *domain.Project, templateID string) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	p.ID, p.OrganizationID, p.CreatedAt, p.UpdatedAt, p.ArchivedAt = newID(), orgID, now, now, nil
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		if err := checkClientExists(ctx, tx, orgID, p.ClientID); err != nil {
			return err
		}
		body, err := projectSkeleton(ctx, tx, orgID, templateID)
		if err != nil {
			return err
		}
		row := projectRowFrom(p)
		row.CreatedBy = nullable(v.UserID)
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return err
		}
		// project.created goes first, so its template tasks' task.created events follow it (ids are ordered).
		if err := recordEvent(ctx, tx, orgID, projectEvent(domain.EventProjectCreated, p, v.UserID, len(body.Tasks), nil)); err != nil {
			return err
		}
		if err := buildBoard(ctx, newProjectTx(tx, v, p), p, body); err != nil {
			return err
		}
		if _, err := tx.NewRaw("INSERT INTO project_members (organization_id, project_id, user_id) VALUES (?, ?, ?)",
			orgID, p.ID, v.UserID).Exec(ctx); err != nil {
			return err
		}
		if len(body.Tasks) > 0 {
			if err := bumpUsage(ctx, tx, orgID, domain.UsageTasks, len(body.Tasks)); err != nil {
				return err
			}
		}
		return bumpUsage(ctx, tx, orgID, domain.UsageProjects, 1)
	})
	return mapError(err, projectNotFound)
}

// checkClientExists answers a validation error on body.client_id unless clientID is empty or a client of
// orgID; another tenant's client reads exactly like a missing one.
func checkClientExists(ctx context.Context, tx bun.Tx, orgID, clientID string) error {
	if clientID == "" {
		return nil
	}
	missing := domain.Invalid("body.client_id", "does not exist")
	if !validUUID(clientID) {
		return missing
	}
	ok, err := tx.NewSelect().Table("clients").Where("organization_id = ? AND id = ?", orgID, clientID).Exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return missing
	}
	return nil
}

// projectSkeleton is the template's body, or the default columns without tasks when templateID is empty.
func projectSkeleton(ctx context.Context, tx bun.Tx, orgID, templateID string) (domain.TemplateBody, error) {
	if templateID == "" {
		return domain.TemplateBody{Columns: domain.DefaultColumns}, nil
	}
	missing := domain.Invalid("body.template_id", "does not exist")
	if !validUUID(templateID) {
		return domain.TemplateBody{}, missing
	}
	var row templateRow
	err := tx.NewSelect().Model(&row).Where("organization_id = ? AND id = ?", orgID, templateID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.TemplateBody{}, missing
	} else if err != nil {
		return domain.TemplateBody{}, err
	}
	return row.Body, nil
}

// buildBoard inserts the columns, tasks (numbered 1..n), subtasks and task counter of pt's new project p.
// Task due dates are the project start (or today) plus each task's offset.
func buildBoard(ctx context.Context, pt projectTx, p *domain.Project, body domain.TemplateBody) error {
	tx := pt.Tx
	columnIDs := make([]string, len(body.Columns))
	pos := ""
	for i, c := range body.Columns {
		var err error
		if pos, err = domain.PositionBetween(pos, ""); err != nil {
			return err
		}
		columnIDs[i] = newID()
		if _, err := tx.NewRaw(`INSERT INTO task_board_columns (id, organization_id, project_id, name, color, position, is_done)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, columnIDs[i], p.OrganizationID, p.ID, c.Name, c.Color, pos, c.IsDone).Exec(ctx); err != nil {
			return err
		}
	}
	if _, err := tx.NewRaw("INSERT INTO project_task_counters (organization_id, project_id, last_number) VALUES (?, ?, ?)",
		p.OrganizationID, p.ID, len(body.Tasks)).Exec(ctx); err != nil {
		return err
	}
	start := time.Now().UTC().Truncate(24 * time.Hour)
	if p.StartDate != nil {
		start = *p.StartDate
	}
	lastPos := make([]string, len(body.Columns))
	for i, t := range body.Tasks {
		var err error
		if lastPos[t.Column], err = domain.PositionBetween(lastPos[t.Column], ""); err != nil {
			return err
		}
		if err := insertTemplateTask(ctx, pt, columnIDs[t.Column], body.Columns[t.Column],
			i+1, lastPos[t.Column], start, t); err != nil {
			return err
		}
	}
	return nil
}

// insertTemplateTask adds template task t, with its subtasks, to column col (id columnID) of pt's new
// project, with its task.created (and task.completed in a done column) as if it had been created by hand.
func insertTemplateTask(ctx context.Context, pt projectTx, columnID string, col domain.TemplateColumn,
	number int, pos string, start time.Time, t domain.TemplateTask) error {
	done := col.IsDone
	var due *time.Time
	if t.DueOffsetDays != nil {
		d := start.AddDate(0, 0, *t.DueOffsetDays)
		due = &d
	}
	var completed *time.Time
	if done {
		now := time.Now().UTC()
		completed = &now
	}
	taskID := newID()
	if _, err := pt.NewRaw(`INSERT INTO tasks (id, organization_id, project_id, column_id, number, title, position, priority,
		due_date, estimate_minutes, completed_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		taskID, pt.orgID, pt.projectID, columnID, number, t.Title, pos, t.Priority, due, t.EstimateMinutes,
		completed, nullable(pt.viewer.UserID)).Exec(ctx); err != nil {
		return err
	}
	subPos := ""
	for _, title := range t.Subtasks {
		var err error
		if subPos, err = domain.PositionBetween(subPos, ""); err != nil {
			return err
		}
		if _, err := pt.NewRaw(`INSERT INTO subtasks (id, organization_id, task_id, title, position) VALUES (?, ?, ?, ?, ?)`,
			newID(), pt.orgID, taskID, title, subPos).Exec(ctx); err != nil {
			return err
		}
	}
	task := &domain.Task{ID: taskID, ProjectID: pt.projectID, ColumnID: columnID, Number: number, Title: t.Title,
		Priority: t.Priority, DueDate: due, CompletedAt: completed, AssigneeIDs: []string{}}
	pl := taskPayload(task)
	pl.ColumnTo = col.Name
	actorID := pt.viewer.UserID
	if err := recordEvent(ctx, pt.Tx, pt.orgID, taskEventWith(domain.EventTaskCreated, task, actorID, pl)); err != nil {
		return err
	}
	if completed == nil {
		return nil
	}
	return recordEvent(ctx, pt.Tx, pt.orgID, taskEvent(domain.EventTaskCompleted, task, actorID))
}

// projectEvent is typ with the project's documented payload (domain.ProjectEventPayload); tasks is what a
// template created (project.created) and changed the fields an update changed (project.updated).
func projectEvent(typ string, p *domain.Project, actorID string, tasks int, changed []string) domain.Event {
	return domain.Event{Type: typ, EntityType: "project", EntityID: p.ID, ActorID: actorID, ProjectID: p.ID,
		Payload: domain.EventPayloadMap(domain.ProjectEventPayload{ProjectID: p.ID, Name: p.Name,
			ClientID: domain.OptionalID(p.ClientID), Status: p.Status, StartDate: domain.DateString(p.StartDate),
			DueDate: domain.DateString(p.DueDate), Archived: p.ArchivedAt != nil, Tasks: tasks, Changed: changed})}
}

// Project returns one project of orgID that v may see. Errors: ENOTFOUND (also for another tenant's ID or
// a project v is not on).
func (db *DB) Project(ctx context.Context, orgID string, v domain.Viewer, id string) (*domain.Project, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, projectNotFound)
	}
	var out *domain.Project
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		var err error
		_, out, err = openProject(ctx, tx, orgID, v, id, false)
		return err
	})
	return out, mapError(err, projectNotFound)
}

// Projects lists the projects of orgID that v may see, newest first, one page at a time. The returned
// cursor is empty on the last page. Errors: EINVALID for a malformed cursor.
func (db *DB) Projects(ctx context.Context, orgID string, v domain.Viewer, f domain.ProjectFilter) ([]*domain.Project, string, error) {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var out []*domain.Project
	query, args := projectListSQL(orgID, v, f, after)
	err = db.tenantQuery(ctx, orgID, v.UserID, query, args, func(r pgx.Rows) error {
		for r.Next() {
			p, err := scanProject(r)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = encodeCursor(out[len(out)-1].ID)
	}
	return out, next, nil
}

// rowScanner is what pgx.Rows and *sql.Rows share.
type rowScanner interface{ Scan(dest ...any) error }

func scanProject(r rowScanner) (*domain.Project, error) {
	var row projectRow
	if err := r.Scan(&row.ID, &row.OrganizationID, &row.ClientID, &row.Name, &row.Description, &row.Status,
		&row.StartDate, &row.DueDate, &row.BudgetAmount, &row.BudgetCurrency, &row.BudgetMinutes, &row.HourlyRate,
		&row.PortalShared, &row.PortalComments, &row.ArchivedAt, &row.CreatedAt, &row.UpdatedAt); err != nil {
		return nil, err
	}
	return row.domain(), nil
}

// projectVisiblePgSQL is projectVisibleSQL with $n placeholders for the hot-path list queries.
const projectVisiblePgSQL = ` AND ($%d OR EXISTS (SELECT 1 FROM project_members pm
	WHERE pm.organization_id = p.organization_id AND pm.project_id = p.id AND pm.user_id = $%d))`

// projectListSQL builds the list query with $n placeholders; only the filters in use appear.
func projectListSQL(orgID string, v domain.Viewer, f domain.ProjectFilter, after string) (string, []any) {
	var b strings.Builder
	args := []any{orgID, v.SeesAllProjects(), nullable(v.UserID)}
	b.WriteString("SELECT " + projectColumns + " FROM projects p WHERE p.organization_id = $1")
	fmt.Fprintf(&b, projectVisiblePgSQL, 2, 3)
	add := func(cond string, v any) {
		args = append(args, v)
		fmt.Fprintf(&b, cond, len(args))
	}
	if f.Archived {
		b.WriteString(" AND p.archived_at IS NOT NULL")
	} else {
		b.WriteString(" AND p.archived_at IS NULL")
	}
	if f.Status != "" {
		add(" AND p.status = $%d", f.Status)
	}
	if f.ClientID != "" {
		add(" AND p.client_id = $%d", f.ClientID)
	}
	if after != "" {
		add(" AND p.id < $%d", after)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		add(" AND lower(p.name) LIKE $%d", "%"+escapeLike(strings.ToLower(s))+"%")
	}
	add(" ORDER BY p.id DESC LIMIT $%d", f.Limit+1)
	return b.String(), args
}

// UpdateProject applies upd to a project v may see, validates and saves it, writing project.updated with
// the changed fields, all in one transaction. Errors: ENOTFOUND, EINVALID.
func (db *DB) UpdateProject(ctx context.Context, orgID string, v domain.Viewer, id string, upd domain.ProjectUpdate) (*domain.Project, error) {
	return db.changeProject(ctx, orgID, v, id, func(ctx context.Context, tx bun.Tx, p *domain.Project) ([]string, error) {
		changed := upd.Apply(p)
		p.Normalize()
		if err := p.Validate(); err != nil {
			return nil, err
		}
		if upd.ClientID != nil {
			return changed, checkClientExists(ctx, tx, orgID, p.ClientID)
		}
		return changed, nil
	})
}

// SetProjectArchived archives or restores a project v may see. Errors: ENOTFOUND.
func (db *DB) SetProjectArchived(ctx context.Context, orgID string, v domain.Viewer, id string, archived bool) (*domain.Project, error) {
	return db.changeProject(ctx, orgID, v, id, func(_ context.Context, _ bun.Tx, p *domain.Project) ([]string, error) {
		if (p.ArchivedAt != nil) == archived {
			return nil, nil
		}
		p.ArchivedAt = nil
		if archived {
			now := time.Now().UTC().Truncate(time.Microsecond)
			p.ArchivedAt = &now
		}
		return []string{"archived"}, nil
	})
}

// changeProject loads and locks a visible project, lets change modify it and report the changed fields,
// and saves it with a project.updated event when anything changed.
func (db *DB) changeProject(ctx context.Context, orgID string, v domain.Viewer, id string,
	change func(context.Context, bun.Tx, *domain.Project) ([]string, error)) (*domain.Project, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, projectNotFound)
	}
	var out *domain.Project
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		_, p, err := openProject(ctx, tx, orgID, v, id, true)
		if err != nil {
			return err
		}
		changed, err := change(ctx, tx, p)
		if err != nil || len(changed) == 0 {
			out = p
			return err
		}
		p.UpdatedAt = time.Now().UTC().Truncate(time.Microsecond)
		row := projectRowFrom(p)
		if _, err := tx.NewUpdate().Model(&row).
			Column("client_id", "name", "description", "status", "start_date", "due_date", "budget_amount",
				"budget_currency", "budget_minutes", "hourly_rate", "portal_shared", "portal_comments", "archived_at", "updated_at").
			Where("organization_id = ? AND id = ?", orgID, id).Exec(ctx); err != nil {
			return err
		}
		out = p
		return recordEvent(ctx, tx, orgID, projectEvent(domain.EventProjectUpdated, p, v.UserID, 0, changed))
	})
	return out, mapError(err, projectNotFound)
}

// DeleteProject removes a project v may see with everything in it, writing project.deleted.
// Errors: ENOTFOUND.
func (db *DB) DeleteProject(ctx context.Context, orgID string, v domain.Viewer, id string) error {
	if !validUUID(id) {
		return domain.Errorf(domain.ENOTFOUND, projectNotFound)
	}
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		if _, err := enterProject(ctx, tx, orgID, v, id); err != nil {
			return err
		}
		// The deleted row itself gives project.deleted its payload (what the project was).
		var row projectRow
		if err := tx.NewRaw(`DELETE FROM projects WHERE organization_id = ? AND id = ?
			RETURNING id, organization_id, client_id, name, status, start_date, due_date, archived_at`, orgID, id).
			Scan(ctx, &row); err != nil {
			return err
		}
		return recordEvent(ctx, tx, orgID, projectEvent(domain.EventProjectDeleted, row.domain(), v.UserID, 0, nil))
	})
	return mapError(err, projectNotFound)
}
