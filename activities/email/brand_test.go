package email_test

import (
	"net/http"
	"net/mail"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
)

func invoiceData() map[string]any {
	return map[string]any{"AppURL": "https://app.clientflow.test", "ClientName": "Zoë", "OrgName": "Acme Agency",
		"Number": "7", "Total": "€1.00", "DueDate": "2026-12-31", "InvoiceURL": "https://app.clientflow.test/client-portal/invoices/t"}
}

// A client-facing email carries its organization's logo and palette while the plan has custom_branding;
// without it, the organization's name but ClientFlow's colours and no logo.
func TestOrganizationBrand(t *testing.T) {
	acme := &domain.Branding{OrganizationID: "0190d6a4-0000-7000-8000-000000000001", Name: "Acme Agency",
		BrandColor: "#ffdd00", LogoKey: "k", LogoType: domain.LogoPNG, LogoHash: "h", CustomBranding: true}
	const logo = "https://app.clientflow.test/api/v1/public/logos/0190d6a4-0000-7000-8000-000000000001/h"

	t.Run("custom_branding_shows_logo_and_accessible_colours", func(t *testing.T) {
		_, html, _, err := email.Renderer{}.ForOrganization(acme, logo).Render(domain.EmailInvoiceAvailable, invoiceData())
		require.NoError(t, err)
		p := domain.DerivePalette("#ffdd00")
		assert.Contains(t, html, `src="`+logo+`"`)
		assert.Contains(t, html, `bgcolor="#ffdd00"`, "header and button in the brand colour")
		assert.Contains(t, html, "color:"+p.OnBrand+";text-decoration:none", "button label readable on yellow")
		assert.Contains(t, html, "color:"+p.BrandText+";word-break", "link text readable on white")
		assert.NotContains(t, html, "#ffffff;text-decoration:none", "no white label on yellow")
		assert.NotContains(t, html, domain.DefaultBrandColor)
	})

	t.Run("plan_without_custom_branding_keeps_the_name_only", func(t *testing.T) {
		b := *acme
		b.CustomBranding = false
		_, html, text, err := email.Renderer{}.ForOrganization(&b, logo).Render(domain.EmailInvoiceAvailable, invoiceData())
		require.NoError(t, err)
		assert.NotContains(t, html, "<img")
		assert.NotContains(t, html, "#ffdd00")
		assert.Contains(t, html, `bgcolor="`+domain.DefaultBrandColor+`"`)
		assert.Contains(t, html, "Acme Agency</span>")
		assert.Contains(t, text, "Acme Agency")
	})

	t.Run("neutral_email_is_unchanged", func(t *testing.T) {
		_, html, _, err := email.Renderer{}.Render(domain.EmailInvoiceAvailable, invoiceData())
		require.NoError(t, err)
		assert.Contains(t, html, `bgcolor="#4f46e5"`)
		assert.Contains(t, html, "ClientFlow</span>")
		assert.Contains(t, html, "color:#ffffff;text-decoration:none")
		assert.NotContains(t, html, "<img")
	})
}

// The sender name changes the From display name only; the address stays the configured one.
func TestFromName(t *testing.T) {
	p := newPeer(t, http.StatusOK, "application/json", `{"id":"x"}`)
	m := welcomeMessage()
	m.FromName = "Acme Agency via ClientFlow"
	_, err := email.NewProvider(resendConfig(p.URL), nil, nil).Send(t.Context(), m)
	require.NoError(t, err)
	assert.Equal(t, `"Acme Agency via ClientFlow" <hello@clientflow.test>`, p.only(t).Body["from"])

	p = newPeer(t, http.StatusOK, "application/json", `{"id":"x"}`)
	m.FromName = "Zoë & Co via ClientFlow"
	_, err = email.NewProvider(resendConfig(p.URL), nil, nil).Send(t.Context(), m)
	require.NoError(t, err)
	from, err := mail.ParseAddress(p.only(t).Body["from"].(string))
	require.NoError(t, err, "a non-ASCII name is encoded, never sent raw")
	assert.Equal(t, &mail.Address{Name: "Zoë & Co via ClientFlow", Address: "hello@clientflow.test"}, from)

	m.FromName = "Acme\r\nBcc: everyone@example.com"
	err = email.NewSender(email.NewProvider(resendConfig(p.URL), nil, nil), nil, nil).SendEmail(t.Context(), m)
	var permanent *email.PermanentError
	assert.ErrorAs(t, err, &permanent, "a line break in the sender name is refused before anything is stored")
}
