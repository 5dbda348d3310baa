package activities_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// Client-facing emails (BrandOrg set) are resolved at send time: the organization's logo and colour while
// its plan has custom_branding, its name only without it; staff emails (no BrandOrg) stay ClientFlow's.
func TestBrandedEmails(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	acts := &activities.Activities{DB: db.App, AppURL: "https://app.clientflow.test", SessionSecret: "secret",
		Email: email.NewSender(email.NewProvider(email.Config{}, nil, logger), activities.Outbox{DB: db.App}, logger)}
	owner := &domain.User{Name: "Olga", Email: "olga-" + uuid.NewString()[:8] + "@example.com", PasswordHash: "x"}
	require.NoError(t, db.App.CreateUser(ctx, owner))
	org, err := db.App.CreateOrganization(ctx, "Acme Agency", owner.ID)
	require.NoError(t, err)
	_, err = db.App.UpdateOrganizationSettings(ctx, org.ID, owner.ID, func(s *domain.OrganizationSettings) error {
		s.BrandColor, s.SenderName = "#0f766e", "Acme Studio"
		return nil
	})
	require.NoError(t, err)
	hash := strings.Repeat("ab", 32)
	_, err = db.App.SetOrganizationLogo(ctx, org.ID, owner.ID, org.ID+"/logo-1.png", domain.LogoPNG, hash)
	require.NoError(t, err)
	logoURL := "https://app.clientflow.test/api/v1/public/logos/" + org.ID + "/" + hash

	raw, err := sql.Open("pgx", db.URL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = raw.Close() })
	setPlan := func(plan string) {
		t.Helper()
		_, err := raw.ExecContext(ctx, `INSERT INTO subscriptions (organization_id, plan_id, status) VALUES ($1, $2, 'active')
			ON CONFLICT (organization_id) DO UPDATE SET plan_id = EXCLUDED.plan_id`, org.ID, plan)
		require.NoError(t, err)
	}
	sent := func(req domain.EmailRequest) string {
		t.Helper()
		require.NoError(t, acts.SendTemplatedEmail(ctx, req))
		var html string
		require.NoError(t, raw.QueryRowContext(ctx, "SELECT html FROM email_outbox WHERE idempotency_key = $1", req.Key).Scan(&html))
		return html
	}
	invoice := func(key, brandOrg string) domain.EmailRequest {
		return domain.EmailRequest{Key: key, To: "client@example.com", Template: domain.EmailInvoiceAvailable, BrandOrg: brandOrg,
			Data: map[string]string{"OrgName": "Acme Agency", "ClientName": "Zoë", "Number": "7", "Total": "€1.00",
				"DueDate": "2026-12-31", "InvoiceURL": "https://app.clientflow.test/client-portal/invoices/t"}}
	}

	setPlan("professional")
	html := sent(invoice("brand-test/professional", org.ID))
	assert.Contains(t, html, `src="`+logoURL+`"`, "the organization's logo")
	assert.Contains(t, html, `bgcolor="#0f766e"`, "the organization's colour")
	assert.NotContains(t, html, `bgcolor="`+domain.DefaultBrandColor+`"`)

	staff := sent(invoice("brand-test/staff", ""))
	assert.NotContains(t, staff, logoURL)
	assert.NotContains(t, staff, "#0f766e")
	assert.Contains(t, staff, "ClientFlow</span>")
	assert.Contains(t, staff, `bgcolor="`+domain.DefaultBrandColor+`"`)

	setPlan("starter")
	starter := sent(invoice("brand-test/starter", org.ID))
	assert.NotContains(t, starter, "<img", "no logo without custom_branding")
	assert.NotContains(t, starter, "#0f766e", "ClientFlow's colours without custom_branding")
	assert.Contains(t, starter, "Acme Agency</span>", "still the organization's name")

	// The key is the idempotency key whatever the brand: the same request is not sent twice.
	setPlan("professional")
	require.NoError(t, acts.SendTemplatedEmail(ctx, invoice("brand-test/starter", org.ID)))
	var count int
	require.NoError(t, raw.QueryRowContext(ctx, "SELECT count(*) FROM email_outbox WHERE idempotency_key = 'brand-test/starter'").Scan(&count))
	assert.Equal(t, 1, count)

	b, err := db.App.OrganizationBranding(ctx, org.ID)
	require.NoError(t, err)
	assert.Equal(t, "Acme Studio via ClientFlow", b.FromName())
}
