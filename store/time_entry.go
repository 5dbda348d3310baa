package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// timeEntryRow is the time_entries table; the label fields are joined in by timeEntrySelect.
type timeEntryRow struct {
	bun.BaseModel `bun:"table:time_entries"`

	ID             string     `bun:"id,pk"`
	OrganizationID string     `bun:"organization_id"`
	ProjectID      string     `bun:"project_id"`
	TaskID         *string    `bun:"task_id"`
	UserID         string     `bun:"user_id"`
	StartedAt      time.Time  `bun:"started_at"`
	EndedAt        *time.Time `bun:"ended_at"`
	Minutes        *int       `bun:"minutes"`
	Note           string     `bun:"note"`
	Billable       bool       `bun:"billable"`
	BilledAt       *time.Time `bun:"billed_at"`
	CreatedAt      time.Time  `bun:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at"`
	ProjectName    string     `bun:"project_name,scanonly"`
	TaskTitle      string     `bun:"task_title,scanonly"`
	UserName       string     `bun:"user_name,scanonly"`
}

func (r *timeEntryRow) domain() *domain.TimeEntry {
	e := &domain.TimeEntry{ID: r.ID, OrganizationID: r.OrganizationID, ProjectID: r.ProjectID, UserID: r.UserID,
		StartedAt: r.StartedAt, EndedAt: r.EndedAt, Minutes: r.Minutes, Note: r.Note, Billable: r.Billable,
		BilledAt: r.BilledAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		ProjectName: r.ProjectName, TaskTitle: r.TaskTitle, UserName: r.UserName}
	if r.TaskID != nil {
		e.TaskID = *r.TaskID
	}
	return e
}

func timeEntryRowFrom(e *domain.TimeEntry) timeEntryRow {
	return timeEntryRow{ID: e.ID, OrganizationID: e.OrganizationID, ProjectID: e.ProjectID, TaskID: nullable(e.TaskID),
		UserID: e.UserID, StartedAt: e.StartedAt, EndedAt: e.EndedAt, Minutes: e.Minutes, Note: e.Note,
		Billable: e.Billable, BilledAt: e.BilledAt, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
}

// timeEntryBase reads an organization's entries with their labels.
const timeEntryBase = `SELECT te.id, te.organization_id, te.project_id, te.task_id, te.user_id, te.started_at,
	te.ended_at, te.minutes, te.note, te.billable, te.billed_at, te.created_at, te.updated_at,
	p.name AS project_name, coalesce(t.title, '') AS task_title, u.name AS user_name
	FROM time_entries te
	JOIN projects p ON p.organization_id = te.organization_id AND p.id = te.project_id
	LEFT JOIN tasks t ON t.organization_id = te.organization_id AND t.id = te.task_id
	JOIN users u ON u.id = te.user_id
	WHERE te.organization_id = ?`

// timeEntrySelect reads the entries a viewer may see. Bind visibleEntryArgs after the org ID.
const timeEntrySelect = timeEntryBase + " AND " + visibleEntrySQL

// visibleEntrySQL is who reads which entries: the project must be visible to the viewer, and members see
// only their own time while owners, admins and managers see everyone's. Bind with visibleEntryArgs.
const visibleEntrySQL = projectVisibleSQL + ` AND (? OR te.user_id = ?)`

func visibleEntryArgs(v domain.Viewer) []any {
	return []any{v.SeesAllProjects(), v.UserID, v.SeesAllProjects(), v.UserID}
}

const timeEntryNotFound = "Time entry not found."

// timeEntryColumns are the columns an edit writes.
var timeEntryColumns = []string{"project_id", "task_id", "started_at", "ended_at", "minutes", "note", "billable", "updated_at"}

// now is the store's clock for entries: UTC, at the database's microsecond precision.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// loadTimeEntry reads one entry v may see, optionally locking it. Errors: ENOTFOUND.
func loadTimeEntry(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, id string, lock bool) (*domain.TimeEntry, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, timeEntryNotFound)
	}
	query := timeEntrySelect + " AND te.id = ?"
	if lock {
		query += " FOR UPDATE OF te"
	}
	var row timeEntryRow
	args := append([]any{orgID}, visibleEntryArgs(v)...)
	if err := tx.NewRaw(query, append(args, id)...).Scan(ctx, &row); err != nil {
		return nil, mapError(err, timeEntryNotFound)
	}
	return row.domain(), nil
}

// checkTaskInProject answers EINVALID unless taskID is a task of p's project ("" means no task).
func checkTaskInProject(ctx context.Context, p projectTx, taskID string) error {
	if taskID == "" {
		return nil
	}
	bad := domain.Invalid("body.task_id", "must be a task of the project")
	if !validUUID(taskID) {
		return bad
	}
	ok, err := p.NewSelect().TableExpr("tasks").
		Where("organization_id = ? AND id = ? AND project_id = ?", p.orgID, taskID, p.projectID).Exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return bad
	}
	return nil
}

// insertTimeEntry writes e (ID and timestamps filled here) and its created event.
func insertTimeEntry(ctx context.Context, tx bun.Tx, orgID string, e *domain.TimeEntry) error {
	t := now()
	e.ID, e.OrganizationID, e.CreatedAt, e.UpdatedAt = newID(), orgID, t, t
	row := timeEntryRowFrom(e)
	if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
		return err
	}
	return recordEvent(ctx, tx, orgID, timeEntryEvent(domain.EventTimeEntryCreated, e, e.UserID))
}

// saveTimeEntry writes an edited e and its updated event on behalf of actorID; stopped marks the event of a
// timer being stopped (the feed says "logged", not "edited").
func saveTimeEntry(ctx context.Context, tx bun.Tx, orgID, actorID string, e *domain.TimeEntry, stopped bool) error {
	e.UpdatedAt = now()
	row := timeEntryRowFrom(e)
	if _, err := tx.NewUpdate().Model(&row).Column(timeEntryColumns...).
		Where("organization_id = ? AND id = ?", orgID, e.ID).Exec(ctx); err != nil {
		return err
	}
	ev := timeEntryEvent(domain.EventTimeEntryUpdated, e, actorID)
	if stopped {
		ev.Payload["stopped"] = true
	}
	return recordEvent(ctx, tx, orgID, ev)
}

// timeEntryEvent carries what the activity feed says of an entry: whose, how long (null while running) and
// on which task.
func timeEntryEvent(typ string, e *domain.TimeEntry, actorID string) domain.Event {
	payload := map[string]any{"user_id": e.UserID, "minutes": e.Minutes, "billable": e.Billable, "running": e.Running()}
	if e.TaskID != "" {
		payload["task_id"] = e.TaskID
	}
	return domain.Event{Type: typ, EntityType: "time_entry", EntityID: e.ID, ActorID: actorID, ProjectID: e.ProjectID,
		Payload: payload}
}

// CreateTimeEntry logs time by hand for v in a project v can see. Errors: ENOTFOUND (project), EINVALID.
func (db *DB) CreateTimeEntry(ctx context.Context, orgID string, v domain.Viewer, in domain.ManualEntryInput) (*domain.TimeEntry, error) {
	e, err := in.Entry(now(), v.UserID)
	if err != nil {
		return nil, err
	}
	err = db.inProject(ctx, orgID, v, e.ProjectID, func(ctx context.Context, p projectTx) error {
		if err := checkTaskInProject(ctx, p, e.TaskID); err != nil {
			return err
		}
		if err := insertTimeEntry(ctx, p.Tx, orgID, e); err != nil {
			return err
		}
		e, err = loadTimeEntry(ctx, p.Tx, orgID, v, e.ID, false)
		return err
	})
	if err != nil {
		return nil, mapError(err, timeEntryNotFound)
	}
	return e, nil
}

// UpdateTimeEntry edits an entry: v's own, or anyone's when v is a manager or above. Moving it to another
// project drops a task the edit does not name. Errors: ENOTFOUND, EINVALID, ECONFLICT (billed entry).
func (db *DB) UpdateTimeEntry(ctx context.Context, orgID string, v domain.Viewer, id string, u domain.TimeEntryUpdate) (*domain.TimeEntry, error) {
	if err := domain.ValidateLogged(now(), u.Minutes, u.StartedAt, u.Note); err != nil {
		return nil, err
	}
	var out *domain.TimeEntry
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		p, e, err := editableTimeEntry(ctx, tx, orgID, v, id)
		if err != nil {
			return err
		}
		if e.Running() && u.Minutes != nil {
			return domain.Invalid("body.minutes", "cannot be set while the timer runs; stop it first")
		}
		if u.ProjectID != nil && *u.ProjectID != e.ProjectID {
			if p, err = enterProject(ctx, tx, orgID, v, *u.ProjectID); err != nil {
				return err
			}
			if u.TaskID == nil {
				u.TaskID = new(string)
			}
		}
		u.Apply(e)
		if err := checkTaskInProject(ctx, p, e.TaskID); err != nil {
			return err
		}
		if err := saveTimeEntry(ctx, tx, orgID, v.UserID, e, false); err != nil {
			return err
		}
		out, err = loadTimeEntry(ctx, tx, orgID, v, id, false)
		return err
	})
	return out, mapError(err, timeEntryNotFound)
}

// editableTimeEntry locks an entry v may change and returns it with its project's handle. Entries of
// others answer ENOTFOUND to members (they cannot read them either); billed entries are frozen because an
// invoice already shows them.
func editableTimeEntry(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, id string) (projectTx, *domain.TimeEntry, error) {
	p, e, err := enterTimeEntry(ctx, tx, orgID, v, id)
	if err != nil {
		return projectTx{}, nil, err
	}
	if !v.CanEdit(e) {
		return projectTx{}, nil, domain.Errorf(domain.ENOTFOUND, timeEntryNotFound)
	}
	if e.BilledAt != nil {
		return projectTx{}, nil, domain.Errorf(domain.ECONFLICT, "This time entry is on an invoice and can no longer change.")
	}
	return p, e, nil
}

// DeleteTimeEntry removes an entry v may change. Errors: ENOTFOUND, ECONFLICT (billed entry).
func (db *DB) DeleteTimeEntry(ctx context.Context, orgID string, v domain.Viewer, id string) error {
	return db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		_, e, err := editableTimeEntry(ctx, tx, orgID, v, id)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().TableExpr("time_entries").
			Where("organization_id = ? AND id = ?", orgID, id).Exec(ctx); err != nil {
			return err
		}
		return recordEvent(ctx, tx, orgID, timeEntryEvent(domain.EventTimeEntryDeleted, e, v.UserID))
	})
}

// TimeEntries lists the entries v may see, latest start first, one page at a time. The returned cursor is
// empty on the last page. Errors: EINVALID for a malformed cursor.
func (db *DB) TimeEntries(ctx context.Context, orgID string, v domain.Viewer, f domain.TimeEntryFilter) ([]*domain.TimeEntry, string, error) {
	afterStart, afterID, err := decodeTimeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var b strings.Builder
	b.WriteString(timeEntrySelect)
	args := append([]any{orgID}, visibleEntryArgs(v)...)
	add := func(cond string, vals ...any) { b.WriteString(" AND " + cond); args = append(args, vals...) }
	if f.ProjectID != "" {
		add("te.project_id = ?", f.ProjectID)
	}
	if f.TaskID != "" {
		add("te.task_id = ?", f.TaskID)
	}
	if f.UserID != "" {
		add("te.user_id = ?", f.UserID)
	}
	addRange(add, f.From, f.To)
	if f.Billable != nil {
		add("te.billable = ?", *f.Billable)
	}
	if afterID != "" {
		add("(te.started_at, te.id) < (?, ?)", afterStart, afterID)
	}
	b.WriteString(" ORDER BY te.started_at DESC, te.id DESC LIMIT ?")
	args = append(args, f.Limit+1)
	var rows []timeEntryRow
	err = db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(b.String(), args...).Scan(ctx, &rows)
	})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, "", err
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		last := rows[len(rows)-1]
		next = encodeTimeCursor(last.StartedAt, last.ID)
	}
	out := make([]*domain.TimeEntry, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, next, nil
}

// addRange limits entries to those started on the inclusive UTC days from..to.
func addRange(add func(string, ...any), from, to *time.Time) {
	if from != nil {
		add("te.started_at >= ?", from.UTC().Truncate(24*time.Hour))
	}
	if to != nil {
		add("te.started_at < ?", to.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1))
	}
}

func encodeTimeCursor(start time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(start.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodeTimeCursor(c string) (time.Time, string, error) {
	if c == "" {
		return time.Time{}, "", nil
	}
	bad := domain.Invalid("query.cursor", "is not a valid cursor")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", bad
	}
	start, id, ok := strings.Cut(string(raw), "|")
	t, err := time.Parse(time.RFC3339Nano, start)
	// A forged time outside the accepted years would only make Postgres refuse the query.
	if !ok || err != nil || !validUUID(id) || t.Year() < domain.MinYear || t.Year() > domain.MaxYear {
		return time.Time{}, "", bad
	}
	return t, id, nil
}
