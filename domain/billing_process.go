package domain

import "time"

// TrialState is what the Subscription workflow needs of the stored subscription (the LoadTrial activity's
// result).
type TrialState struct {
	Status      string
	TrialEndsAt time.Time
}

// DunningStep is what one dunning email needs (the SendDunningEmail activity's input): the unpaid invoice,
// the day of the schedule (0 = the payment failed) and the end of the grace period.
type DunningStep struct {
	OrganizationID string
	InvoiceID      string
	AmountDue      int64
	Currency       string
	InvoiceURL     string
	Day            int
	GraceEndsAt    time.Time
}
