package email_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
)

func TestRenderInvoiceEmails(t *testing.T) {
	data := map[string]string{"OrgName": "Pixel & Co", "ClientName": "Acme <Ltd>", "Number": "42", "Total": "1,234.50 EUR",
		"Balance": "1,000.00 EUR", "DueDate": "2026-03-01", "InvoiceURL": "https://app.test/client-portal/invoices/tok",
		"AppURL": "https://app.test", "Name": "Olga"}
	for _, tc := range []struct{ template, subject, mentions string }{
		{domain.EmailInvoiceAvailable, "Invoice 42 from Pixel & Co", "https://app.test/client-portal/invoices/tok"},
		{domain.EmailInvoiceOverdue, "Invoice 42 to Acme <Ltd> is overdue", "1,000.00 EUR of 1,234.50 EUR is still unpaid"},
		{domain.EmailInvoiceReminder, "Reminder: invoice 42 from Pixel & Co is overdue", "https://app.test/client-portal/invoices/tok"},
	} {
		t.Run(tc.template, func(t *testing.T) {
			subject, html, text, err := email.Renderer{}.Render(tc.template, data)
			require.NoError(t, err)
			assert.Equal(t, tc.subject, subject)
			assert.Contains(t, text, tc.mentions)
			assert.Contains(t, html, "Acme &lt;Ltd&gt;", "client names are escaped in HTML")
		})
	}
}
