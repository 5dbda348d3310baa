package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// ClientOverview is a client with its projects and recent activity.
type ClientOverview struct {
	Client   Client          `json:"client"`
	Projects []ClientProject `json:"projects" doc:"The client's projects you can see, active first."`
	Activity []Activity      `json:"activity" doc:"Recent events about the client and those projects."`
}

// ClientProject is a project as the client overview shows it.
type ClientProject struct {
	Project
	OpenTasks int `json:"open_tasks" doc:"Tasks not completed yet."`
}

func (s *Server) registerClientOverview() {
	huma.Register(s.api, huma.Operation{OperationID: "get-client-overview", Method: http.MethodGet,
		Path: "/api/v1/orgs/{org_id}/clients/{client_id}/overview", Tags: []string{"Clients"}, Security: security,
		Extensions: requires(domain.PermClientsRead), Summary: "Get a client with its projects and recent activity",
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound},
	}, s.getClientOverview)
}

func (s *Server) getClientOverview(ctx context.Context, in *ClientPath) (*struct{ Body ClientOverview }, error) {
	o, err := s.db.ClientOverview(ctx, in.OrgID, viewerFrom(ctx), in.ClientID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := ClientOverview{Client: clientFrom(o.Client), Projects: make([]ClientProject, len(o.Projects)),
		Activity: activitiesFrom(o.Activity)}
	for i, p := range o.Projects {
		out.Projects[i] = ClientProject{Project: projectFrom(p.Project), OpenTasks: p.OpenTasks}
	}
	return &struct{ Body ClientOverview }{Body: out}, nil
}
