package email_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
)

// TestRenderTeamEmails renders each team email with exactly the data its sender passes (the templates
// fail on a missing key), and checks subject, link and escaping.
func TestRenderTeamEmails(t *testing.T) {
	const app = "https://app.clientflow.test"
	for _, tc := range []struct {
		template, subject, says, link string
		data                          map[string]string
	}{
		{domain.EmailInvitation, "Grace invited you to Acme <Studio>", "as member", app + "/invitations/accept?token=t1",
			map[string]string{"OrgName": "Acme <Studio>", "Email": "ada@example.com", "InviterName": "Grace", "Role": "member",
				"ExpiresAt": "4 December 2026, 03:00 UTC", "AcceptURL": app + "/invitations/accept?token=t1", "AppURL": app}},
		{domain.EmailInvitationRevoked, "Your invitation to Acme <Studio> was withdrawn", "has been revoked", "",
			map[string]string{"OrgName": "Acme <Studio>", "Email": "ada@example.com", "AppURL": app}},
		{domain.EmailInvitationExpired, "Invitation to ada@example.com expired", "has expired", app,
			map[string]string{"Name": "Grace", "Email": "ada@example.com", "OrgName": "Acme <Studio>", "AppURL": app}},
		{domain.EmailMemberRoleChanged, "Your role in Acme <Studio> is now manager", "is now manager", app,
			map[string]string{"Name": "Ada", "OrgName": "Acme <Studio>", "Role": "manager", "AppURL": app}},
		{domain.EmailMembershipSuspended, "Your access to Acme <Studio> is suspended", "suspended your membership", "",
			map[string]string{"Name": "Ada", "OrgName": "Acme <Studio>", "Role": "member", "AppURL": app}},
		{domain.EmailMembershipStatusChanged, "Your account status in Acme <Studio> changed", "active again", app,
			map[string]string{"Name": "Ada", "OrgName": "Acme <Studio>", "Role": "member", "AppURL": app}},
	} {
		t.Run(tc.template, func(t *testing.T) {
			subject, html, text, err := email.Renderer{}.Render(tc.template, tc.data)
			require.NoError(t, err)
			assert.Equal(t, tc.subject, subject)
			assert.Contains(t, html, tc.says)
			assert.Contains(t, text, tc.says)
			assert.Contains(t, html, "Acme &lt;Studio&gt;", "names are escaped in HTML")
			assert.NotContains(t, text, "<p")
			if tc.link != "" {
				assert.Contains(t, html, `href="`+tc.link+`"`)
				assert.Contains(t, text, tc.link)
			}
		})
	}
}
