package workflows

import (
	"fmt"
	"hash/fnv"
)

// Workflow IDs are business keys: one function per workflow type, all of the form kind/{id}, so a workflow is
// found (and deduplicated) by the business object it serves, e.g. WorkflowId = "subscription/<org id>" in the
// Temporal UI. The starters in package worker are their only users.

// workflowID builds the one ID shape every workflow uses.
func workflowID(kind, key string) string { return kind + "/" + key }

// WelcomeWorkflowID is the business key of a user's welcome workflow.
func WelcomeWorkflowID(userID string) string { return workflowID("welcome", userID) }

// EmailWorkflowID is the business key of a one-off email: one workflow, so one send, per key.
func EmailWorkflowID(key string) string { return workflowID("email", key) }

// InvitationWorkflowID is the business key of an invitation's expiry workflow.
func InvitationWorkflowID(invitationID string) string { return workflowID("invitation", invitationID) }

// OrganizationDeleteWorkflowID is the business key of an organization's deletion: one per organization.
func OrganizationDeleteWorkflowID(orgID string) string { return workflowID("org-delete", orgID) }

// InvoiceOverdueWorkflowID is the business key of an invoice's overdue workflow.
func InvoiceOverdueWorkflowID(invoiceID string) string {
	return workflowID("invoice-overdue", invoiceID)
}

// PurgeFilesWorkflowID is the business key of an organization's file purge: one running per organization.
func PurgeFilesWorkflowID(orgID string) string { return workflowID("purge-files", orgID) }

// SubscriptionWorkflowID is the business key of an organization's subscription workflow.
func SubscriptionWorkflowID(orgID string) string { return workflowID("subscription", orgID) }

// DunningWorkflowID is the business key of an unpaid invoice's dunning.
func DunningWorkflowID(invoiceID string) string { return workflowID("dunning", invoiceID) }

// DueRemindersWorkflowID is the business key of an organization's due-date reminders: one per organization.
func DueRemindersWorkflowID(orgID string) string { return workflowID("due-reminders", orgID) }

// FanOutWorkflowID is the business key of one batch of domain events handed to the fan-out: the first
// event's id and a digest of the whole batch, so the same batch handed over twice (a relay that died
// before its commit) joins one workflow, while a batch that differs (new events, or rows another relay
// holds) gets its own and loses nothing.
func FanOutWorkflowID(eventIDs []string) string {
	if len(eventIDs) == 0 {
		return workflowID("fanout", "empty")
	}
	h := fnv.New64a()
	for _, id := range eventIDs {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	return workflowID("fanout", fmt.Sprintf("%s-%016x", eventIDs[0], h.Sum64()))
}

// NotifyEmailWorkflowID is the business key of the email window of one recipient and one entity.
func NotifyEmailWorkflowID(orgID, recipientID, entityKey string) string {
	return workflowID("notify-email", orgID+"/"+recipientID+"/"+entityKey)
}

// UserNoticeWorkflowID is the business key of a security notice: its source key.
func UserNoticeWorkflowID(sourceKey string) string { return workflowID("user-notice", sourceKey) }

// Legacy IDs: these three kinds used kind-{id} until the IDs became one convention. Workflows started then keep
// their IDs until they end (a subscription lives as long as its organization), so the starters look for a
// running workflow under the legacy ID before they start or signal one under the new ID.

// LegacyPurgeFilesWorkflowID is the ID file purges were started under before kind/{id}.
func LegacyPurgeFilesWorkflowID(orgID string) string { return "purge-files-" + orgID }

// LegacySubscriptionWorkflowID is the ID subscription workflows were started under before kind/{id}.
func LegacySubscriptionWorkflowID(orgID string) string { return "subscription-" + orgID }

// LegacyDunningWorkflowID is the ID dunnings were started under before kind/{id}.
func LegacyDunningWorkflowID(invoiceID string) string { return "dunning-" + invoiceID }

// WebhookDeliveryWorkflowID is the business key of one webhook delivery: one workflow, so one run of tries,
// per delivery row (a replay is a new row, so a new workflow).
func WebhookDeliveryWorkflowID(deliveryID string) string {
	return workflowID("webhook-delivery", deliveryID)
}

// ExportWorkflowID is the business key of one CSV export: one workflow per exports row.
func ExportWorkflowID(exportID string) string { return workflowID("export", exportID) }
