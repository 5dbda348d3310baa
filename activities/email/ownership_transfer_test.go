package email_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
)

func TestRenderOwnershipTransfer(t *testing.T) {
	data := func(role string) map[string]string {
		return map[string]string{"Name": "Ada", "OrgName": "Acme <Studio>", "PreviousOwnerName": "Ada",
			"NewOwnerName": "Grace", "NewRole": role, "OrgURL": "https://app.clientflow.test/orgs/o1", "AppURL": "https://app.clientflow.test"}
	}
	for _, tc := range []struct{ role, says string }{
		{"owner", "You are now the owner"},
		{"admin", "You are now an admin"},
	} {
		t.Run("tells_the_"+tc.role+"_their_new_role_in_both_parts", func(t *testing.T) {
			subject, html, text, err := email.Renderer{}.Render(domain.EmailOwnershipTransfer, data(tc.role))
			require.NoError(t, err)
			assert.Equal(t, "Acme <Studio> has a new owner: Grace", subject)
			assert.Contains(t, html, tc.says)
			assert.Contains(t, text, tc.says)
			assert.Contains(t, html, "Acme &lt;Studio&gt;", "names are escaped in HTML")
			assert.Contains(t, html, `href="https://app.clientflow.test/orgs/o1"`)
			assert.Contains(t, text, "https://app.clientflow.test/orgs/o1")
			assert.NotContains(t, text, "<p")
		})
	}
}
