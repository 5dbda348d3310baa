package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Notification is one entry of the caller's inbox.
type Notification struct {
	ID    string `json:"id" format:"uuid"`
	Type  string `json:"type" doc:"One of the types listed by get-notification-preferences, e.g. task_assigned."`
	Title string `json:"title"`
	Body  string `json:"body"`
	// Link is the app path to open, relative to the site.
	Link       string     `json:"link" doc:"The app path the notification opens, e.g. /orgs/{org}/projects/{p}/tasks/{t}; empty for none."`
	EntityType string     `json:"entity_type" doc:"What the notification is about (task, comment, invoice, …); empty for none."`
	EntityID   *string    `json:"entity_id" format:"uuid"`
	ProjectID  *string    `json:"project_id" format:"uuid"`
	ActorID    *string    `json:"actor_id" format:"uuid" doc:"Who caused it; null for the system or a deleted account."`
	ActorName  string     `json:"actor_name"`
	ReadAt     *time.Time `json:"read_at" doc:"When it was marked read; null while unread."`
	CreatedAt  time.Time  `json:"created_at"`
}

func notificationFrom(n *domain.Notification) Notification {
	return Notification{ID: n.ID, Type: n.Type, Title: n.Title, Body: n.Body, Link: n.Link, EntityType: n.EntityType,
		EntityID: optional(n.EntityID), ProjectID: optional(n.ProjectID), ActorID: optional(n.ActorID),
		ActorName: n.ActorName, ReadAt: n.ReadAt, CreatedAt: n.CreatedAt}
}

// optional is nil for an empty id, for the JSON null the schema promises.
func optional(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

// NotificationList is one page of the caller's notifications and their unread count.
type NotificationList struct {
	Data        []Notification `json:"data"`
	NextCursor  *string        `json:"next_cursor" doc:"Pass as cursor for the next page; null on the last page."`
	UnreadCount int            `json:"unread_count" doc:"All of the caller's unread notifications in the organization, whatever the filters."`
}

// UnreadCount is how many of the caller's notifications are unread.
type UnreadCount struct {
	UnreadCount int `json:"unread_count"`
}

// NotificationPath addresses one notification of the caller.
type NotificationPath struct {
	OrgID          string `path:"org_id" format:"uuid" doc:"Organization ID."`
	NotificationID string `path:"notification_id" format:"uuid" doc:"Notification ID."`
}

// ownAccount marks an organization route about the caller's own inbox and settings: any active member may
// call it (whatever their role's permissions, client contacts included), also while the organization is
// read-only.
func ownAccount() map[string]any { return evenWhenRestricted(portalRoute()) }

func (s *Server) registerNotifications() {
	tags := []string{"Notifications"}
	base := "/api/v1/orgs/{org_id}/notifications"
	errs := []int{http.StatusUnauthorized, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-notifications", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Extensions: ownAccount(), Summary: "List your notifications, newest first",
		Description: "Only your own notifications in this organization. The unread count covers all of them, " +
			"whatever the filters, for the bell.",
		Errors: append(errs, http.StatusUnprocessableEntity),
	}, s.listNotifications)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-unread-count", Method: http.MethodGet, Path: base + "/unread-count", Tags: tags, Security: security,
		Extensions: ownAccount(), Summary: "Count your unread notifications", Errors: errs,
	}, s.unreadCount)
	huma.Register(s.api, huma.Operation{
		OperationID: "mark-notification-read", Method: http.MethodPost, Path: base + "/{notification_id}/read", Tags: tags,
		Security: security, Extensions: ownAccount(), Summary: "Mark one of your notifications read",
		Description: "Marking it again keeps the first time. Answers the unread count left.", Errors: errs,
	}, s.markNotificationRead)
	huma.Register(s.api, huma.Operation{
		OperationID: "mark-all-notifications-read", Method: http.MethodPost, Path: base + "/read-all", Tags: tags,
		Security: security, Extensions: ownAccount(), Summary: "Mark all your notifications read",
		Description: "Answers the unread count left: 0, unless a notification arrived meanwhile.", Errors: errs,
	}, s.markAllNotificationsRead)
}

func (s *Server) listNotifications(ctx context.Context, in *struct {
	OrgPath
	Unread bool   `query:"unread" doc:"Only unread notifications."`
	Type   string `query:"type" maxLength:"60" doc:"Only notifications of this type, e.g. task_assigned."`
	Limit  int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor" maxLength:"200"`
}) (*struct{ Body NotificationList }, error) {
	ns, next, unread, err := s.db.ListNotifications(ctx, in.OrgID, principalFrom(ctx).User.ID,
		domain.NotificationFilter{UnreadOnly: in.Unread, Type: in.Type, Limit: in.Limit, Cursor: in.Cursor})
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := NotificationList{Data: make([]Notification, len(ns)), UnreadCount: unread}
	for i, n := range ns {
		out.Data[i] = notificationFrom(n)
	}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body NotificationList }{Body: out}, nil
}

func (s *Server) unreadCount(ctx context.Context, in *OrgPath) (*struct{ Body UnreadCount }, error) {
	n, err := s.db.UnreadCount(ctx, in.OrgID, principalFrom(ctx).User.ID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body UnreadCount }{Body: UnreadCount{UnreadCount: n}}, nil
}

func (s *Server) markNotificationRead(ctx context.Context, in *NotificationPath) (*struct{ Body UnreadCount }, error) {
	n, err := s.db.MarkRead(ctx, in.OrgID, principalFrom(ctx).User.ID, in.NotificationID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body UnreadCount }{Body: UnreadCount{UnreadCount: n}}, nil
}

func (s *Server) markAllNotificationsRead(ctx context.Context, in *OrgPath) (*struct{ Body UnreadCount }, error) {
	n, err := s.db.MarkAllRead(ctx, in.OrgID, principalFrom(ctx).User.ID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body UnreadCount }{Body: UnreadCount{UnreadCount: n}}, nil
}
