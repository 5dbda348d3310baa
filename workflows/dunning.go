package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/domain"
)

// Dunning activity names (activities.Activities).
const (
	// ActivitySendDunningEmail sends step Day of an invoice's dunning, once per invoice and day.
	ActivitySendDunningEmail = "SendDunningEmail"
	// ActivityRestrictForUnpaidInvoice makes the organization read-only unless the invoice was paid.
	ActivityRestrictForUnpaidInvoice = "RestrictForUnpaidInvoice"
)

// Dunning signals: another failed attempt (harmless, the schedule is already running) and the invoice's
// settlement (paid, voided or marked uncollectible: no longer owed).
const (
	SignalPaymentFailed = "payment-failed"
	SignalInvoicePaid   = "invoice-paid"
)

// DunningDays are the days after the first failure on which the owners are emailed (0 = payment failed).
var DunningDays = []int{0, 3, 7, 14}

// DunningGraceDays is how many days after the first failure the organization stays writable.
const DunningGraceDays = 21

// DunningInput starts the dunning of one unpaid Stripe invoice.
type DunningInput struct {
	OrganizationID string
	InvoiceID      string
	AmountDue      int64
	Currency       string
	InvoiceURL     string
	// DayLength is one day of the schedule (24 hours unless a test shortens it).
	DayLength time.Duration
}

// DunningResult says how the dunning ended.
type DunningResult struct {
	EmailsSent int
	Paid       bool
	Restricted bool
}

// Dunning emails the owners on DunningDays after an invoice's payment failed and restricts the organization
// once DunningGraceDays have passed; an invoice-paid signal ends it at any point, including before the day-0
// email when the settlement was delivered first (signal-with-start leaves it waiting in the channel). Each
// email's key is the invoice and day, so a worker that dies mid-dunning and resumes never sends one twice.
func Dunning(ctx workflow.Context, in DunningInput) (DunningResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second, RetryPolicy: emailRetry})
	var res DunningResult
	dayLength := in.DayLength
	if dayLength <= 0 {
		dayLength = 24 * time.Hour
	}
	start := workflow.Now(ctx)
	graceEnds := start.Add(DunningGraceDays * dayLength)
	paid := workflow.GetSignalChannel(ctx, SignalInvoicePaid)
	failed := workflow.GetSignalChannel(ctx, SignalPaymentFailed)
	for _, day := range DunningDays {
		if res.Paid = waitUntilOrPaid(ctx, start.Add(time.Duration(day)*dayLength), paid, failed); res.Paid {
			return res, nil
		}
		step := domain.DunningStep{OrganizationID: in.OrganizationID, InvoiceID: in.InvoiceID, AmountDue: in.AmountDue,
			Currency: in.Currency, InvoiceURL: in.InvoiceURL, Day: day, GraceEndsAt: graceEnds}
		if err := workflow.ExecuteActivity(ctx, ActivitySendDunningEmail, step).Get(ctx, nil); err != nil {
			// A lost reminder must not cancel the rest of the schedule or the restriction.
			workflow.GetLogger(ctx).Error("dunning: email not sent", "invoice_id", in.InvoiceID, "day", day, "error", err)
			continue
		}
		res.EmailsSent++
	}
	if res.Paid = waitUntilOrPaid(ctx, graceEnds, paid, failed); res.Paid {
		return res, nil
	}
	restrictCtx := workflow.WithRetryPolicy(ctx, *stateRetry)
	err := workflow.ExecuteActivity(restrictCtx, ActivityRestrictForUnpaidInvoice, in.OrganizationID, in.InvoiceID).Get(ctx, &res.Restricted)
	return res, err
}

// waitUntilOrPaid sleeps until at and reports whether the invoice-paid signal came first. Further
// payment-failed signals are consumed and change nothing.
func waitUntilOrPaid(ctx workflow.Context, at time.Time, paid, failed workflow.ReceiveChannel) bool {
	if paid.ReceiveAsync(nil) {
		return true
	}
	timerCtx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	timer := workflow.NewTimer(timerCtx, max(at.Sub(workflow.Now(ctx)), time.Millisecond))
	for {
		done, isPaid := false, false
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(timer, func(workflow.Future) { done = true })
		sel.AddReceive(paid, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil); isPaid = true })
		sel.AddReceive(failed, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
		sel.Select(ctx)
		if isPaid || done {
			return isPaid
		}
	}
}
