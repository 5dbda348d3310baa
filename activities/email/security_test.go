package email_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
)

func TestRenderAccountSecurity(t *testing.T) {
	for _, tc := range []struct {
		name, subject string
		data          map[string]string
		mentions      []string
	}{
		{domain.EmailPasswordReset, "Reset your ClientFlow password",
			map[string]string{"Name": "Ada <b>", "ResetURL": "https://app.test/reset-password?token=tok_1"},
			[]string{"https://app.test/reset-password?token=tok_1", "works once, for one hour"}},
		{domain.EmailSuspiciousLogin, "New sign-in to your ClientFlow account from Firefox on Linux",
			map[string]string{"Name": "Ada <b>", "Time": "Fri 27 Nov 2026 03:10 UTC", "IP": "203.0.113.9",
				"Device": "Firefox on Linux", "SessionsURL": "https://app.test/account/security"},
			[]string{"Fri 27 Nov 2026 03:10 UTC", "203.0.113.9", "https://app.test/account/security"}},
		{domain.EmailBreakGlassSignIn, "Olga Owner signed in to Acme without SSO",
			map[string]string{"Name": "Ada <b>", "OrgName": "Acme", "OwnerName": "Olga Owner", "OwnerEmail": "olga@acme.test",
				"Method": "a password",
				"At":     "Mon 7 Dec 2026 17:10 UTC", "IP": "203.0.113.44", "AuditLogURL": "https://app.test/orgs/o1/audit-log"},
			[]string{"olga@acme.test", "with a password", "Mon 7 Dec 2026 17:10 UTC", "203.0.113.44", "https://app.test/orgs/o1/audit-log"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subject, html, text, err := email.Renderer{}.Render(tc.name, tc.data)
			require.NoError(t, err)
			assert.Equal(t, tc.subject, subject)
			for _, m := range tc.mentions {
				assert.Contains(t, html, m, "html part")
				assert.Contains(t, text, m, "text part")
			}
			assert.Contains(t, html, "Ada &lt;b&gt;", "the name is escaped in html")
			assert.Contains(t, text, "Hi Ada <b>,")
		})
		t.Run(tc.name+"/data_missing_a_field_is_an_error", func(t *testing.T) {
			_, _, _, err := email.Renderer{}.Render(tc.name, map[string]string{"Name": "Ada"})
			assert.Error(t, err)
		})
	}
}
