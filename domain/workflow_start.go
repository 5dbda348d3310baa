package domain

import (
	"encoding/json"
	"time"
)

// Kinds of workflow start that go through the workflow outbox. Each names one method of the API's
// workflow starter; the relay maps a kind back to that method.
const (
	StartKindWelcome              = "welcome"
	StartKindEmail                = "email"
	StartKindInvitationExpiry     = "invitation_expiry"
	StartKindInvoiceOverdue       = "invoice_overdue"
	StartKindSubscription         = "subscription"
	StartKindOrganizationDeletion = "organization_deletion"
	StartKindPurgeFiles           = "purge_files"
	StartKindDueReminders         = "due_reminders"
	StartKindExport               = "export"
)

// WorkflowStart is one workflow start written to the outbox in the same transaction as the business change
// that asks for it, so a crash or a Temporal outage after the commit cannot lose it. Key is the business
// ID the workflow ID is built from (a user, invitation, invoice or organization ID, or an email's
// idempotency key): starting the same kind and key twice joins one workflow, which is what makes the
// outbox's at-least-once hand-off safe.
type WorkflowStart struct {
	// ID is the outbox row's ID, filled in when the start is enqueued.
	ID    string
	Kind  string
	Key   string
	Input json.RawMessage
	// CreatedAt is when the start was enqueued (filled in by the store).
	CreatedAt time.Time
}

// WelcomeStart asks for the new user's welcome workflow.
func WelcomeStart(userID string) WorkflowStart {
	return WorkflowStart{Kind: StartKindWelcome, Key: userID}
}

// EmailStart asks for one templated email, sent at most once per req.Key.
func EmailStart(req EmailRequest) WorkflowStart {
	return WorkflowStart{Kind: StartKindEmail, Key: req.Key, Input: mustJSON(req)}
}

// InvitationExpiryStart asks for the timer that expires a pending invitation at inv.ExpiresAt.
func InvitationExpiryStart(inv Invitation) WorkflowStart {
	return WorkflowStart{Kind: StartKindInvitationExpiry, Key: inv.ID, Input: mustJSON(inv)}
}

// InvoiceOverdueStart asks for a sent invoice's overdue workflow.
func InvoiceOverdueStart(w InvoiceWatch) WorkflowStart {
	return WorkflowStart{Kind: StartKindInvoiceOverdue, Key: w.InvoiceID, Input: mustJSON(w)}
}

// SubscriptionStart asks for a new organization's Subscription workflow.
func SubscriptionStart(orgID string) WorkflowStart {
	return WorkflowStart{Kind: StartKindSubscription, Key: orgID}
}

// OrganizationDeletionStart asks for the removal of an organization marked as deleting.
func OrganizationDeletionStart(orgID string) WorkflowStart {
	return WorkflowStart{Kind: StartKindOrganizationDeletion, Key: orgID}
}

// PurgeFilesStart asks for (or wakes) the organization's purge of stored files whose rows were deleted.
func PurgeFilesStart(orgID string) WorkflowStart {
	return WorkflowStart{Kind: StartKindPurgeFiles, Key: orgID}
}

// DueRemindersStart asks for the organization's due-date reminders (started with the organization).
func DueRemindersStart(orgID string) WorkflowStart {
	return WorkflowStart{Kind: StartKindDueReminders, Key: orgID}
}

// ExportStart asks for the workflow that writes one export's CSV.
func ExportStart(ref ExportRef) WorkflowStart {
	return WorkflowStart{Kind: StartKindExport, Key: ref.ExportID, Input: mustJSON(ref)}
}

// mustJSON encodes the plain structs above (strings, times, string maps), which cannot fail to encode.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("domain: encode workflow input: " + err.Error())
	}
	return b
}
