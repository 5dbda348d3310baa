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
	// ProjectName, TaskID, TaskTitle and ColumnName name what the event is about as it is now (read with the
	// event; "" when it has none or it was deleted): its project, its task (a task event's own, or the
	// task a comment, file or time entry is on) and a task event's column.
	ProjectName, TaskID, TaskTitle, ColumnName string
}

// ActivityFilter narrows the activity feed. Cursor is the last ID of the previous page. From is inclusive
// and To exclusive; ClientID keeps the client's own events and those of its projects; Text matches the
// event type and payload, case-insensitively.
type ActivityFilter struct {
	ProjectID  string
	Type       string
	EntityType string
	ClientID   string
	ActorID    string
	Text       string
	From, To   time.Time
	Limit      int
	Cursor     string
	// HideInvoices leaves out invoice events (amounts), for readers without invoices.read.
	HideInvoices bool
	// HideClients leaves out client events (client.*: email, company), for readers without clients.read.
	HideClients bool
	// HideMembers leaves out member events (team.*: a member's email), for readers without members.read.
	HideMembers bool
}

// HiddenEntityTypes are the entity types of the events the filter leaves out.
func (f ActivityFilter) HiddenEntityTypes() []string {
	var out []string
	if f.HideInvoices {
		out = append(out, "invoice")
	}
	if f.HideClients {
		out = append(out, "client")
	}
	if f.HideMembers {
		out = append(out, "member")
	}
	return out
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
