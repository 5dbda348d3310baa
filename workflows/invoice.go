package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/domain"
)

// Activities of the invoice overdue workflow (activities.Activities methods of the same names).
const (
	// ActivityMarkInvoiceOverdue moves a sent invoice to overdue (only sent → overdue) and reports whether
	// it is overdue now, i.e. still unpaid.
	ActivityMarkInvoiceOverdue = "MarkInvoiceOverdue"
	// ActivitySendInvoiceOverdueEmails tells the billing contacts and the client, once per invoice.
	ActivitySendInvoiceOverdueEmails = "SendInvoiceOverdueEmails"
	// ActivitySendInvoiceReminder reminds the client on a later day, once per invoice and day, and reports
	// whether the invoice was still overdue.
	ActivitySendInvoiceReminder = "SendInvoiceReminder"
)

// SignalInvoiceSettled tells an invoice's overdue workflow that it was paid or voided.
const SignalInvoiceSettled = "settled"

// SignalInvoiceLink hands an invoice's overdue workflow the client's new link (a string) after the old one
// was replaced, so later reminders carry a link that works.
const SignalInvoiceLink = "link"

// Outcomes of an invoice's overdue workflow.
const (
	// InvoiceOutcomeSettled: paid or voided before the reminders ran out (signal or status check).
	InvoiceOutcomeSettled = "settled"
	// InvoiceOutcomeReminded: still unpaid after the last reminder.
	InvoiceOutcomeReminded = "reminded"
)

// InvoiceReminderDays are the days after the due date the client is reminded again.
var InvoiceReminderDays = []int{7, 14}

// InvoiceOverdueInput starts the overdue workflow of one sent invoice.
type InvoiceOverdueInput struct {
	OrganizationID string
	InvoiceID      string
	// DueAt is when the invoice becomes overdue (the start of the day after its due date, org time).
	DueAt time.Time
	// PublicURL is the client's link, for the reminders.
	PublicURL string
}

// InvoiceOverdue sleeps until the invoice's due time, marks it overdue (only if it is still sent), tells
// the billing contacts and the client, then reminds the client 7 and 14 days after the due date. The
// settled signal ends it at any point; a lost signal is covered because every step re-reads the invoice
// and the workflow stops once it is no longer overdue.
func InvoiceOverdue(ctx workflow.Context, in InvoiceOverdueInput) (string, error) {
	settled := false
	signals := workflow.GetSignalChannel(ctx, SignalInvoiceSettled)
	links := workflow.GetSignalChannel(ctx, SignalInvoiceLink)
	takeLink := func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, &in.PublicURL) }
	// latestLink takes the newest link that arrived while the workflow was busy (it counts for the next email).
	latestLink := func() {
		for links.ReceiveAsync(&in.PublicURL) {
		}
	}
	wait := func(until time.Time) {
		timerCtx, cancel := workflow.WithCancel(ctx)
		defer cancel()
		// A start after the due time (a late send) acts at once rather than failing the timer.
		timer := workflow.NewTimer(timerCtx, max(until.Sub(workflow.Now(ctx)), 0))
		for fired := false; !fired && !settled; {
			sel := workflow.NewSelector(ctx)
			sel.AddReceive(signals, func(c workflow.ReceiveChannel, _ bool) {
				c.Receive(ctx, nil)
				settled = true
			})
			sel.AddReceive(links, takeLink)
			sel.AddFuture(timer, func(workflow.Future) { fired = true })
			sel.Select(ctx)
		}
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second, RetryPolicy: emailRetry})

	wait(in.DueAt)
	if settled {
		return InvoiceOutcomeSettled, nil
	}
	var overdue bool
	if err := workflow.ExecuteActivity(ctx, ActivityMarkInvoiceOverdue, in.OrganizationID, in.InvoiceID).Get(ctx, &overdue); err != nil {
		return "", err
	}
	if !overdue {
		return InvoiceOutcomeSettled, nil
	}
	latestLink()
	email := domain.InvoiceEmailInput{OrganizationID: in.OrganizationID, InvoiceID: in.InvoiceID, PublicURL: in.PublicURL}
	if err := workflow.ExecuteActivity(ctx, ActivitySendInvoiceOverdueEmails, email).Get(ctx, nil); err != nil {
		return "", err
	}
	for _, day := range InvoiceReminderDays {
		wait(in.DueAt.Add(time.Duration(day) * 24 * time.Hour))
		if settled {
			return InvoiceOutcomeSettled, nil
		}
		latestLink()
		email.Day, email.PublicURL = day, in.PublicURL
		var still bool
		if err := workflow.ExecuteActivity(ctx, ActivitySendInvoiceReminder, email).Get(ctx, &still); err != nil {
			return "", err
		}
		if !still {
			return InvoiceOutcomeSettled, nil
		}
	}
	return InvoiceOutcomeReminded, nil
}
