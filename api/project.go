package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Project is a piece of work for a client, with its board, members and budget.
type Project struct {
	ID             string         `json:"id" format:"uuid"`
	ClientID       *string        `json:"client_id" format:"uuid" nullable:"true"`
	Name           string         `json:"name"`
	Description    string         `json:"description"`
	Status         string         `json:"status" enum:"planning,active,on_hold,completed,cancelled"`
	StartDate      *string        `json:"start_date" format:"date" nullable:"true"`
	DueDate        *string        `json:"due_date" format:"date" nullable:"true"`
	Budget         *ProjectBudget `json:"budget,omitempty" doc:"The money budget; absent when there is none."`
	BudgetMinutes  *int           `json:"budget_minutes" nullable:"true" doc:"Budgeted time in minutes."`
	HourlyRate     *int64         `json:"hourly_rate" nullable:"true" doc:"Minor units of the budget or organization currency per hour."`
	PortalShared   bool           `json:"portal_shared" doc:"Shown in its client's portal."`
	PortalComments bool           `json:"portal_comments" doc:"The client's contacts may comment on its tasks in the portal."`
	Archived       bool           `json:"archived"`
	ArchivedAt     *time.Time     `json:"archived_at" nullable:"true"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

// ProjectBudget is a money budget in minor units of an ISO 4217 currency; both members go together.
type ProjectBudget struct {
	Amount   *int64 `json:"amount,omitempty" minimum:"0" maximum:"1000000000000000" doc:"Minor units, e.g. cents."`
	Currency string `json:"currency,omitempty" maxLength:"3" doc:"ISO 4217 code, e.g. EUR."`
}

func projectFrom(p *domain.Project) Project {
	out := Project{ID: p.ID, Name: p.Name, Description: p.Description, Status: p.Status,
		StartDate: dateString(p.StartDate), DueDate: dateString(p.DueDate), BudgetMinutes: p.BudgetMinutes,
		HourlyRate: p.HourlyRate, PortalShared: !p.PortalHidden, PortalComments: !p.PortalCommentsOff,
		Archived: p.ArchivedAt != nil, ArchivedAt: p.ArchivedAt,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if p.ClientID != "" {
		out.ClientID = &p.ClientID
	}
	if p.BudgetAmount != nil {
		out.Budget = &ProjectBudget{Amount: p.BudgetAmount, Currency: p.BudgetCurrency}
	}
	return out
}

// ProjectList is one page of projects.
type ProjectList struct {
	Data       []Project `json:"data"`
	NextCursor *string   `json:"next_cursor" doc:"Pass as cursor for the next page; null on the last page."`
}

// ProjectCreate creates a project. Only name is required; template_id builds its board from a template.
type ProjectCreate struct {
	Name           string         `json:"name" minLength:"1" maxLength:"200"`
	ClientID       string         `json:"client_id,omitempty" maxLength:"36"`
	Description    string         `json:"description,omitempty" maxLength:"10000"`
	Status         string         `json:"status,omitempty" maxLength:"20" doc:"planning (default), active, on_hold, completed or cancelled."`
	StartDate      string         `json:"start_date,omitempty" maxLength:"10" doc:"YYYY-MM-DD."`
	DueDate        string         `json:"due_date,omitempty" maxLength:"10" doc:"YYYY-MM-DD, not before start_date."`
	Budget         *ProjectBudget `json:"budget,omitempty"`
	BudgetMinutes  *int           `json:"budget_minutes,omitempty" minimum:"0" maximum:"2147483647"`
	HourlyRate     *int64         `json:"hourly_rate,omitempty" minimum:"0" maximum:"1000000000000"`
	TemplateID     string         `json:"template_id,omitempty" maxLength:"36" doc:"Build columns and tasks from this template."`
	PortalShared   *bool          `json:"portal_shared,omitempty" doc:"Show in the client's portal (default true)."`
	PortalComments *bool          `json:"portal_comments,omitempty" doc:"Let the client's contacts comment on its tasks (default true)."`
}

// ProjectUpdate changes the fields it carries. An empty client_id, start_date or due_date clears it; a
// budget without amount and currency clears the money budget.
type ProjectUpdate struct {
	Name           *string        `json:"name,omitempty" minLength:"1" maxLength:"200"`
	ClientID       *string        `json:"client_id,omitempty" maxLength:"36"`
	Description    *string        `json:"description,omitempty" maxLength:"10000"`
	Status         *string        `json:"status,omitempty" maxLength:"20"`
	StartDate      *string        `json:"start_date,omitempty" maxLength:"10"`
	DueDate        *string        `json:"due_date,omitempty" maxLength:"10"`
	Budget         *ProjectBudget `json:"budget,omitempty"`
	BudgetMinutes  *int           `json:"budget_minutes,omitempty" minimum:"0" maximum:"2147483647" doc:"0 clears the time budget."`
	HourlyRate     *int64         `json:"hourly_rate,omitempty" minimum:"0" maximum:"1000000000000"`
	PortalShared   *bool          `json:"portal_shared,omitempty" doc:"Show in the client's portal."`
	PortalComments *bool          `json:"portal_comments,omitempty" doc:"Let the client's contacts comment on its tasks."`
}

// ProjectPath addresses one project of an organization.
type ProjectPath struct {
	OrgID     string `path:"org_id" format:"uuid" doc:"Organization ID."`
	ProjectID string `path:"project_id" format:"uuid" doc:"Project ID."`
}

type projectOutput struct{ Body Project }

func (s *Server) registerProjects() {
	tags := []string{"Projects"}
	base := "/api/v1/orgs/{org_id}/projects"
	one := base + "/{project_id}"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	write := append(errs, http.StatusUnprocessableEntity)
	huma.Register(s.api, huma.Operation{OperationID: "list-projects", Method: http.MethodGet, Path: base, Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsRead), Summary: "List the projects you can see, newest first",
		Errors: write}, s.listProjects)
	huma.Register(s.api, huma.Operation{OperationID: "create-project", Method: http.MethodPost, Path: base, Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsWrite), Summary: "Create a project",
		Description:   "Creates the board (the template's columns and tasks, or To do / In progress / Review / Done) and makes you a member.",
		DefaultStatus: http.StatusCreated, Errors: write}, s.createProject)
	huma.Register(s.api, huma.Operation{OperationID: "get-project", Method: http.MethodGet, Path: one, Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsRead), Summary: "Get a project", Errors: errs}, s.getProject)
	huma.Register(s.api, huma.Operation{OperationID: "update-project", Method: http.MethodPatch, Path: one, Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsWrite), Summary: "Update a project", Errors: write}, s.updateProject)
	huma.Register(s.api, huma.Operation{OperationID: "archive-project", Method: http.MethodPost, Path: one + "/archive", Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsWrite), Summary: "Archive a project", Errors: errs}, s.archiveProject)
	huma.Register(s.api, huma.Operation{OperationID: "unarchive-project", Method: http.MethodPost, Path: one + "/unarchive", Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsWrite), Summary: "Restore an archived project", Errors: errs}, s.unarchiveProject)
	huma.Register(s.api, huma.Operation{OperationID: "delete-project", Method: http.MethodDelete, Path: one, Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsDelete), Summary: "Delete a project and everything in it",
		DefaultStatus: http.StatusNoContent, Errors: errs}, s.deleteProject)
}

func (s *Server) listProjects(ctx context.Context, in *struct {
	OrgPath
	Status   string `query:"status" enum:"planning,active,on_hold,completed,cancelled"`
	ClientID string `query:"client_id" format:"uuid"`
	Archived bool   `query:"archived" doc:"true lists archived projects instead of active ones."`
	Q        string `query:"q" maxLength:"200" doc:"Case-insensitive match on the name."`
	Limit    int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
	Cursor   string `query:"cursor" maxLength:"200"`
}) (*struct{ Body ProjectList }, error) {
	ps, next, err := s.db.Projects(ctx, in.OrgID, viewerFrom(ctx), domain.ProjectFilter{Status: in.Status,
		ClientID: in.ClientID, Archived: in.Archived, Query: in.Q, Limit: in.Limit, Cursor: in.Cursor})
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := ProjectList{Data: make([]Project, len(ps))}
	for i, p := range ps {
		out.Data[i] = projectFrom(p)
	}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body ProjectList }{Body: out}, nil
}

func (s *Server) createProject(ctx context.Context, in *struct {
	OrgPath
	Body ProjectCreate
}) (*projectOutput, error) {
	b := in.Body
	p := &domain.Project{Name: b.Name, ClientID: b.ClientID, Description: b.Description, Status: b.Status,
		BudgetMinutes: zeroAsNil(b.BudgetMinutes), HourlyRate: b.HourlyRate,
		PortalHidden: b.PortalShared != nil && !*b.PortalShared, PortalCommentsOff: b.PortalComments != nil && !*b.PortalComments}
	var err error
	if p.StartDate, err = domain.ParseDate("body.start_date", b.StartDate); err != nil {
		return nil, problem(ctx, err)
	}
	if p.DueDate, err = domain.ParseDate("body.due_date", b.DueDate); err != nil {
		return nil, problem(ctx, err)
	}
	if b.Budget != nil {
		p.BudgetAmount, p.BudgetCurrency = b.Budget.Amount, b.Budget.Currency
	}
	if err := s.db.CreateProject(ctx, in.OrgID, viewerFrom(ctx), p, b.TemplateID); err != nil {
		return nil, problem(ctx, err)
	}
	return &projectOutput{Body: projectFrom(p)}, nil
}

// zeroAsNil reads a zero time budget as "no time budget".
func zeroAsNil(n *int) *int {
	if n == nil || *n == 0 {
		return nil
	}
	return n
}

func (s *Server) getProject(ctx context.Context, in *ProjectPath) (*projectOutput, error) {
	p, err := s.db.Project(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &projectOutput{Body: projectFrom(p)}, nil
}

func (s *Server) updateProject(ctx context.Context, in *struct {
	ProjectPath
	Body ProjectUpdate
}) (*projectOutput, error) {
	upd, err := projectUpdateFrom(in.Body)
	if err != nil {
		return nil, problem(ctx, err)
	}
	p, err := s.db.UpdateProject(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, upd)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &projectOutput{Body: projectFrom(p)}, nil
}

func projectUpdateFrom(b ProjectUpdate) (domain.ProjectUpdate, error) {
	upd := domain.ProjectUpdate{Name: b.Name, ClientID: b.ClientID, Description: b.Description, Status: b.Status,
		PortalShared: b.PortalShared, PortalComments: b.PortalComments}
	date := func(field string, s *string) (**time.Time, error) {
		if s == nil {
			return nil, nil
		}
		d, err := domain.ParseDate(field, *s)
		return &d, err
	}
	var err error
	if upd.StartDate, err = date("body.start_date", b.StartDate); err != nil {
		return upd, err
	}
	if upd.DueDate, err = date("body.due_date", b.DueDate); err != nil {
		return upd, err
	}
	if b.Budget != nil {
		if b.Budget.Amount == nil && b.Budget.Currency == "" {
			upd.ClearBudget = true
		} else {
			upd.BudgetAmount, upd.BudgetCurrency = b.Budget.Amount, &b.Budget.Currency
		}
	}
	if b.BudgetMinutes != nil {
		m := zeroAsNil(b.BudgetMinutes)
		upd.BudgetMinutes = &m
	}
	if b.HourlyRate != nil {
		upd.HourlyRate = &b.HourlyRate
	}
	return upd, nil
}

func (s *Server) archiveProject(ctx context.Context, in *ProjectPath) (*projectOutput, error) {
	return s.setArchived(ctx, in, true)
}

func (s *Server) unarchiveProject(ctx context.Context, in *ProjectPath) (*projectOutput, error) {
	return s.setArchived(ctx, in, false)
}

func (s *Server) setArchived(ctx context.Context, in *ProjectPath, archived bool) (*projectOutput, error) {
	p, err := s.db.SetProjectArchived(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, archived)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &projectOutput{Body: projectFrom(p)}, nil
}

func (s *Server) deleteProject(ctx context.Context, in *ProjectPath) (*struct{}, error) {
	if err := s.db.DeleteProject(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID); err != nil {
		return nil, problem(ctx, err)
	}
	s.purgeFilesIfQueued(ctx, in.OrgID)
	return nil, nil
}
