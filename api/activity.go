package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Activity is one entry of the activity feed.
type Activity struct {
	ID         string         `json:"id" format:"uuid"`
	Type       string         `json:"type" doc:"e.g. project.created, task.updated."`
	EntityType string         `json:"entity_type"`
	EntityID   string         `json:"entity_id" format:"uuid"`
	ProjectID  *string        `json:"project_id" format:"uuid" nullable:"true"`
	Actor      *ActivityActor `json:"actor,omitempty" doc:"Who did it; absent for system changes and removed users."`
	Payload    map[string]any `json:"payload"`
	CreatedAt  time.Time      `json:"created_at"`
}

// ActivityActor is who caused an activity.
type ActivityActor struct {
	ID   string `json:"id" format:"uuid"`
	Name string `json:"name"`
}

// ActivityList is one page of the activity feed.
type ActivityList struct {
	Data       []Activity `json:"data"`
	NextCursor *string    `json:"next_cursor" doc:"Pass as cursor for the next page; null on the last page."`
}

func activityFrom(a *domain.Activity) Activity {
	out := Activity{ID: a.ID, Type: a.Type, EntityType: a.EntityType, EntityID: a.EntityID, Payload: a.Payload,
		CreatedAt: a.CreatedAt}
	if out.Payload == nil {
		out.Payload = map[string]any{}
	}
	if a.ProjectID != "" {
		out.ProjectID = &a.ProjectID
	}
	if a.ActorID != "" {
		out.Actor = &ActivityActor{ID: a.ActorID, Name: a.ActorName}
	}
	return out
}

func activitiesFrom(as []*domain.Activity) []Activity {
	out := make([]Activity, len(as))
	for i, a := range as {
		out[i] = activityFrom(a)
	}
	return out
}

func (s *Server) registerActivity() {
	huma.Register(s.api, huma.Operation{OperationID: "list-activity", Method: http.MethodGet,
		Path: "/api/v1/orgs/{org_id}/activity", Tags: []string{"Activity"}, Security: security,
		Extensions: requires(domain.PermProjectsRead), Summary: "List what happened, newest first",
		Description: "Events of projects you are not on are left out, and so are invoice events without invoices.read, " +
			"client events without clients.read and team events without members.read.",
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, s.listActivity)
}

func (s *Server) listActivity(ctx context.Context, in *struct {
	OrgPath
	ProjectID string `query:"project_id" format:"uuid" doc:"Only this project's events."`
	Type      string `query:"type" maxLength:"100" doc:"Only events of this type, e.g. project.created."`
	Limit     int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
	Cursor    string `query:"cursor" maxLength:"200"`
}) (*struct{ Body ActivityList }, error) {
	// Payloads carry what their entity's read permission guards: invoice events amounts, client events the
	// client's email and company, team events the member's email. Only those who may read them see them.
	p := principalFrom(ctx)
	as, next, err := s.db.Activity(ctx, in.OrgID, viewerFrom(ctx), domain.ActivityFilter{ProjectID: in.ProjectID,
		Type: in.Type, Limit: in.Limit, Cursor: in.Cursor, HideInvoices: !p.can(domain.PermInvoicesRead),
		HideClients: !p.can(domain.PermClientsRead), HideMembers: !p.can(domain.PermMembersRead)})
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := ActivityList{Data: activitiesFrom(as)}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body ActivityList }{Body: out}, nil
}
