package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// memberJSON is a member as the API lists them.
type memberJSON struct {
	ID       string    `json:"id"`
	UserID   string    `json:"user_id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Initials string    `json:"initials"`
	Role     string    `json:"role"`
	Status   string    `json:"status"`
	JoinedAt time.Time `json:"joined_at"`
}

// mustMembers lists orgID's members as b sees them.
func mustMembers(t *testing.T, b *browser, orgID string) []memberJSON {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+orgID+"/members", nil)
	MustStatus(t, res, http.StatusOK)
	var body struct{ Data []memberJSON }
	res.MustJSON(t, &body)
	return body.Data
}

// mustMemberOf returns the membership of user in orgID, as the owner sees it.
func mustMemberOf(t *testing.T, owner *browser, orgID string, user *browser) memberJSON {
	t.Helper()
	for _, m := range mustMembers(t, owner, orgID) {
		if m.UserID == user.User.ID {
			return m
		}
	}
	t.Fatalf("%s is no member of %s", user.User.Email, orgID)
	return memberJSON{}
}

// mustVerify marks b's address verified, as following the welcome email's link would.
func mustVerify(t *testing.T, db *storetest.DB, b *browser) {
	t.Helper()
	_, err := db.Owner.Bun().ExecContext(context.Background(), "UPDATE users SET email_verified_at = now() WHERE id = ?", b.User.ID)
	require.NoError(t, err)
}

// emailsTo returns the templates of the emails the API asked to send to addr, in order.
func emailsTo(w *recordingWorkflows, addr string) []string {
	var out []string
	for _, e := range w.Emails() {
		if e.To == addr {
			out = append(out, e.Template)
		}
	}
	return out
}

// teamFixture is an organization with an owner, an admin and a member, all on one fresh server.
type teamFixture struct {
	srv                  *testServer
	org                  orgJSON
	owner, admin, member *browser
}

func newTeam(t *testing.T, db *storetest.DB) teamFixture {
	t.Helper()
	srv := MustStart(t, db)
	f := teamFixture{srv: srv, owner: srv.MustSignUp(t, "Olga Owner"), admin: srv.MustSignUp(t, "Adam Admin"),
		member: srv.MustSignUp(t, "Mia Member")}
	f.org = f.owner.MustCreateOrg(uniqueName("Team Agency"))
	mustJoin(t, db, f.org.ID, f.admin, "admin")
	mustJoin(t, db, f.org.ID, f.member, "member")
	return f
}

// path is the member route of b's membership followed by suffix.
func (f teamFixture) path(t *testing.T, b *browser, suffix string) string {
	t.Helper()
	return "/api/v1/orgs/" + f.org.ID + "/members/" + mustMemberOf(t, f.owner, f.org.ID, b).ID + suffix
}

func TestMembers(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("list_shows_every_member_with_initials_role_and_status", func(t *testing.T) {
		f := newTeam(t, db)
		ms := mustMembers(t, f.member, f.org.ID)
		require.Len(t, ms, 3)
		assert.Equal(t, "Olga Owner", ms[0].Name)
		assert.Equal(t, "OO", ms[0].Initials)
		assert.Equal(t, "owner", ms[0].Role)
		assert.Equal(t, f.member.User.Email, ms[2].Email)
		assert.Equal(t, "member", ms[2].Role)
		assert.Equal(t, "active", ms[2].Status)
		assert.False(t, ms[2].JoinedAt.IsZero())
	})

	t.Run("owner_changes_a_role_and_the_member_is_told", func(t *testing.T) {
		f := newTeam(t, db)
		res := f.owner.Do(http.MethodPut, f.path(t, f.member, "/role"), map[string]string{"role": "manager"})
		MustStatus(t, res, http.StatusOK)
		var m memberJSON
		res.MustJSON(t, &m)
		assert.Equal(t, "manager", m.Role)
		// The new role applies on the member's very next request: managers may delete clients.
		c := f.owner.MustCreateClient(f.org.ID, map[string]any{"name": "Deletable"})
		MustStatus(t, f.member.Do(http.MethodDelete, "/api/v1/orgs/"+f.org.ID+"/clients/"+c.ID, nil), http.StatusNoContent)
		assert.Equal(t, []string{"member_role_changed"}, emailsTo(f.srv.Workflows, f.member.User.Email))
	})

	t.Run("role_change_refusals", func(t *testing.T) {
		f := newTeam(t, db)
		cases := []struct {
			name   string
			by     *browser
			target *browser
			role   string
			status int
			code   string
		}{
			{"nobody_is_promoted_to_owner", f.owner, f.member, "owner", 422, "validation_failed"},
			{"unknown_role", f.owner, f.member, "superuser", 422, "validation_failed"},
			{"admin_cannot_change_the_owner", f.admin, f.owner, "member", 403, "forbidden"},
			{"nobody_changes_their_own_role", f.admin, f.admin, "manager", 403, "forbidden"},
			{"member_lacks_members_manage", f.member, f.admin, "member", 403, "forbidden"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := MustSnapshotOrg(t, db, f.org.ID)
				res := tc.by.Do(http.MethodPut, f.path(t, tc.target, "/role"), map[string]string{"role": tc.role})
				MustProblem(t, res, tc.status, tc.code)
				assert.Equal(t, before, MustSnapshotOrg(t, db, f.org.ID))
			})
		}
		MustProblem(t, f.owner.Do(http.MethodPut, "/api/v1/orgs/"+f.org.ID+"/members/"+f.org.ID+"/role",
			map[string]string{"role": "member"}), http.StatusNotFound, "not_found")
		MustProblem(t, f.owner.Do(http.MethodPut, "/api/v1/orgs/"+f.org.ID+"/members/not-a-uuid/role",
			map[string]string{"role": "member"}), http.StatusNotFound, "not_found")
		assert.Empty(t, f.srv.Workflows.Emails(), "a refused change emails nobody")
	})

	t.Run("members_manage_alone_hands_out_no_stronger_role", func(t *testing.T) {
		f := newTeam(t, db)
		// The owner lets managers run the team; a manager still lacks most of what an admin holds.
		MustStatus(t, f.owner.Do(http.MethodPut, "/api/v1/orgs/"+f.org.ID+"/roles/manager",
			map[string]any{"permissions": append(domain.DefaultRolePermissions("manager"), domain.PermMembersManage)}), http.StatusOK)
		lead := f.srv.MustSignUp(t, "Lea Lead")
		mustJoin(t, db, f.org.ID, lead, "manager")
		mustVerify(t, db, lead)
		before := MustSnapshotOrg(t, db, f.org.ID)

		MustProblem(t, lead.Do(http.MethodPut, f.path(t, f.member, "/role"), map[string]string{"role": "admin"}), http.StatusForbidden, "forbidden")
		MustProblem(t, lead.Do(http.MethodPut, f.path(t, f.admin, "/role"), map[string]string{"role": "member"}), http.StatusForbidden, "forbidden")
		MustProblem(t, lead.Do(http.MethodPost, "/api/v1/orgs/"+f.org.ID+"/invitations",
			map[string]string{"email": uniqueEmail(), "role": "admin"}), http.StatusForbidden, "forbidden")
		MustProblem(t, lead.Do(http.MethodPut, f.path(t, f.admin, "/status"), map[string]string{"status": "suspended"}), http.StatusForbidden, "forbidden")
		MustProblem(t, lead.Do(http.MethodDelete, f.path(t, f.admin, ""), nil), http.StatusForbidden, "forbidden")
		assert.Equal(t, before, MustSnapshotOrg(t, db, f.org.ID))
		assert.Equal(t, "member", mustMemberOf(t, f.owner, f.org.ID, f.member).Role)

		// Roles within the manager's own reach still work.
		MustStatus(t, lead.Do(http.MethodPut, f.path(t, f.member, "/role"), map[string]string{"role": "manager"}), http.StatusOK)
		MustStatus(t, lead.Do(http.MethodPost, "/api/v1/orgs/"+f.org.ID+"/invitations",
			map[string]string{"email": uniqueEmail(), "role": "member"}), http.StatusCreated)
		MustStatus(t, lead.Do(http.MethodPut, f.path(t, f.member, "/status"), map[string]string{"status": "suspended"}), http.StatusOK)
		MustStatus(t, lead.Do(http.MethodDelete, f.path(t, f.member, ""), nil), http.StatusNoContent)
	})

	t.Run("suspended_member_gets_404_until_reactivated", func(t *testing.T) {
		f := newTeam(t, db)
		orgPath := "/api/v1/orgs/" + f.org.ID
		status := f.path(t, f.member, "/status")
		MustStatus(t, f.admin.Do(http.MethodPut, status, map[string]string{"status": "suspended"}), http.StatusOK)
		MustProblem(t, f.member.Do(http.MethodGet, orgPath+"/clients", nil), http.StatusNotFound, "not_found")
		MustProblem(t, f.member.Do(http.MethodGet, orgPath, nil), http.StatusNotFound, "not_found")
		assert.Equal(t, "suspended", mustMemberOf(t, f.owner, f.org.ID, f.member).Status)

		MustStatus(t, f.admin.Do(http.MethodPut, status, map[string]string{"status": "active"}), http.StatusOK)
		MustStatus(t, f.member.Do(http.MethodGet, orgPath+"/clients", nil), http.StatusOK)
		assert.Equal(t, []string{"membership_suspended", "membership_status_changed"}, emailsTo(f.srv.Workflows, f.member.User.Email))
	})

	t.Run("owner_and_self_cannot_be_suspended", func(t *testing.T) {
		f := newTeam(t, db)
		MustProblem(t, f.admin.Do(http.MethodPut, f.path(t, f.owner, "/status"), map[string]string{"status": "suspended"}),
			http.StatusForbidden, "forbidden")
		MustProblem(t, f.admin.Do(http.MethodPut, f.path(t, f.admin, "/status"), map[string]string{"status": "suspended"}),
			http.StatusForbidden, "forbidden")
		MustProblem(t, f.admin.Do(http.MethodPut, f.path(t, f.member, "/status"), map[string]string{"status": "gone"}),
			http.StatusUnprocessableEntity, "validation_failed")
		MustStatus(t, f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.org.ID, nil), http.StatusOK)
	})

	t.Run("remove_member_but_never_the_owner", func(t *testing.T) {
		f := newTeam(t, db)
		MustProblem(t, f.admin.Do(http.MethodDelete, f.path(t, f.owner, ""), nil), http.StatusForbidden, "forbidden")
		target := f.path(t, f.member, "")
		MustStatus(t, f.admin.Do(http.MethodDelete, target, nil), http.StatusNoContent)
		MustProblem(t, f.member.Do(http.MethodGet, "/api/v1/orgs/"+f.org.ID, nil), http.StatusNotFound, "not_found")
		MustProblem(t, f.admin.Do(http.MethodDelete, target, nil), http.StatusNotFound, "not_found")
		assert.Len(t, mustMembers(t, f.owner, f.org.ID), 2)
	})
}
