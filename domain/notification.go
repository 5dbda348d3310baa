package domain

import (
	"slices"
	"time"
)

// Notification types: what a member can be told about. Each is delivered in-app and, per the member's
// preferences, by email and web push. The catalogue below is the one list the API, the fan-out, the
// preferences page and the email templates read.
const (
	NotifyTaskAssigned      = "task_assigned"
	NotifyTaskStatusChanged = "task_status_changed"
	NotifyCommentAdded      = "comment_added"
	NotifyMentioned         = "mentioned"
	NotifyAttachmentAdded   = "attachment_added"
	NotifyTaskDueSoon       = "task_due_soon"
	NotifyTaskOverdue       = "task_overdue"
	NotifyMemberJoined      = "member_joined"
	NotifyInvoicePaid       = "invoice_paid"
	NotifyInvoiceOverdue    = "invoice_overdue"
	NotifyPaymentFailed     = "payment_failed"
	NotifyTrialEnding       = "trial_ending"
	NotifySessionActivity   = "session_activity"
	NotifyForcedLogout      = "forced_logout"
	// NotifyPortalRequest tells the team a client contact sent a request from the portal.
	NotifyPortalRequest = "portal_request"
	// NotifyRequestUpdated, NotifySharedFile and NotifyPortalEnabled go to client contacts only.
	NotifyRequestUpdated = "request_updated"
	NotifySharedFile     = "shared_file"
	NotifyPortalEnabled  = "portal_enabled"
)

// Notification channels.
const (
	ChannelInApp = "in_app"
	ChannelEmail = "email"
	ChannelPush  = "push"
)

// NotificationChannels lists the channels in the order the preferences page shows them.
var NotificationChannels = []string{ChannelInApp, ChannelEmail, ChannelPush}

// NotificationType describes one type for the preferences page and the fan-out.
type NotificationType struct {
	Type  string
	Label string
	// Group gathers types on the preferences page: tasks, comments, team, billing, security, client_portal.
	Group string
	// Contact marks a type meant for client contacts (through the portal): only contacts receive it, its
	// email carries the organization's branding, and the preferences page shows it to contacts only. Every
	// other type is for staff and never reaches a contact.
	Contact bool
	// Off lists the channels that are off until the member turns them on: what most people find noisy.
	Off []string
	// Locked lists the channels a member cannot switch off (security notices always reach the inbox).
	Locked []string
}

// NotificationTypes is the catalogue, in display order.
var NotificationTypes = []NotificationType{
	{Type: NotifyTaskAssigned, Label: "A task is assigned to me", Group: "tasks"},
	{Type: NotifyTaskStatusChanged, Label: "A task I follow changes status", Group: "tasks", Off: []string{ChannelEmail}},
	{Type: NotifyTaskDueSoon, Label: "A task of mine is due within 24 hours", Group: "tasks"},
	{Type: NotifyTaskOverdue, Label: "A task of mine is overdue", Group: "tasks"},
	{Type: NotifyAttachmentAdded, Label: "A file is attached to a task I follow", Group: "tasks", Off: []string{ChannelEmail}},
	{Type: NotifyCommentAdded, Label: "Someone comments on a task I follow", Group: "comments"},
	{Type: NotifyMentioned, Label: "Someone @mentions me", Group: "comments"},
	{Type: NotifyMemberJoined, Label: "Someone joins the organization", Group: "team", Off: []string{ChannelEmail, ChannelPush}},
	{Type: NotifyInvoicePaid, Label: "An invoice is paid", Group: "billing"},
	{Type: NotifyInvoiceOverdue, Label: "An invoice is overdue", Group: "billing"},
	{Type: NotifyPaymentFailed, Label: "A subscription payment failed", Group: "billing"},
	{Type: NotifyTrialEnding, Label: "The trial is ending", Group: "billing"},
	{Type: NotifySessionActivity, Label: "A new sign-in to my account", Group: "security", Locked: []string{ChannelEmail}},
	{Type: NotifyForcedLogout, Label: "My sessions were signed out", Group: "security", Locked: []string{ChannelEmail}},
	{Type: NotifyPortalRequest, Label: "A client sends a request from the portal", Group: "client_portal"},
	{Type: NotifyRequestUpdated, Label: "A request of mine moves, is done or gets a reply", Group: "client_portal", Contact: true},
	{Type: NotifySharedFile, Label: "A file is shared with me", Group: "client_portal", Contact: true},
	{Type: NotifyPortalEnabled, Label: "My client portal is opened", Group: "client_portal", Contact: true},
}

// LookupNotificationType returns the catalogue entry for t.
func LookupNotificationType(t string) (NotificationType, bool) {
	i := slices.IndexFunc(NotificationTypes, func(n NotificationType) bool { return n.Type == t })
	if i < 0 {
		return NotificationType{}, false
	}
	return NotificationTypes[i], true
}

// ValidNotificationChannel reports whether c is a channel.
func ValidNotificationChannel(c string) bool { return slices.Contains(NotificationChannels, c) }

// NotificationDefault is whether channel is on for type t when the member made no choice.
func NotificationDefault(t NotificationType, channel string) bool {
	return !slices.Contains(t.Off, channel)
}

// NotificationLocked reports whether the member cannot switch channel off for t.
func NotificationLocked(t NotificationType, channel string) bool {
	return slices.Contains(t.Locked, channel)
}

// Notification is one entry of a member's inbox.
type Notification struct {
	ID             string
	OrganizationID string
	RecipientID    string
	Type           string
	Title          string
	Body           string
	// Link is the SPA path the notification opens (e.g. /orgs/{org}/projects/{p}/tasks/{t}).
	Link       string
	EntityType string
	EntityID   string
	ProjectID  string
	ActorID    string
	// ActorName is filled on reads, for the inbox.
	ActorName string
	// SourceKey is what makes the fan-out idempotent: the domain event id (or another business key).
	SourceKey string
	ReadAt    *time.Time
	CreatedAt time.Time
}

// NotificationPreference is one member's choice for one type and channel.
type NotificationPreference struct {
	Type    string
	Channel string
	Enabled bool
}

// PushSubscription is one browser's Web Push subscription for a member of an organization.
type PushSubscription struct {
	ID             string
	OrganizationID string
	UserID         string
	Endpoint       string
	P256dh         string
	Auth           string
	UserAgent      string
	CreatedAt      time.Time
	LastSuccessAt  *time.Time
}

// NotificationFilter narrows an inbox listing.
type NotificationFilter struct {
	UnreadOnly bool
	Type       string
	Cursor     string
	Limit      int
}

// EventRef names one domain event waiting for the fan-out: what the outbox relay hands to the workflow.
type EventRef struct {
	OrganizationID string `json:"organization_id"`
	EventID        string `json:"event_id"`
}
