package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Template is a reusable project skeleton.
type Template struct {
	ID          string       `json:"id" format:"uuid"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Body        TemplateBody `json:"body"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// TemplateBody is the columns and tasks a template creates.
type TemplateBody struct {
	Columns []TemplateColumn `json:"columns" maxItems:"20"`
	Tasks   []TemplateTask   `json:"tasks,omitempty" maxItems:"500"`
}

// TemplateColumn is one board column of a template.
type TemplateColumn struct {
	Name   string `json:"name" maxLength:"60"`
	Color  string `json:"color,omitempty" maxLength:"7" doc:"#rrggbb; grey when empty."`
	IsDone bool   `json:"is_done,omitempty" doc:"Tasks in this column count as completed."`
}

// TemplateTask is one task of a template.
type TemplateTask struct {
	Title           string   `json:"title" maxLength:"300"`
	Column          int      `json:"column" minimum:"0" maximum:"19" doc:"Index into columns."`
	Priority        string   `json:"priority,omitempty" maxLength:"10" doc:"low, medium (default), high or urgent."`
	EstimateMinutes *int     `json:"estimate_minutes,omitempty" minimum:"0" maximum:"1000000"`
	DueOffsetDays   *int     `json:"due_offset_days,omitempty" minimum:"-3650" maximum:"3650" doc:"Days after the project start date."`
	Subtasks        []string `json:"subtasks,omitempty" maxItems:"50"`
}

// TemplateList is every template of an organization.
type TemplateList struct {
	Data []Template `json:"data"`
}

// TemplateCreate creates a template.
type TemplateCreate struct {
	Name        string       `json:"name" maxLength:"200"`
	Description string       `json:"description,omitempty" maxLength:"10000"`
	Body        TemplateBody `json:"body"`
}

// TemplateUpdate changes the fields it carries; body replaces the whole skeleton.
type TemplateUpdate struct {
	Name        *string       `json:"name,omitempty" maxLength:"200"`
	Description *string       `json:"description,omitempty" maxLength:"10000"`
	Body        *TemplateBody `json:"body,omitempty"`
}

// SaveAsTemplate names the template a project is captured as.
type SaveAsTemplate struct {
	Name string `json:"name" maxLength:"200"`
}

// TemplatePath addresses one template of an organization.
type TemplatePath struct {
	OrgID      string `path:"org_id" format:"uuid" doc:"Organization ID."`
	TemplateID string `path:"template_id" format:"uuid" doc:"Template ID."`
}

type templateOutput struct{ Body Template }

func templateFrom(t *domain.Template) Template {
	out := Template{ID: t.ID, Name: t.Name, Description: t.Description, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		Body: TemplateBody{Columns: make([]TemplateColumn, len(t.Body.Columns)), Tasks: make([]TemplateTask, len(t.Body.Tasks))}}
	for i, c := range t.Body.Columns {
		out.Body.Columns[i] = TemplateColumn(c)
	}
	for i, task := range t.Body.Tasks {
		out.Body.Tasks[i] = TemplateTask(task)
	}
	return out
}

func (b TemplateBody) domain() domain.TemplateBody {
	out := domain.TemplateBody{Columns: make([]domain.TemplateColumn, len(b.Columns)), Tasks: make([]domain.TemplateTask, len(b.Tasks))}
	for i, c := range b.Columns {
		out.Columns[i] = domain.TemplateColumn(c)
	}
	for i, t := range b.Tasks {
		out.Tasks[i] = domain.TemplateTask(t)
	}
	return out
}

func (s *Server) registerTemplates() {
	tags := []string{"Templates"}
	base := "/api/v1/orgs/{org_id}/templates"
	one := base + "/{template_id}"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	write := append(errs, http.StatusUnprocessableEntity)
	huma.Register(s.api, huma.Operation{OperationID: "list-templates", Method: http.MethodGet, Path: base, Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsRead), Summary: "List project templates", Errors: errs}, s.listTemplates)
	huma.Register(s.api, huma.Operation{OperationID: "create-template", Method: http.MethodPost, Path: base, Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsWrite), Summary: "Create a project template",
		DefaultStatus: http.StatusCreated, Errors: write}, s.createTemplate)
	huma.Register(s.api, huma.Operation{OperationID: "get-template", Method: http.MethodGet, Path: one, Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsRead), Summary: "Get a project template", Errors: errs}, s.getTemplate)
	huma.Register(s.api, huma.Operation{OperationID: "update-template", Method: http.MethodPatch, Path: one, Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsWrite), Summary: "Update a project template", Errors: write}, s.updateTemplate)
	huma.Register(s.api, huma.Operation{OperationID: "delete-template", Method: http.MethodDelete, Path: one, Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsWrite), Summary: "Delete a project template",
		DefaultStatus: http.StatusNoContent, Errors: errs}, s.deleteTemplate)
	huma.Register(s.api, huma.Operation{OperationID: "save-project-as-template", Method: http.MethodPost,
		Path: "/api/v1/orgs/{org_id}/projects/{project_id}/save-as-template", Tags: tags, Security: security,
		Extensions: requires(domain.PermProjectsWrite), Summary: "Save a project's columns and tasks as a template",
		Description:   "Task due dates are kept as offsets from the project start date.",
		DefaultStatus: http.StatusCreated, Errors: write}, s.saveProjectAsTemplate)
}

func (s *Server) listTemplates(ctx context.Context, in *OrgPath) (*struct{ Body TemplateList }, error) {
	ts, err := s.db.Templates(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := TemplateList{Data: make([]Template, len(ts))}
	for i, t := range ts {
		out.Data[i] = templateFrom(t)
	}
	return &struct{ Body TemplateList }{Body: out}, nil
}

func (s *Server) createTemplate(ctx context.Context, in *struct {
	OrgPath
	Body TemplateCreate
}) (*templateOutput, error) {
	t := &domain.Template{Name: in.Body.Name, Description: in.Body.Description, Body: in.Body.Body.domain()}
	if err := s.db.CreateTemplate(ctx, in.OrgID, principalFrom(ctx).User.ID, t); err != nil {
		return nil, problem(ctx, err)
	}
	return &templateOutput{Body: templateFrom(t)}, nil
}

func (s *Server) getTemplate(ctx context.Context, in *TemplatePath) (*templateOutput, error) {
	t, err := s.db.Template(ctx, in.OrgID, in.TemplateID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &templateOutput{Body: templateFrom(t)}, nil
}

func (s *Server) updateTemplate(ctx context.Context, in *struct {
	TemplatePath
	Body TemplateUpdate
}) (*templateOutput, error) {
	b := in.Body
	t, err := s.db.UpdateTemplate(ctx, in.OrgID, principalFrom(ctx).User.ID, in.TemplateID, func(t *domain.Template) {
		if b.Name != nil {
			t.Name = *b.Name
		}
		if b.Description != nil {
			t.Description = *b.Description
		}
		if b.Body != nil {
			t.Body = b.Body.domain()
		}
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &templateOutput{Body: templateFrom(t)}, nil
}

func (s *Server) deleteTemplate(ctx context.Context, in *TemplatePath) (*struct{}, error) {
	if err := s.db.DeleteTemplate(ctx, in.OrgID, principalFrom(ctx).User.ID, in.TemplateID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}

func (s *Server) saveProjectAsTemplate(ctx context.Context, in *struct {
	ProjectPath
	Body SaveAsTemplate
}) (*templateOutput, error) {
	t, err := s.db.SaveProjectAsTemplate(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.Body.Name)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &templateOutput{Body: templateFrom(t)}, nil
}
