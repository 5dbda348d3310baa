package domain

import "time"

// Activity is one entry of the activity feed: a domain event with its actor's name.
type Activity struct {
	ID         string
	Type       string
	EntityType string
	EntityID   string
	ProjectID  string
	ActorID    string
	ActorName  string
	Payload    map[string]any
	CreatedAt  time.Time
}

// ActivityFilter narrows the activity feed. Cursor is the last ID of the previous page.
type ActivityFilter struct {
	ProjectID string
	Type      string
	Limit     int
	Cursor    string
	// HideInvoices leaves out invoice events, for readers without invoices.read.
	HideInvoices bool
}

// ClientOverview is a client with its visible projects and recent activity.
type ClientOverview struct {
	Client   *Client
	Projects []ClientProject
	Activity []*Activity
}

// ClientProject is a project as the client overview shows it.
type ClientProject struct {
	Project   *Project
	OpenTasks int
}
