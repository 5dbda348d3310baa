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
	// The names are read with the event, so a feed names what it shows without a request per entry.
	ProjectName *string       `json:"project_name" nullable:"true" doc:"The event's project as it is named now; null without one or once deleted."`
	Task        *ActivityTask `json:"task,omitempty" doc:"The task the event is about or on (task, comment, file and time events); absent without one or once deleted."`
	ColumnName  *string       `json:"column_name" nullable:"true" doc:"For task events: the column the task was in after the change, as it is named now."`
}

// ActivityTask is the task an activity is about.
type ActivityTask struct {
	ID    string `json:"id" format:"uuid"`
	Title string `json:"title"`
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
	if a.ProjectName != "" {
		out.ProjectName = &a.ProjectName
	}
	if a.TaskID != "" {
		out.Task = &ActivityTask{ID: a.TaskID, Title: a.TaskTitle}
	}
	if a.ColumnName != "" {
		out.ColumnName = &a.ColumnName
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

// ActivityQuery are the activity feed's filters, shared by the list and its CSV export.
type ActivityQuery struct {
	DateRange
	ProjectID  string `query:"project_id" format:"uuid" doc:"Only this project's events."`
	ClientID   string `query:"client_id" format:"uuid" doc:"Only the client's own events and those of its projects."`
	ActorID    string `query:"actor_id" format:"uuid" doc:"Only what this user did."`
	Type       string `query:"type" maxLength:"100" doc:"Only events of this type, e.g. project.created."`
	EntityType string `query:"entity_type" maxLength:"50" doc:"Only events about this kind of thing, e.g. task."`
	Q          string `query:"q" maxLength:"200" doc:"Case-insensitive match on the event type and its details."`
}

// filter turns the query into the store's filter, hiding what p may not read: payloads carry what their
// entity's read permission guards (invoice events amounts, client events the client's email and company,
// team events the member's email), so only those who may read them see them.
func (q ActivityQuery) filter(p *principal) domain.ActivityFilter {
	f := domain.ActivityFilter{ProjectID: q.ProjectID, ClientID: q.ClientID, ActorID: q.ActorID, Type: q.Type,
		EntityType: q.EntityType, Text: q.Q, HideInvoices: !p.can(domain.PermInvoicesRead),
		HideClients: !p.can(domain.PermClientsRead), HideMembers: !p.can(domain.PermMembersRead)}
	from, to := q.days()
	if from != nil {
		f.From = *from
	}
	if to != nil {
		f.To = to.AddDate(0, 0, 1)
	}
	return f
}

func (s *Server) listActivity(ctx context.Context, in *struct {
	OrgPath
	ActivityQuery
	Limit  int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor" maxLength:"200"`
}) (*struct{ Body ActivityList }, error) {
	f := in.filter(principalFrom(ctx))
	f.Limit, f.Cursor = in.Limit, in.Cursor
	as, next, err := s.db.Activity(ctx, in.OrgID, viewerFrom(ctx), f)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := ActivityList{Data: activitiesFrom(as)}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body ActivityList }{Body: out}, nil
}
