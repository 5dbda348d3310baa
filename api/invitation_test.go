package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// invitationJSON is an invitation as the API shows it to the organization.
type invitationJSON struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	Status    string    `json:"status"`
	InvitedBy string    `json:"invited_by"`
	ExpiresAt time.Time `json:"expires_at"`
}

// previewJSON is the public preview of an invitation.
type previewJSON struct {
	OrganizationName string `json:"organization_name"`
	InviterName      string `json:"inviter_name"`
	Email            string `json:"email"`
	Role             string `json:"role"`
	Status           string `json:"status"`
}

// signUpAs creates an account with a chosen address, as someone following an invitation link would.
func signUpAs(t *testing.T, srv *testServer, name, addr string) *browser {
	t.Helper()
	b := srv.NewBrowser(t)
	res := b.Do(http.MethodPost, "/api/v1/auth/sign-up", map[string]string{"name": name, "email": addr, "password": testPassword})
	MustStatus(t, res, http.StatusCreated)
	var body struct{ User userJSON }
	res.MustJSON(t, &body)
	b.User = body.User
	return b
}

// mustInvite invites addr to orgID with role and returns the invitation and the token from its email.
func mustInvite(t *testing.T, b *browser, orgID, addr, role string) (invitationJSON, string) {
	t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/invitations", map[string]string{"email": addr, "role": role})
	MustStatus(t, res, http.StatusCreated)
	var inv invitationJSON
	res.MustJSON(t, &inv)
	return inv, lastInvitationToken(t, b.srv.Workflows, inv.Email)
}

// lastInvitationToken reads the token from the accept link of the newest invitation email to addr.
func lastInvitationToken(t *testing.T, w *recordingWorkflows, addr string) string {
	t.Helper()
	token := ""
	for _, e := range w.Emails() {
		if e.To == addr && e.Template == "invitation" {
			u, err := url.Parse(e.Data["AcceptURL"])
			require.NoError(t, err)
			require.Equal(t, "/invitations/accept", u.Path)
			token = u.Query().Get("token")
		}
	}
	require.NotEmpty(t, token, "no invitation email to %s", addr)
	return token
}

func accept(b *browser, token string) *response {
	return b.Do(http.MethodPost, "/api/v1/invitations/accept", map[string]string{"token": token})
}

// invitingOwner is a verified owner of a fresh organization on a fresh server.
func invitingOwner(t *testing.T, db *storetest.DB) (*testServer, *browser, orgJSON) {
	t.Helper()
	srv := MustStart(t, db)
	owner := srv.MustSignUp(t, "Olga Owner")
	mustVerify(t, db, owner)
	return srv, owner, owner.MustCreateOrg(uniqueName("Inviting Agency"))
}

func TestInvitations(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("unverified_inviter_is_refused_with_a_clear_message", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Unverified")
		org := owner.MustCreateOrg(uniqueName("Unverified Agency"))
		res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/invitations", map[string]string{"email": uniqueEmail(), "role": "member"})
		p := MustProblem(t, res, http.StatusForbidden, "forbidden")
		assert.Contains(t, p.Detail, "Verify your email")
		assert.Empty(t, srv.Workflows.Emails())
	})

	t.Run("invite_emails_a_link_starts_the_timer_and_previews_publicly", func(t *testing.T) {
		srv, owner, org := invitingOwner(t, db)
		addr := uniqueEmail()
		inv, token := mustInvite(t, owner, org.ID, strings.ToUpper(addr), "member")
		assert.Equal(t, addr, inv.Email, "addresses are stored lower-cased")
		assert.Equal(t, "pending", inv.Status)
		assert.WithinDuration(t, time.Now().Add(7*24*time.Hour), inv.ExpiresAt, time.Minute)
		assert.Equal(t, []string{"started/" + inv.ID}, srv.Workflows.InvitationSignals())

		res := srv.NewBrowser(t).Do(http.MethodGet, "/api/v1/invitations/"+token, nil)
		MustStatus(t, res, http.StatusOK)
		var pv previewJSON
		res.MustJSON(t, &pv)
		assert.Equal(t, previewJSON{OrganizationName: org.Name, InviterName: "Olga Owner", Email: addr, Role: "member", Status: "pending"}, pv)

		res = owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/invitations", nil)
		MustStatus(t, res, http.StatusOK)
		var list struct{ Data []invitationJSON }
		res.MustJSON(t, &list)
		require.Len(t, list.Data, 1)
		assert.Equal(t, inv.ID, list.Data[0].ID)
		var stored []byte
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT token_hash FROM organization_invitations WHERE id = ?", inv.ID).
			Scan(context.Background(), &stored))
		assert.NotContains(t, string(stored), token, "only a hash of the token is stored")
	})

	t.Run("bad_invitations", func(t *testing.T) {
		srv, owner, org := invitingOwner(t, db)
		colleague := srv.MustSignUp(t, "Colleague")
		mustJoin(t, db, org.ID, colleague, "member")
		pending := uniqueEmail()
		mustInvite(t, owner, org.ID, pending, "member")
		base := "/api/v1/orgs/" + org.ID + "/invitations"
		for _, tc := range []struct {
			name   string
			body   map[string]string
			status int
			code   string
		}{
			{"already_a_member", map[string]string{"email": colleague.User.Email, "role": "admin"}, 409, "conflict"},
			{"already_pending", map[string]string{"email": pending, "role": "admin"}, 409, "conflict"},
			{"not_an_address", map[string]string{"email": "nobody", "role": "member"}, 422, "validation_failed"},
			{"owner_role", map[string]string{"email": uniqueEmail(), "role": "owner"}, 422, "validation_failed"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := MustSnapshotOrg(t, db, org.ID)
				MustProblem(t, owner.Do(http.MethodPost, base, tc.body), tc.status, tc.code)
				assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID))
			})
		}
		MustProblem(t, colleague.Do(http.MethodPost, base, map[string]string{"email": uniqueEmail(), "role": "member"}),
			http.StatusForbidden, "forbidden")
	})

	t.Run("new_user_signs_up_with_the_invited_address_and_accepting_verifies_it", func(t *testing.T) {
		srv, owner, org := invitingOwner(t, db)
		addr := uniqueEmail()
		inv, token := mustInvite(t, owner, org.ID, addr, "manager")
		newcomer := signUpAs(t, srv, "Nina Newcomer", addr)
		require.False(t, newcomer.User.EmailVerified)

		res := accept(newcomer, token)
		MustStatus(t, res, http.StatusOK)
		var body struct {
			OrganizationID string `json:"organization_id"`
			Role           string `json:"role"`
			EmailVerified  bool   `json:"email_verified"`
		}
		res.MustJSON(t, &body)
		assert.Equal(t, org.ID, body.OrganizationID)
		assert.Equal(t, "manager", body.Role)
		assert.True(t, body.EmailVerified)
		assert.Equal(t, "manager", mustMemberOf(t, owner, org.ID, newcomer).Role)
		MustStatus(t, newcomer.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil), http.StatusOK)
		assert.Contains(t, srv.Workflows.InvitationSignals(), "accepted/"+inv.ID)

		MustProblem(t, accept(newcomer, token), http.StatusGone, "invitation_unusable")
		res = srv.NewBrowser(t).Do(http.MethodGet, "/api/v1/invitations/"+token, nil)
		var pv previewJSON
		res.MustJSON(t, &pv)
		assert.Equal(t, "accepted", pv.Status)
	})

	t.Run("another_address_cannot_accept", func(t *testing.T) {
		srv, owner, org := invitingOwner(t, db)
		_, token := mustInvite(t, owner, org.ID, uniqueEmail(), "admin")
		stranger := srv.MustSignUp(t, "Stranger")
		before := MustSnapshotOrg(t, db, org.ID)
		p := MustProblem(t, accept(stranger, token), http.StatusForbidden, "forbidden")
		assert.Contains(t, p.Detail, "sign in with that address")
		assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID))
	})

	t.Run("unknown_token_is_not_found_and_signed_out_accept_is_unauthenticated", func(t *testing.T) {
		srv := MustStart(t, db)
		anon := srv.NewBrowser(t)
		MustProblem(t, anon.Do(http.MethodGet, "/api/v1/invitations/no-such-token", nil), http.StatusNotFound, "not_found")
		MustProblem(t, accept(anon, "no-such-token"), http.StatusUnauthorized, "unauthenticated")
		MustProblem(t, accept(srv.MustSignUp(t, "Someone"), "no-such-token"), http.StatusNotFound, "not_found")
	})

	t.Run("revoked_invitation_is_gone_and_the_invitee_is_told", func(t *testing.T) {
		srv, owner, org := invitingOwner(t, db)
		addr := uniqueEmail()
		inv, token := mustInvite(t, owner, org.ID, addr, "member")
		path := "/api/v1/orgs/" + org.ID + "/invitations/" + inv.ID
		MustStatus(t, owner.Do(http.MethodDelete, path, nil), http.StatusNoContent)
		assert.Contains(t, srv.Workflows.InvitationSignals(), "revoked/"+inv.ID)
		assert.Equal(t, []string{"invitation", "invitation_revoked"}, emailsTo(srv.Workflows, addr))
		MustProblem(t, owner.Do(http.MethodDelete, path, nil), http.StatusGone, "invitation_unusable")
		MustProblem(t, accept(signUpAs(t, srv, "Late", addr), token), http.StatusGone, "invitation_unusable")
		// A revoked invitation frees the address for a new one.
		mustInvite(t, owner, org.ID, addr, "member")
	})

	t.Run("expired_invitation_is_gone", func(t *testing.T) {
		srv, owner, org := invitingOwner(t, db)
		addr := uniqueEmail()
		inv, token := mustInvite(t, owner, org.ID, addr, "member")
		_, err := db.Owner.Bun().ExecContext(context.Background(),
			"UPDATE organization_invitations SET expires_at = now() - interval '1 minute' WHERE id = ?", inv.ID)
		require.NoError(t, err)
		MustProblem(t, accept(signUpAs(t, srv, "Late", addr), token), http.StatusGone, "invitation_unusable")
		MustProblem(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/invitations/"+inv.ID+"/resend", nil),
			http.StatusGone, "invitation_unusable")
	})

	t.Run("resend_replaces_the_link_and_keeps_the_expiry", func(t *testing.T) {
		srv, owner, org := invitingOwner(t, db)
		addr := uniqueEmail()
		inv, oldToken := mustInvite(t, owner, org.ID, addr, "member")
		res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/invitations/"+inv.ID+"/resend", nil)
		MustStatus(t, res, http.StatusOK)
		var again invitationJSON
		res.MustJSON(t, &again)
		assert.True(t, inv.ExpiresAt.Equal(again.ExpiresAt), "expiry %v changed to %v", inv.ExpiresAt, again.ExpiresAt)
		newToken := lastInvitationToken(t, srv.Workflows, addr)
		require.NotEqual(t, oldToken, newToken)
		invitee := signUpAs(t, srv, "Invitee", addr)
		MustProblem(t, accept(invitee, oldToken), http.StatusNotFound, "not_found")
		MustStatus(t, accept(invitee, newToken), http.StatusOK)
	})
}
