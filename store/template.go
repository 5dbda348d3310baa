package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// templateRow is the project_templates table.
type templateRow struct {
	bun.BaseModel `bun:"table:project_templates"`

	ID             string              `bun:"id,pk"`
	OrganizationID string              `bun:"organization_id"`
	Name           string              `bun:"name"`
	Description    string              `bun:"description"`
	Body           domain.TemplateBody `bun:"body,type:jsonb"`
	CreatedBy      *string             `bun:"created_by"`
	CreatedAt      time.Time           `bun:"created_at"`
	UpdatedAt      time.Time           `bun:"updated_at"`
}

func (r *templateRow) domain() *domain.Template {
	return &domain.Template{ID: r.ID, OrganizationID: r.OrganizationID, Name: r.Name, Description: r.Description,
		Body: r.Body, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

const templateNotFound = "Template not found."

// CreateTemplate validates and inserts t into orgID on behalf of actorID. Errors: EINVALID.
func (db *DB) CreateTemplate(ctx context.Context, orgID, actorID string, t *domain.Template) error {
	t.Normalize()
	if err := t.Validate(); err != nil {
		return err
	}
	err := db.inTenant(ctx, orgID, actorID, func(ctx context.Context, tx bun.Tx) error {
		return insertTemplate(ctx, tx, orgID, actorID, t)
	})
	return mapError(err, templateNotFound)
}

func insertTemplate(ctx context.Context, tx bun.Tx, orgID, actorID string, t *domain.Template) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	t.ID, t.OrganizationID, t.CreatedAt, t.UpdatedAt = newID(), orgID, now, now
	row := templateRow{ID: t.ID, OrganizationID: orgID, Name: t.Name, Description: t.Description, Body: t.Body,
		CreatedBy: nullable(actorID), CreatedAt: now, UpdatedAt: now}
	if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
		return err
	}
	return recordEvent(ctx, tx, orgID, templateEvent(domain.EventTemplateCreated, t, actorID))
}

func templateEvent(typ string, t *domain.Template, actorID string) domain.Event {
	return domain.Event{Type: typ, EntityType: "template", EntityID: t.ID, ActorID: actorID,
		Payload: map[string]any{"name": t.Name}}
}

// Template returns one template of orgID. Errors: ENOTFOUND (also for another tenant's ID).
func (db *DB) Template(ctx context.Context, orgID, id string) (*domain.Template, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, templateNotFound)
	}
	var row templateRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&row).Where("organization_id = ? AND id = ?", orgID, id).Scan(ctx)
	})
	if err != nil {
		return nil, mapError(err, templateNotFound)
	}
	return row.domain(), nil
}

// Templates lists orgID's templates by name (an organization keeps a handful, so there is no paging).
func (db *DB) Templates(ctx context.Context, orgID string) ([]*domain.Template, error) {
	var rows []templateRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&rows).Where("organization_id = ?", orgID).OrderExpr("name, id").Limit(500).Scan(ctx)
	})
	if err != nil {
		return nil, err
	}
	out := make([]*domain.Template, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// UpdateTemplate loads a template, lets change modify it, validates and saves it in one transaction.
// Errors: ENOTFOUND, EINVALID.
func (db *DB) UpdateTemplate(ctx context.Context, orgID, actorID, id string, change func(*domain.Template)) (*domain.Template, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, templateNotFound)
	}
	var out *domain.Template
	err := db.inTenant(ctx, orgID, actorID, func(ctx context.Context, tx bun.Tx) error {
		var row templateRow
		if err := tx.NewSelect().Model(&row).Where("organization_id = ? AND id = ?", orgID, id).For("UPDATE").Scan(ctx); err != nil {
			return err
		}
		t := row.domain()
		change(t)
		t.Normalize()
		if err := t.Validate(); err != nil {
			return err
		}
		t.UpdatedAt = time.Now().UTC().Truncate(time.Microsecond)
		row.Name, row.Description, row.Body, row.UpdatedAt = t.Name, t.Description, t.Body, t.UpdatedAt
		if _, err := tx.NewUpdate().Model(&row).Column("name", "description", "body", "updated_at").
			Where("organization_id = ? AND id = ?", orgID, id).Exec(ctx); err != nil {
			return err
		}
		out = t
		return recordEvent(ctx, tx, orgID, templateEvent(domain.EventTemplateUpdated, t, actorID))
	})
	return out, mapError(err, templateNotFound)
}

// DeleteTemplate removes a template; projects made from it keep their columns and tasks. Errors: ENOTFOUND.
func (db *DB) DeleteTemplate(ctx context.Context, orgID, actorID, id string) error {
	if !validUUID(id) {
		return domain.Errorf(domain.ENOTFOUND, templateNotFound)
	}
	err := db.inTenant(ctx, orgID, actorID, func(ctx context.Context, tx bun.Tx) error {
		var name string
		if err := tx.NewRaw("DELETE FROM project_templates WHERE organization_id = ? AND id = ? RETURNING name", orgID, id).
			Scan(ctx, &name); err != nil {
			return err
		}
		return recordEvent(ctx, tx, orgID, templateEvent(domain.EventTemplateDeleted, &domain.Template{ID: id, Name: name}, actorID))
	})
	return mapError(err, templateNotFound)
}

// SaveProjectAsTemplate captures the columns and tasks of a project v may see as a new template named
// name. Task due dates become offsets from the project start (or its creation day). Errors: ENOTFOUND,
// EINVALID.
func (db *DB) SaveProjectAsTemplate(ctx context.Context, orgID string, v domain.Viewer, projectID, name string) (*domain.Template, error) {
	if !validUUID(projectID) {
		return nil, domain.Errorf(domain.ENOTFOUND, projectNotFound)
	}
	var out *domain.Template
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		pt, p, err := openProject(ctx, tx, orgID, v, projectID, false)
		if err != nil {
			return err
		}
		body, err := captureBoard(ctx, pt, p)
		if err != nil {
			return err
		}
		t := &domain.Template{Name: name, Description: p.Description, Body: body}
		t.Normalize()
		if err := t.Validate(); err != nil {
			return err
		}
		out = t
		return insertTemplate(ctx, tx, orgID, v.UserID, t)
	})
	if err != nil {
		return nil, mapError(err, projectNotFound)
	}
	return out, nil
}

// captureBoard reads the columns, tasks and subtasks of pt's project p (three queries) as a template body.
func captureBoard(ctx context.Context, pt projectTx, p *domain.Project) (domain.TemplateBody, error) {
	var cols []struct {
		ID, Name, Color string
		IsDone          bool
	}
	if err := pt.NewRaw(`SELECT id, name, color, is_done FROM task_board_columns
		WHERE organization_id = ? AND project_id = ? ORDER BY position`, pt.orgID, pt.projectID).Scan(ctx, &cols); err != nil {
		return domain.TemplateBody{}, err
	}
	body := domain.TemplateBody{Columns: make([]domain.TemplateColumn, len(cols)), Tasks: []domain.TemplateTask{}}
	index := map[string]int{}
	for i, c := range cols {
		body.Columns[i] = domain.TemplateColumn{Name: c.Name, Color: c.Color, IsDone: c.IsDone}
		index[c.ID] = i
	}
	var tasks []struct {
		ID, ColumnID, Title, Priority string
		EstimateMinutes               *int
		DueDate                       *time.Time
	}
	if err := pt.NewRaw(`SELECT t.id, t.column_id, t.title, t.priority, t.estimate_minutes, t.due_date FROM tasks t
		JOIN task_board_columns c ON c.organization_id = t.organization_id AND c.id = t.column_id
		WHERE t.organization_id = ? AND t.project_id = ? ORDER BY c.position, t.position`,
		pt.orgID, pt.projectID).Scan(ctx, &tasks); err != nil {
		return domain.TemplateBody{}, err
	}
	subtasks, err := subtaskTitles(ctx, pt)
	if err != nil {
		return domain.TemplateBody{}, err
	}
	start := p.CreatedAt.UTC().Truncate(24 * time.Hour)
	if p.StartDate != nil {
		start = *p.StartDate
	}
	for _, t := range tasks {
		tt := domain.TemplateTask{Title: t.Title, Column: index[t.ColumnID], Priority: t.Priority,
			EstimateMinutes: t.EstimateMinutes, Subtasks: subtasks[t.ID]}
		if due := utcDate(t.DueDate); due != nil {
			days := int(due.Sub(start).Hours() / 24)
			tt.DueOffsetDays = &days
		}
		body.Tasks = append(body.Tasks, tt)
	}
	return body, nil
}

// subtaskTitles maps each task of p's project to its subtask titles in order.
func subtaskTitles(ctx context.Context, p projectTx) (map[string][]string, error) {
	var rows []struct{ TaskID, Title string }
	if err := p.NewRaw(`SELECT s.task_id, s.title FROM subtasks s
		JOIN tasks t ON t.organization_id = s.organization_id AND t.id = s.task_id
		WHERE s.organization_id = ? AND t.project_id = ? ORDER BY s.task_id, s.position`,
		p.orgID, p.projectID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.TaskID] = append(out[r.TaskID], r.Title)
	}
	return out, nil
}
