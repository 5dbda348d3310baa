package email

// Billing templates (the agency paying for ClientFlow). Every one also gets Name, OrgName and BillingURL.
const (
	// TemplateSubscriptionChanged: the plan or status changed (Data: PlanName, Status).
	TemplateSubscriptionChanged = "subscription_changed"
	// TemplateUpgradeRequest: a member asks the owners to upgrade (Data: RequesterName, RequesterEmail,
	// PlanName, Message).
	TemplateUpgradeRequest = "upgrade_request"
	// TemplateUsageWarning: 80 % of a limit used (Data: Metric, Usage, Limit, Percent, Plan).
	TemplateUsageWarning = "usage_warning"
	// TemplateQuotaReached: 100 % of a limit used (Data as TemplateUsageWarning).
	TemplateQuotaReached = "quota_reached"
	// TemplateTrialEnding: the trial ends in a few days (Data: TrialEndsAt).
	TemplateTrialEnding = "trial_ending"
	// TemplateSubscriptionRestricted: the organization became read-only (Data: Reason).
	TemplateSubscriptionRestricted = "subscription_restricted"
	// TemplatePaymentFailed: day 0 of dunning (Data: Amount, GraceEndsAt).
	TemplatePaymentFailed = "payment_failed"
	// TemplatePaymentReminder: a dunning reminder (Data: Amount, Day, GraceEndsAt).
	TemplatePaymentReminder = "payment_reminder"
	// TemplatePaymentMethodExpiring: the card on file expires soon (Data: CardBrand, CardLast4, CardExpires).
	TemplatePaymentMethodExpiring = "payment_method_expiring"
	// TemplatePaymentMethodChanged: a payment method was added, updated or removed (Data: Change, CardBrand,
	// CardLast4).
	TemplatePaymentMethodChanged = "payment_method_changed"
	// TemplateSubscriptionInvoiceAvailable: Stripe issued an invoice for the subscription (Data: Amount,
	// InvoiceURL).
	TemplateSubscriptionInvoiceAvailable = "subscription_invoice_available"
)
