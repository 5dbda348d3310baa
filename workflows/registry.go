package workflows

// Types maps every workflow type's registered name (the name starters and the Temporal UI use) to its
// function. The worker registers exactly these, and the replay test requires a recorded history of each, so
// a new workflow cannot ship without one.
func Types() map[string]any {
	return map[string]any{
		"Welcome":              Welcome,
		"SendEmail":            SendEmail,
		"DeleteOrganization":   DeleteOrganization,
		"InvitationExpiry":     InvitationExpiry,
		"PurgeFiles":           PurgeFiles,
		"InvoiceOverdue":       InvoiceOverdue,
		"Subscription":         Subscription,
		"Dunning":              Dunning,
		"FanOut":               FanOut,
		"NotifyEmail":          NotifyEmail,
		"UserNotice":           UserNotice,
		"DueReminders":         DueReminders,
		"SubscriptionBackfill": SubscriptionBackfill,
		"WebhookDelivery":      WebhookDelivery,
		"Export":               Export,
	}
}
