package workflows_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/workflows"
)

// fakeInvoice stands in for the invoice activities: status is the invoice's, sent records each email step
// with the (skipped) time it ran.
type fakeInvoice struct {
	env    *testsuite.TestWorkflowEnvironment
	start  time.Time
	status string
	sent   []string
	// links are the client links the emails carried, in order.
	links []string
}

func (f *fakeInvoice) day() int { return int(f.env.Now().Sub(f.start) / (24 * time.Hour)) }

func (f *fakeInvoice) register() {
	f.env.RegisterActivityWithOptions(func(ctx context.Context, orgID, invoiceID string) (bool, error) {
		if f.status == domain.InvoiceSent {
			f.status = domain.InvoiceOverdue
		}
		return f.status == domain.InvoiceOverdue, nil
	}, activity.RegisterOptions{Name: workflows.ActivityMarkInvoiceOverdue})
	f.env.RegisterActivityWithOptions(func(ctx context.Context, in domain.InvoiceEmailInput) error {
		f.sent = append(f.sent, fmt.Sprintf("overdue@%d", f.day()))
		f.links = append(f.links, in.PublicURL)
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivitySendInvoiceOverdueEmails})
	f.env.RegisterActivityWithOptions(func(ctx context.Context, in domain.InvoiceEmailInput) (bool, error) {
		if f.status != domain.InvoiceOverdue {
			return false, nil
		}
		f.sent = append(f.sent, fmt.Sprintf("reminder%d@%d", in.Day, f.day()))
		f.links = append(f.links, in.PublicURL)
		return true, nil
	}, activity.RegisterOptions{Name: workflows.ActivitySendInvoiceReminder})
}

func TestInvoiceOverdue(t *testing.T) {
	tenDays := 10 * 24 * time.Hour

	// run executes the workflow for an invoice due ten days after start; at is called at each offset.
	run := func(t *testing.T, at map[time.Duration]func(f *fakeInvoice)) (*fakeInvoice, string) {
		t.Helper()
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeInvoice{env: env, status: domain.InvoiceSent}
		f.register()
		for after, fn := range at {
			env.RegisterDelayedCallback(func() { fn(f) }, after)
		}
		f.start = env.Now()
		env.ExecuteWorkflow(workflows.InvoiceOverdue, workflows.InvoiceOverdueInput{OrganizationID: "org", InvoiceID: "inv",
			DueAt: env.Now().Add(tenDays), PublicURL: "https://app.example/client-portal/invoices/t"})
		if !env.IsWorkflowCompleted() {
			t.Fatal("workflow did not complete")
		}
		var outcome string
		if err := env.GetWorkflowResult(&outcome); err != nil {
			t.Fatal(err)
		}
		return f, outcome
	}

	t.Run("a_replaced_link_is_the_one_later_emails_carry", func(t *testing.T) {
		day := 24 * time.Hour
		link := func(token string) func(f *fakeInvoice) {
			return func(f *fakeInvoice) {
				f.env.SignalWorkflow(workflows.SignalInvoiceLink, "https://app.example/client-portal/invoices/"+token)
			}
		}
		f, outcome := run(t, map[time.Duration]func(f *fakeInvoice){5 * day: link("t2"), 12 * day: link("t3")})
		want := []string{"https://app.example/client-portal/invoices/t2", "https://app.example/client-portal/invoices/t3",
			"https://app.example/client-portal/invoices/t3"}
		if outcome != workflows.InvoiceOutcomeReminded || !slices.Equal(f.links, want) || len(f.sent) != 3 {
			t.Fatalf("outcome %q, sent %v with links %v; want reminded, three emails with %v", outcome, f.sent, f.links, want)
		}
	})

	t.Run("unpaid_invoice_turns_overdue_at_the_due_time_then_reminds_at_7_and_14_days", func(t *testing.T) {
		f, outcome := run(t, nil)
		want := []string{"overdue@10", "reminder7@17", "reminder14@24"}
		if outcome != workflows.InvoiceOutcomeReminded || !slices.Equal(f.sent, want) || f.status != domain.InvoiceOverdue {
			t.Fatalf("outcome %q, sent %v, status %s; want reminded, %v, overdue", outcome, f.sent, f.status, want)
		}
	})

	t.Run("settled_signal_before_the_due_date_sends_nothing", func(t *testing.T) {
		f, outcome := run(t, map[time.Duration]func(*fakeInvoice){
			3 * 24 * time.Hour: func(f *fakeInvoice) {
				f.status = domain.InvoicePaid
				f.env.SignalWorkflow(workflows.SignalInvoiceSettled, nil)
			},
		})
		if outcome != workflows.InvoiceOutcomeSettled || len(f.sent) != 0 || f.status != domain.InvoicePaid {
			t.Fatalf("outcome %q, sent %v, status %s", outcome, f.sent, f.status)
		}
	})

	t.Run("payment_after_overdue_stops_the_reminders_even_without_a_signal", func(t *testing.T) {
		f, outcome := run(t, map[time.Duration]func(*fakeInvoice){
			12 * 24 * time.Hour: func(f *fakeInvoice) { f.status = domain.InvoicePaid },
		})
		if outcome != workflows.InvoiceOutcomeSettled || !slices.Equal(f.sent, []string{"overdue@10"}) {
			t.Fatalf("outcome %q, sent %v", outcome, f.sent)
		}
	})

	t.Run("voided_before_the_timer_fires_is_never_marked_overdue", func(t *testing.T) {
		f, outcome := run(t, map[time.Duration]func(*fakeInvoice){
			5 * 24 * time.Hour: func(f *fakeInvoice) { f.status = domain.InvoiceVoid },
		})
		if outcome != workflows.InvoiceOutcomeSettled || len(f.sent) != 0 || f.status != domain.InvoiceVoid {
			t.Fatalf("outcome %q, sent %v, status %s", outcome, f.sent, f.status)
		}
	})

	t.Run("settled_signal_between_reminders_ends_it", func(t *testing.T) {
		f, outcome := run(t, map[time.Duration]func(*fakeInvoice){
			20 * 24 * time.Hour: func(f *fakeInvoice) { f.env.SignalWorkflow(workflows.SignalInvoiceSettled, nil) },
		})
		if outcome != workflows.InvoiceOutcomeSettled || !slices.Equal(f.sent, []string{"overdue@10", "reminder7@17"}) {
			t.Fatalf("outcome %q, sent %v", outcome, f.sent)
		}
	})
}
