package email_test

import (
	"strings"
	"testing"

	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
)

// TestBillingTemplates renders every billing email with exactly the data its sender passes (templates fail on
// a missing key), and checks the subject and both parts carry the facts.
func TestBillingTemplates(t *testing.T) {
	common := map[string]string{"Name": "Ada", "OrgName": "Acme Agency", "BillingURL": "https://app.test/orgs/1/billing",
		"AppURL": "https://app.test"}
	for _, tc := range []struct {
		template string
		data     map[string]string
		want     string
	}{
		{domain.EmailSubscriptionChanged, map[string]string{"PlanName": "Starter", "Status": "active"}, "Starter"},
		{domain.EmailUpgradeRequest, map[string]string{"RequesterName": "Bob", "RequesterEmail": "bob@acme.test",
			"PlanName": "Starter", "Message": "More clients please"}, "Bob"},
		{domain.EmailUsageWarning, map[string]string{"Metric": "clients", "Usage": "16", "Limit": "20", "Percent": "80",
			"Plan": "starter"}, "80%"},
		{domain.EmailQuotaReached, map[string]string{"Metric": "clients", "Usage": "20", "Limit": "20", "Percent": "100",
			"Plan": "starter"}, "clients"},
		{domain.EmailTrialEnding, map[string]string{"TrialEndsAt": "11 December 2026"}, "11 December 2026"},
		{domain.EmailSubscriptionRestricted, map[string]string{"Reason": "its trial ended without a paid plan"}, "read-only"},
		{domain.EmailPaymentFailed, map[string]string{"Amount": "USD 19.00", "Day": "0", "GraceEndsAt": "1 May 2026"}, "USD 19.00"},
		{domain.EmailPaymentReminder, map[string]string{"Amount": "USD 19.00", "Day": "7", "GraceEndsAt": "1 May 2026"}, "day 7"},
		{domain.EmailPaymentMethodExpiring, map[string]string{"CardBrand": "visa", "CardLast4": "4242", "CardExpires": "5/2027"}, "4242"},
		{domain.EmailPaymentMethodChanged, map[string]string{"Change": "attached", "CardBrand": "visa", "CardLast4": "4242"}, "attached"},
		{domain.EmailSubscriptionInvoiceAvailable, map[string]string{"Amount": "USD 19.00",
			"InvoiceURL": "https://invoice.stripe.test/i"}, "USD 19.00"},
	} {
		t.Run(tc.template, func(t *testing.T) {
			data := map[string]string{}
			for k, v := range common {
				data[k] = v
			}
			for k, v := range tc.data {
				data[k] = v
			}
			subject, html, text, err := email.Renderer{}.Render(tc.template, data)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(subject, "Acme Agency") && !strings.Contains(subject, tc.data["RequesterName"]) &&
				!strings.Contains(subject, tc.data["TrialEndsAt"]) {
				t.Errorf("subject %q names neither the organization nor the fact", subject)
			}
			for part, body := range map[string]string{"html": html, "text": text} {
				if !strings.Contains(body, tc.want) || !strings.Contains(body, "https://app.test/orgs/1/billing") {
					t.Errorf("%s part lacks %q or the billing link:\n%s", part, tc.want, body)
				}
			}
		})
	}
}
