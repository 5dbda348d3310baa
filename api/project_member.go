package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// ProjectMember is someone on a project.
type ProjectMember struct {
	UserID  string    `json:"user_id" format:"uuid"`
	Name    string    `json:"name"`
	Email   string    `json:"email"`
	Role    string    `json:"role" doc:"The person's organization role."`
	AddedAt time.Time `json:"added_at"`
}

// ProjectMemberList is every member of a project.
type ProjectMemberList struct {
	Data []ProjectMember `json:"data"`
}

// ProjectMemberAdd puts an active organization member on a project.
type ProjectMemberAdd struct {
	UserID string `json:"user_id" maxLength:"36"`
}

// ProjectMemberPath addresses one member of a project.
type ProjectMemberPath struct {
	ProjectPath
	UserID string `path:"user_id" format:"uuid" doc:"User ID."`
}

func projectMemberFrom(m domain.ProjectMember) ProjectMember {
	return ProjectMember{UserID: m.UserID, Name: m.Name, Email: m.Email, Role: m.Role, AddedAt: m.CreatedAt}
}

func (s *Server) registerProjectMembers() {
	tags := []string{"Projects"}
	base := "/api/v1/orgs/{org_id}/projects/{project_id}/members"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{OperationID: "list-project-members", Method: http.MethodGet, Path: base,
		Tags: tags, Security: security, Extensions: requires(domain.PermProjectsRead),
		Summary: "List a project's members", Errors: errs}, s.listProjectMembers)
	huma.Register(s.api, huma.Operation{OperationID: "add-project-member", Method: http.MethodPost, Path: base,
		Tags: tags, Security: security, Extensions: requires(domain.PermProjectsWrite),
		Summary: "Add an organization member to a project", DefaultStatus: http.StatusCreated,
		Errors: append(errs, http.StatusUnprocessableEntity)}, s.addProjectMember)
	huma.Register(s.api, huma.Operation{OperationID: "remove-project-member", Method: http.MethodDelete,
		Path: base + "/{user_id}", Tags: tags, Security: security, Extensions: requires(domain.PermProjectsWrite),
		Summary: "Remove someone from a project", DefaultStatus: http.StatusNoContent, Errors: errs}, s.removeProjectMember)
}

func (s *Server) listProjectMembers(ctx context.Context, in *ProjectPath) (*struct{ Body ProjectMemberList }, error) {
	ms, err := s.db.ProjectMembers(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := ProjectMemberList{Data: make([]ProjectMember, len(ms))}
	for i, m := range ms {
		out.Data[i] = projectMemberFrom(m)
	}
	return &struct{ Body ProjectMemberList }{Body: out}, nil
}

func (s *Server) addProjectMember(ctx context.Context, in *struct {
	ProjectPath
	Body ProjectMemberAdd
}) (*struct{ Body ProjectMember }, error) {
	m, err := s.db.AddProjectMember(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.Body.UserID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body ProjectMember }{Body: projectMemberFrom(*m)}, nil
}

func (s *Server) removeProjectMember(ctx context.Context, in *ProjectMemberPath) (*struct{}, error) {
	if err := s.db.RemoveProjectMember(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.UserID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}
