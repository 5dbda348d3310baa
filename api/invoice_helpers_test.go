package api_test

import (
	"context"

	"github.com/clientflow/clientflow/domain"
)

// StartInvoiceOverdue implements api.Workflows by remembering the watch; the workflow itself is covered
// by the workflows tests.
func (w *recordingWorkflows) StartInvoiceOverdue(_ context.Context, watch domain.InvoiceWatch) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.invoiceWatches = append(w.invoiceWatches, watch)
	return nil
}

// InvoiceSettled implements api.Workflows by remembering the invoice.
func (w *recordingWorkflows) InvoiceSettled(_ context.Context, invoiceID string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.settledInvoices = append(w.settledInvoices, invoiceID)
	return nil
}

// InvoiceLinkReplaced implements api.Workflows by remembering the invoice and its new link.
func (w *recordingWorkflows) InvoiceLinkReplaced(_ context.Context, invoiceID, link string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.replacedLinks = append(w.replacedLinks, invoiceID+" "+link)
	return nil
}

// ReplacedLinks returns the new links handed to overdue workflows, as "<invoice id> <link>", in order.
func (w *recordingWorkflows) ReplacedLinks() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.replacedLinks...)
}

// InvoiceWatches returns the overdue workflows the API started, in order.
func (w *recordingWorkflows) InvoiceWatches() []domain.InvoiceWatch {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]domain.InvoiceWatch(nil), w.invoiceWatches...)
}

// SettledInvoices returns the invoices whose overdue workflow the API ended, in order.
func (w *recordingWorkflows) SettledInvoices() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.settledInvoices...)
}
