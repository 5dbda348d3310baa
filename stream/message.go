// Package stream carries live updates to browsers: change events (a task moved, a comment added) and new
// notifications, published once and fanned out to every API process's open SSE connections.
package stream

import "context"

// Message kinds.
const (
	// KindChange is a domain event: something changed that an open page may show.
	KindChange = "change"
	// KindNotification is a new notification for one recipient.
	KindNotification = "notification"
)

// Message is what travels between processes and, trimmed to what a browser needs, to each SSE client. It
// stays small: ids and types only, never entity contents; the browser refetches what it shows.
type Message struct {
	// ID is the domain event's or the notification's id (UUIDv7, so ids order by time): the SSE event id a
	// reconnecting client sends back as Last-Event-ID.
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	OrganizationID string `json:"org_id"`
	// ProjectID scopes a change to the members who can see that project; empty for organization-wide changes.
	ProjectID string `json:"project_id,omitempty"`
	// RecipientID is the only user a notification goes to.
	RecipientID string `json:"recipient_id,omitempty"`
	Type        string `json:"type"`
	EntityType  string `json:"entity_type,omitempty"`
	EntityID    string `json:"entity_id,omitempty"`
	ActorID     string `json:"actor_id,omitempty"`
}

// Publisher sends messages to every API process (Redis pub/sub) or to this process only (the in-process
// hub). Publish must not block a request for long: live updates are best effort, the stream's resume from
// Last-Event-ID and the browser's refetch on reconnect cover a lost message.
type Publisher interface {
	Publish(ctx context.Context, msgs ...Message) error
}
