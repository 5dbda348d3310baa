package worker_test

import (
	"context"
	"crypto/sha256"
	"slices"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/workflows"
)

// TestInvoiceOverdueOnDevServer lets a real sent invoice fall due through the real worker, activities (as
// the RLS-bound app role) and database: it turns overdue once, the owner and the client are emailed once,
// and the settled signal ends the workflow before the reminders.
func TestInvoiceOverdueOnDevServer(t *testing.T) {
	dw := mustRunDevWorker(t, "invoice-test", time.Hour)
	ctx := context.Background()
	owner := &domain.User{Name: "Olga Owner", Email: "olga@example.com", PasswordHash: "x"}
	if err := dw.DB.App.CreateUser(ctx, owner); err != nil {
		t.Fatal(err)
	}
	org, err := dw.DB.App.CreateOrganization(ctx, "Due Agency", owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	client := &domain.Client{Name: "Slow Payer", Email: "ap@slow.example"}
	if err := dw.DB.App.CreateClient(ctx, org.ID, owner.ID, client); err != nil {
		t.Fatal(err)
	}
	today := domain.DateOnly(time.Now().UTC())
	inv := &domain.Invoice{ClientID: client.ID, IssueDate: today, DueDate: today,
		Lines: []domain.InvoiceLine{{Description: "Retainer", QuantityMilli: 1000, UnitPrice: 50000}}}
	ownerView := domain.Viewer{UserID: owner.ID, Role: domain.RoleOwner}
	if err := dw.DB.App.CreateInvoice(ctx, org.ID, ownerView, inv); err != nil {
		t.Fatal(err)
	}
	hash := sha256.Sum256([]byte("overdue-token"))
	if _, err := dw.DB.App.SendInvoice(ctx, org.ID, ownerView, inv.ID, hash[:]); err != nil {
		t.Fatal(err)
	}
	// The real due time is tomorrow; two seconds lets the real timer fire during the test.
	watch := domain.InvoiceWatch{OrganizationID: org.ID, InvoiceID: inv.ID, DueAt: time.Now().Add(2 * time.Second),
		PublicURL: "http://app.test/client-portal/invoices/overdue-token"}
	for range 2 {
		if err := dw.Starter.StartInvoiceOverdue(ctx, watch); err != nil {
			t.Fatal(err)
		}
	}

	deadline := time.Now().Add(60 * time.Second)
	var tags []string
	for time.Now().Before(deadline) {
		box, err := dw.DB.App.Mailbox(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		tags = tags[:0]
		for _, m := range box {
			tags = append(tags, m.Tag+" to "+m.To)
		}
		if len(tags) >= 2 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	slices.Sort(tags)
	want := []string{domain.EmailInvoiceOverdue + " to olga@example.com", domain.EmailInvoiceReminder + " to ap@slow.example"}
	if !slices.Equal(tags, want) {
		t.Fatalf("mailbox %v, want %v", tags, want)
	}
	got, err := dw.DB.App.InvoiceAsSystem(ctx, org.ID, inv.ID)
	if err != nil || got.Status != domain.InvoiceOverdue {
		t.Fatalf("invoice %+v %v, want overdue", got, err)
	}
	var overdueEvents int
	if err := dw.DB.Owner.Bun().NewRaw("SELECT count(*) FROM domain_events WHERE entity_id = ? AND type = ?",
		inv.ID, domain.EventInvoiceOverdue).Scan(ctx, &overdueEvents); err != nil || overdueEvents != 1 {
		t.Fatalf("invoice.overdue events = %d (%v), want 1", overdueEvents, err)
	}

	if _, err := dw.DB.App.RecordInvoicePayment(ctx, org.ID, ownerView, inv.ID,
		&domain.InvoicePayment{Amount: 50000, PaidOn: today, Method: "card"}); err != nil {
		t.Fatal(err)
	}
	if err := dw.Starter.InvoiceSettled(ctx, inv.ID); err != nil {
		t.Fatal(err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var outcome string
	if err := dw.Srv.Client().GetWorkflow(ctx, workflows.InvoiceOverdueWorkflowID(inv.ID), "").Get(waitCtx, &outcome); err != nil {
		t.Fatal(err)
	}
	if outcome != workflows.InvoiceOutcomeSettled {
		t.Fatalf("outcome %q, want settled", outcome)
	}
	recordHistory(t, dw.Srv.Client(), workflows.InvoiceOverdueWorkflowID(inv.ID), "", "invoice_overdue")
	desc, err := dw.Srv.Client().DescribeWorkflowExecution(ctx, workflows.InvoiceOverdueWorkflowID(inv.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := desc.WorkflowExecutionInfo.GetSearchAttributes().GetIndexedFields()["OrganizationId"]; !ok {
		t.Fatal("the invoice workflow lacks the OrganizationId search attribute")
	}
}
