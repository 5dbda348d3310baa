package domain

import (
	"slices"
	"strings"
)

// Email templates: the name of every email the product sends (EmailRequest.Template). The catalogue below
// says which Data keys each one reads; activities/email holds the HTML and text that render them, and a test
// there keeps both in step. A new email adds its name here, its keys to emailTemplateData, and its files there.
const (
	// EmailWelcome is the welcome / verify-your-address email after sign-up.
	EmailWelcome = "welcome"
	// EmailVerifyReminder reminds a user who has not verified their address yet.
	EmailVerifyReminder = "verify_reminder"
	// EmailOwnershipTransfer tells the previous and the new owner that an organization changed hands.
	EmailOwnershipTransfer = "ownership_transfer"
	// EmailPasswordReset carries a single-use link to choose a new password.
	EmailPasswordReset = "password_reset"
	// EmailSuspiciousLogin warns of a sign-in from a new device and network.
	EmailSuspiciousLogin = "suspicious_login"
	// EmailInvitation invites an address to an organization.
	EmailInvitation = "invitation"
	// EmailInvitationRevoked tells the invitee the link no longer works.
	EmailInvitationRevoked = "invitation_revoked"
	// EmailInvitationExpired tells the inviter nobody accepted in time.
	EmailInvitationExpired = "invitation_expired"
	// EmailMemberRoleChanged tells a member their role changed.
	EmailMemberRoleChanged = "member_role_changed"
	// EmailMembershipSuspended tells a member they were suspended.
	EmailMembershipSuspended = "membership_suspended"
	// EmailMembershipStatusChanged tells a member they were reactivated.
	EmailMembershipStatusChanged = "membership_status_changed"

	// EmailInvoiceAvailable tells an agency's client a new invoice is ready, with its link.
	EmailInvoiceAvailable = "invoice_available"
	// EmailInvoiceOverdue tells the organization's billing contacts an invoice passed its due date.
	EmailInvoiceOverdue = "invoice_overdue"
	// EmailInvoiceReminder reminds the client of an overdue invoice.
	EmailInvoiceReminder = "invoice_reminder"

	// EmailSubscriptionChanged: the plan or status of the organization's ClientFlow subscription changed.
	EmailSubscriptionChanged = "subscription_changed"
	// EmailUpgradeRequest: a member asks the owners to upgrade.
	EmailUpgradeRequest = "upgrade_request"
	// EmailUsageWarning: 80 % of a plan limit used.
	EmailUsageWarning = "usage_warning"
	// EmailQuotaReached: 100 % of a plan limit used.
	EmailQuotaReached = "quota_reached"
	// EmailTrialEnding: the trial ends in a few days.
	EmailTrialEnding = "trial_ending"
	// EmailSubscriptionRestricted: the organization became read-only.
	EmailSubscriptionRestricted = "subscription_restricted"
	// EmailPaymentFailed: day 0 of dunning.
	EmailPaymentFailed = "payment_failed"
	// EmailPaymentReminder: a later dunning reminder.
	EmailPaymentReminder = "payment_reminder"
	// EmailPaymentMethodExpiring: the card on file expires soon.
	EmailPaymentMethodExpiring = "payment_method_expiring"
	// EmailPaymentMethodChanged: a payment method was added, updated or removed.
	EmailPaymentMethodChanged = "payment_method_changed"
	// EmailSubscriptionInvoiceAvailable: Stripe issued an invoice for the subscription.
	EmailSubscriptionInvoiceAvailable = "subscription_invoice_available"

	// EmailRateLimitAbuse tells an organization's owners that one of its accounts was throttled repeatedly.
	EmailRateLimitAbuse = "rate_limit_abuse"
	// EmailOpsDelay tells the operator (OPS_EMAIL) that events wait for dispatch longer than they should.
	EmailOpsDelay = "ops_delay"
	// EmailAPIKeyExposed tells a revoked API key's creator and the owners that someone used it again.
	EmailAPIKeyExposed = "api_key_exposed"
	// EmailWebhookFailures tells the owners and admins that deliveries to a webhook endpoint fail (at most
	// once per endpoint and hour).
	EmailWebhookFailures = "webhook_failures"
	// EmailWebhookDisabled tells them an endpoint was disabled after 24 hours of failed deliveries.
	EmailWebhookDisabled = "webhook_disabled"
	// EmailExportReady tells a member their CSV export finished, with its download link (valid 24 hours,
	// and only for them, signed in).
	EmailExportReady = "export_ready"
	// EmailBreakGlassSignIn tells an organization's other owners and admins that an owner signed in without
	// its IdP (a password, Google, another organization's SSO) while it requires SSO: the owners' audited
	// break-glass.
	EmailBreakGlassSignIn = "break_glass_sign_in"

	// emailNotifyPrefix names the email of each notification type: notify_<type> (see NotifyEmailTemplate).
	emailNotifyPrefix = "notify_"
)

// notifyEmailData are the Data keys of every notify_<type> email: the notification (title, body, absolute
// link), who caused it, the organization, and the link that switches this type's email off (for a type
// whose email cannot be switched off, the preferences page). Items (EmailRequest.Items) are added by the
// sender as Data.items, like AppURL.
var notifyEmailData = []string{"title", "body", "link", "actor", "organization", "unsubscribe_url"}

// NotifyEmailTemplate is the email template of notification type t.
func NotifyEmailTemplate(t string) string { return emailNotifyPrefix + t }

// NotifyEmailType returns the notification type a notify_<type> template belongs to, and false for any
// other template.
func NotifyEmailType(template string) (NotificationType, bool) {
	t, ok := strings.CutPrefix(template, emailNotifyPrefix)
	if !ok {
		return NotificationType{}, false
	}
	return LookupNotificationType(t)
}

func init() {
	for _, t := range NotificationTypes {
		emailTemplateData[NotifyEmailTemplate(t.Type)] = notifyEmailData
	}
}

// emailTemplateData is the catalogue: the Data keys each template reads. AppURL is not listed: the sender
// adds it to every email. Billing emails (to the organization's owners) all read Name, OrgName and BillingURL.
var emailTemplateData = map[string][]string{
	EmailWelcome:                 {"Name", "VerifyURL"},
	EmailVerifyReminder:          {"Name", "VerifyURL"},
	EmailOwnershipTransfer:       {"Name", "OrgName", "OrgURL", "PreviousOwnerName", "NewOwnerName", "NewRole"},
	EmailPasswordReset:           {"Name", "ResetURL"},
	EmailSuspiciousLogin:         {"Name", "Time", "IP", "Device", "SessionsURL"},
	EmailInvitation:              {"OrgName", "InviterName", "Email", "Role", "ExpiresAt", "AcceptURL"},
	EmailInvitationRevoked:       {"OrgName", "Email"},
	EmailInvitationExpired:       {"Name", "Email", "OrgName"},
	EmailMemberRoleChanged:       {"Name", "OrgName", "Role"},
	EmailMembershipSuspended:     {"Name", "OrgName"},
	EmailMembershipStatusChanged: {"Name", "OrgName"},

	EmailInvoiceAvailable: {"OrgName", "ClientName", "Number", "Total", "DueDate", "InvoiceURL"},
	EmailInvoiceOverdue:   {"Name", "OrgName", "ClientName", "Number", "Total", "Balance", "DueDate"},
	EmailInvoiceReminder:  {"OrgName", "ClientName", "Number", "Balance", "DueDate", "InvoiceURL"},

	EmailSubscriptionChanged:          {"Name", "OrgName", "BillingURL", "PlanName", "Status"},
	EmailUpgradeRequest:               {"Name", "OrgName", "BillingURL", "RequesterName", "RequesterEmail", "PlanName", "Message"},
	EmailUsageWarning:                 {"Name", "OrgName", "BillingURL", "Metric", "Usage", "Limit", "Percent", "Plan"},
	EmailQuotaReached:                 {"Name", "OrgName", "BillingURL", "Metric", "Limit", "Plan"},
	EmailTrialEnding:                  {"Name", "OrgName", "BillingURL", "TrialEndsAt"},
	EmailSubscriptionRestricted:       {"Name", "OrgName", "BillingURL", "Reason"},
	EmailPaymentFailed:                {"Name", "OrgName", "BillingURL", "Amount", "GraceEndsAt"},
	EmailPaymentReminder:              {"Name", "OrgName", "BillingURL", "Amount", "Day", "GraceEndsAt"},
	EmailPaymentMethodExpiring:        {"Name", "OrgName", "BillingURL", "CardBrand", "CardLast4", "CardExpires"},
	EmailPaymentMethodChanged:         {"Name", "OrgName", "BillingURL", "Change", "CardBrand", "CardLast4"},
	EmailSubscriptionInvoiceAvailable: {"Name", "OrgName", "BillingURL", "Amount", "InvoiceURL"},

	EmailRateLimitAbuse: {"Name", "OrgName", "AccountName", "AccountEmail", "Refusals", "At", "MembersURL"},
	EmailOpsDelay:       {"Backlog", "OldestAge", "Threshold", "Since"},

	EmailExportReady: {"Name", "OrgName", "Kind", "Rows", "ExpiresAt", "DownloadURL"},

	EmailWebhookFailures: {"Name", "OrgName", "EndpointURL", "FailingSince", "LastError", "EndpointPageURL"},
	EmailWebhookDisabled: {"Name", "OrgName", "EndpointURL", "FailingSince", "EndpointPageURL"},

	EmailAPIKeyExposed: {"Name", "OrgName", "KeyName", "KeyHint", "CreatorName", "IP", "At", "KeysURL"},

	EmailBreakGlassSignIn: {"Name", "OrgName", "OwnerName", "OwnerEmail", "Method", "At", "IP", "AuditLogURL"},
}

// EmailTemplates returns the name of every template in the catalogue, sorted.
func EmailTemplates() []string {
	names := make([]string, 0, len(emailTemplateData))
	for name := range emailTemplateData {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// EmailTemplateData returns the Data keys template reads, and false for a name not in the catalogue.
func EmailTemplateData(template string) ([]string, bool) {
	keys, ok := emailTemplateData[template]
	return slices.Clone(keys), ok
}

// Validate reports an EINVALID error when r names no catalogued template, lacks a key or a recipient, or
// misses a Data key its template reads: such a request could never render, so retrying it is pointless.
func (r EmailRequest) Validate() error {
	keys, ok := emailTemplateData[r.Template]
	switch {
	case !ok:
		return Errorf(EINVALID, "unknown email template %q", r.Template)
	case r.Key == "":
		return Errorf(EINVALID, "email %q without an idempotency key", r.Template)
	case r.To == "":
		return Errorf(EINVALID, "email %q without a recipient", r.Template)
	}
	for _, k := range keys {
		if _, ok := r.Data[k]; !ok {
			return Errorf(EINVALID, "email %q misses data %q", r.Template, k)
		}
	}
	return nil
}
