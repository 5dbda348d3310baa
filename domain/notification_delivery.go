package domain

// NotificationEmailRef names one notification whose email joins the coalescing window of its recipient and
// entity: several changes to one task within the window reach the recipient as one email.
type NotificationEmailRef struct {
	OrganizationID string `json:"organization_id"`
	RecipientID    string `json:"recipient_id"`
	// EntityKey is what the emails coalesce on (e.g. "task-<id>").
	EntityKey      string `json:"entity_key"`
	NotificationID string `json:"notification_id"`
}

// NotificationEmailBatch is what one coalesced email sends: notifications of one recipient, oldest first.
type NotificationEmailBatch struct {
	OrganizationID  string   `json:"organization_id"`
	RecipientID     string   `json:"recipient_id"`
	NotificationIDs []string `json:"notification_ids"`
}

// NotifyResult is what the fan-out of one event (or one notice) leaves for the workflow to do: the push
// deliveries to send.
type NotifyResult struct {
	OrganizationID string   `json:"organization_id"`
	Push           []string `json:"push,omitempty"`
}

// Notice is a notification without a domain event behind it (a failed payment, a trial ending, a new
// sign-in, sessions signed out): explicit recipients and a business key that makes it once per recipient.
type Notice struct {
	OrganizationID string   `json:"organization_id"`
	Type           string   `json:"type"`
	RecipientIDs   []string `json:"recipient_ids,omitempty"`
	// Owners adds the organization's owners to RecipientIDs.
	Owners    bool   `json:"owners,omitempty"`
	Title     string `json:"title"`
	Body      string `json:"body,omitempty"`
	Link      string `json:"link,omitempty"`
	SourceKey string `json:"source_key"`
	// OwnEmail says the caller emails this notice itself (the billing and security emails exist already),
	// so the notification gets no email delivery of its own.
	OwnEmail bool `json:"own_email,omitempty"`
}

// StartKindUserNotice asks for a UserNotice workflow (see UserNoticeStart).
const StartKindUserNotice = "user_notice"

// UserNotice is a security notice about one user's account (a new sign-in, sessions signed out): it
// concerns the person, not one organization, so it reaches their inbox in every organization they belong
// to, once per SourceKey. The account's own email (suspicious login) is sent by its existing path.
type UserNotice struct {
	UserID    string `json:"user_id"`
	Type      string `json:"type"`
	Title     string `json:"title"`
	Body      string `json:"body,omitempty"`
	SourceKey string `json:"source_key"`
}

// UserNoticeStart asks for n's in-app notices, written in the transaction of the change they report.
func UserNoticeStart(n UserNotice) WorkflowStart {
	return WorkflowStart{Kind: StartKindUserNotice, Key: n.SourceKey, Input: mustJSON(n)}
}
