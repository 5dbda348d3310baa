package api_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// breakGlassEmails are the break-glass emails the server asked to send, by recipient.
func breakGlassEmails(srv *testServer) map[string][]domain.EmailRequest {
	out := map[string][]domain.EmailRequest{}
	for _, e := range srv.Workflows.Emails() {
		if e.Template == domain.EmailBreakGlassSignIn {
			out[e.To] = append(out[e.To], e)
		}
	}
	return out
}

// TestBreakGlassSignIn: an owner's password gets them past "require SSO" (see TestSSOEnforcement), so every
// password sign-in of an owner is recorded in each organization they own that requires SSO, and its other
// owners and admins are emailed.
func TestBreakGlassSignIn(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withTrustedProxies(loopbackProxy4, loopbackProxy6), withAuthLimit(100), withAPILimit(10000))
	const ip = "203.0.113.44"
	org := mustSSOOrg(t, srv)
	owner := org.owner
	join := func(orgID, name, role string) *browser {
		b := srv.MustSignUp(t, name)
		mustJoin(t, db, orgID, b, role)
		return b
	}
	admin := join(org.orgID, "Ada Admin", domain.RoleAdmin)
	manager := join(org.orgID, "Manny Manager", domain.RoleManager)
	suspended := join(org.orgID, "Sus Admin", domain.RoleAdmin)
	mustExec(t, db, "UPDATE organization_memberships SET status = 'suspended' WHERE organization_id = ? AND user_id = ?",
		org.orgID, suspended.User.ID)
	// A second organization the owner owns that requires SSO, one that does not, and someone else's that
	// requires SSO where the owner is only an admin.
	second := owner.MustCreateOrg(uniqueName("Second SSO Agency")).ID
	secondAdmin := join(second, "Sam Second", domain.RoleAdmin)
	mustRequireSSO(t, owner, second)
	plain := owner.MustCreateOrg(uniqueName("Plain Agency")).ID
	plainAdmin := join(plain, "Pat Plain", domain.RoleAdmin)
	foreign := mustSSOOrg(t, srv)
	mustJoin(t, db, foreign.orgID, owner, domain.RoleAdmin)

	signIn := func(b *browser) *response {
		return srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/auth/sign-in",
			map[string]string{"email": b.User.Email, "password": testPassword},
			header{"X-Forwarded-For", ip}, header{"User-Agent", "BreakGlass/1.0"})
	}
	MustStatus(t, signIn(owner), http.StatusOK)

	t.Run("the_sign_in_is_audited_in_each_organization_the_owner_owns_that_requires_sso", func(t *testing.T) {
		for _, orgID := range []string{org.orgID, second} {
			rows := mustAuditRows(t, owner, orgID, domain.AuditBreakGlassSignIn)
			require.Len(t, rows, 1, orgID)
			r := rows[0]
			require.NotNil(t, r.Actor)
			assert.Equal(t, owner.User.ID, r.Actor.ID)
			assert.Equal(t, "user", r.EntityType)
			assert.Equal(t, owner.User.ID, r.EntityID)
			assert.Equal(t, ip, r.IP)
			assert.Equal(t, "BreakGlass/1.0", r.UserAgent)
			assert.NotEmpty(t, r.Metadata["session_id"])
			assert.Equal(t, "password", r.Metadata["method"])
		}
	})

	t.Run("nothing_is_recorded_where_sso_is_not_required_or_the_owner_is_not_an_owner", func(t *testing.T) {
		assert.Empty(t, mustAuditRows(t, owner, plain, domain.AuditBreakGlassSignIn))
		assert.Empty(t, mustAuditRows(t, foreign.owner, foreign.orgID, domain.AuditBreakGlassSignIn))
	})

	t.Run("the_other_owners_and_admins_are_emailed_and_the_signer_is_not", func(t *testing.T) {
		mail := breakGlassEmails(srv)
		require.Len(t, mail[admin.User.Email], 1)
		e := mail[admin.User.Email][0]
		require.NoError(t, e.Validate())
		assert.Equal(t, owner.User.Name, e.Data["OwnerName"])
		assert.Equal(t, owner.User.Email, e.Data["OwnerEmail"])
		assert.Equal(t, ip, e.Data["IP"])
		assert.Equal(t, "a password", e.Data["Method"])
		assert.NotEmpty(t, e.Data["At"])
		assert.Equal(t, srv.URL+"/orgs/"+org.orgID+"/audit-log", e.Data["AuditLogURL"])
		assert.Equal(t, "Ada Admin", e.Data["Name"])
		require.Len(t, mail[secondAdmin.User.Email], 1)
		assert.Equal(t, srv.URL+"/orgs/"+second+"/audit-log", mail[secondAdmin.User.Email][0].Data["AuditLogURL"])

		for name, b := range map[string]*browser{"signer": owner, "manager": manager, "suspended_admin": suspended,
			"admin_of_an_organization_without_sso": plainAdmin, "owner_of_the_foreign_organization": foreign.owner} {
			assert.Empty(t, mail[b.User.Email], name)
		}
	})

	t.Run("a_member_signing_in_with_a_password_is_no_break_glass", func(t *testing.T) {
		MustStatus(t, signIn(admin), http.StatusOK)
		assert.Len(t, mustAuditRows(t, owner, org.orgID, domain.AuditBreakGlassSignIn), 1)
	})

	t.Run("every_password_sign_in_of_the_owner_is_reported", func(t *testing.T) {
		MustStatus(t, signIn(owner), http.StatusOK)
		assert.Len(t, mustAuditRows(t, owner, org.orgID, domain.AuditBreakGlassSignIn), 2)
		assert.Len(t, breakGlassEmails(srv)[admin.User.Email], 2)
	})
}
