package workflows

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

// Legacy IDs: these three kinds used kind-{id} until the IDs became one convention. Workflows started then keep
// their IDs until they end (a subscription lives as long as its organization), so the starters look for a
// running workflow under the legacy ID before they start or signal one under the new ID.

// LegacyPurgeFilesWorkflowID is the ID file purges were started under before kind/{id}.
func LegacyPurgeFilesWorkflowID(orgID string) string { return "purge-files-" + orgID }

// LegacySubscriptionWorkflowID is the ID subscription workflows were started under before kind/{id}.
func LegacySubscriptionWorkflowID(orgID string) string { return "subscription-" + orgID }

// LegacyDunningWorkflowID is the ID dunnings were started under before kind/{id}.
func LegacyDunningWorkflowID(invoiceID string) string { return "dunning-" + invoiceID }
