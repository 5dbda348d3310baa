package domain

// Event types: what happened, as "<entity>.<verb>". Outbound webhooks will expose a subset of these.
const (
	EventClientCreated  = "client.created"
	EventClientUpdated  = "client.updated"
	EventClientDeleted  = "client.deleted"
	EventProjectCreated = "project.created"
	EventProjectUpdated = "project.updated"
	EventProjectDeleted = "project.deleted"
	EventTaskCreated    = "task.created"
	EventTaskUpdated    = "task.updated"
	EventTaskCompleted  = "task.completed"
	EventTaskDeleted    = "task.deleted"
	EventMemberAdded    = "team.member_added"
	EventMemberRemoved  = "team.member_removed"
	// EventTaskDueSoon and EventTaskOverdue are raised by the due-date sweep, once per task, due date and kind.
	EventTaskDueSoon = "task.due_soon"
	EventTaskOverdue = "task.overdue"
	// EventClientPortalEnabled is recorded when a client's portal is switched on (payload client_id, client_name);
	// the fan-out tells the client's contacts.
	EventClientPortalEnabled = "client.portal_enabled"
	// EventFileShared is recorded when a file becomes shared with the project's client, on upload or later
	// (payload file_id, project_id, name); the fan-out tells the client's contacts.
	EventFileShared = "file.shared"
	// EventTaskRequested is recorded when a client contact submits a request from the portal; the fan-out tells
	// the project's team.
	EventTaskRequested = "task.requested"
)

// Usage metrics counted per organization and month (plan limits read them).
const (
	UsageMembers  = "members"
	UsageProjects = "projects"
	UsageClients  = "clients"
	UsageTasks    = "tasks"
	UsageComments = "comments"
	UsageFiles    = "files"
)

// Event is a business event, recorded in the same transaction as the change that caused it.
type Event struct {
	Type       string
	EntityType string
	EntityID   string
	ActorID    string
	// ProjectID scopes the event for project visibility; empty for organization-wide events.
	ProjectID string
	// Payload carries what a reader needs without another lookup (e.g. the entity's name).
	Payload map[string]any
}
