package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// mustMemberID returns the membership ID of b's user in orgID.
func mustMemberID(t *testing.T, db *storetest.DB, orgID string, b *browser) string {
	t.Helper()
	var id string
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT id FROM organization_memberships WHERE organization_id = ? AND user_id = ?",
		orgID, b.User.ID).Scan(context.Background(), &id))
	return id
}

// mustRoles returns each member's role in orgID by user ID.
func mustRoles(t *testing.T, db *storetest.DB, orgID string) map[string]string {
	t.Helper()
	var rows []struct{ UserID, Role string }
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT user_id, role FROM organization_memberships WHERE organization_id = ?", orgID).
		Scan(context.Background(), &rows))
	out := map[string]string{}
	for _, r := range rows {
		out[r.UserID] = r.Role
	}
	return out
}

// myOrgIDs lists the organizations /me shows b.
func myOrgIDs(t *testing.T, b *browser) []string {
	t.Helper()
	var me struct {
		Memberships []struct {
			Organization orgJSON `json:"organization"`
		} `json:"memberships"`
	}
	res := b.Do(http.MethodGet, "/api/v1/me", nil)
	MustStatus(t, res, http.StatusOK)
	res.MustJSON(t, &me)
	var ids []string
	for _, m := range me.Memberships {
		ids = append(ids, m.Organization.ID)
	}
	return ids
}

func TestTransferOwnership(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("owner_hands_over_becomes_admin_and_both_are_emailed", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner, heir := srv.MustSignUp(t, "Old Owner"), srv.MustSignUp(t, "Heir")
		org := owner.MustCreateOrg(uniqueName("Handover"))
		mustJoin(t, db, org.ID, heir, "member")

		res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/transfer-ownership",
			map[string]any{"member_id": mustMemberID(t, db, org.ID, heir)})

		MustStatus(t, res, http.StatusNoContent)
		assert.Equal(t, map[string]string{owner.User.ID: "admin", heir.User.ID: "owner"}, mustRoles(t, db, org.ID))
		emails := srv.Workflows.Emails()
		require.Len(t, emails, 2)
		got := map[string]string{}
		for _, e := range emails {
			assert.Equal(t, "ownership_transfer", e.Template)
			assert.True(t, strings.HasPrefix(e.Key, "ownership-transfer/"), e.Key)
			got[e.To] = e.Data["NewRole"]
		}
		assert.Equal(t, map[string]string{owner.User.Email: "admin", heir.User.Email: "owner"}, got)
		assert.NotEqual(t, emails[0].Key, emails[1].Key)
		// The former owner is now an admin: a second transfer is no longer theirs to make.
		MustProblem(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/transfer-ownership",
			map[string]any{"member_id": mustMemberID(t, db, org.ID, owner)}), http.StatusForbidden, "forbidden")
	})

	t.Run("only_the_owner_may_transfer", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Kept"))
		admin, member := MustStart(t, db).MustSignUp(t, "Admin"), MustStart(t, db).MustSignUp(t, "Member")
		stranger := MustStart(t, db).MustSignUp(t, "Stranger")
		mustJoin(t, db, org.ID, admin, "admin")
		mustJoin(t, db, org.ID, member, "member")
		path := "/api/v1/orgs/" + org.ID + "/transfer-ownership"
		before := MustSnapshotOrg(t, db, org.ID)

		MustProblem(t, admin.Do(http.MethodPost, path, map[string]any{"member_id": mustMemberID(t, db, org.ID, admin)}), http.StatusForbidden, "forbidden")
		MustProblem(t, member.Do(http.MethodPost, path, map[string]any{"member_id": mustMemberID(t, db, org.ID, member)}), http.StatusForbidden, "forbidden")
		MustProblem(t, stranger.Do(http.MethodPost, path, map[string]any{"member_id": mustMemberID(t, db, org.ID, admin)}), http.StatusNotFound, "not_found")

		assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID))
		assert.Empty(t, srv.Workflows.Emails())
	})

	t.Run("bad_targets_are_refused_and_nothing_changes", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner, suspended, outsider := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Suspended"), srv.MustSignUp(t, "Outsider")
		org := owner.MustCreateOrg(uniqueName("Careful"))
		otherOrg := outsider.MustCreateOrg(uniqueName("Elsewhere"))
		_, err := db.Owner.Bun().ExecContext(context.Background(),
			"INSERT INTO organization_memberships (id, organization_id, user_id, role, status) VALUES (?, ?, ?, 'member', 'suspended')",
			uuid.NewString(), org.ID, suspended.User.ID)
		require.NoError(t, err)
		path := "/api/v1/orgs/" + org.ID + "/transfer-ownership"
		for _, tc := range []struct {
			name     string
			body     any
			status   int
			location string
		}{
			{"suspended_member", map[string]any{"member_id": mustMemberID(t, db, org.ID, suspended)}, 422, "body.member_id"},
			{"themselves", map[string]any{"member_id": mustMemberID(t, db, org.ID, owner)}, 422, "body.member_id"},
			{"member_of_another_organization", map[string]any{"member_id": mustMemberID(t, db, otherOrg.ID, outsider)}, 404, ""},
			{"unknown_member", map[string]any{"member_id": uuid.NewString()}, 404, ""},
			{"not_a_uuid", map[string]any{"member_id": "nobody"}, 422, "body.member_id"},
			{"missing_member_id", map[string]any{}, 422, "body"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := MustSnapshotOrg(t, db, org.ID)
				code := map[int]string{404: "not_found", 422: "validation_failed"}[tc.status]
				p := MustProblem(t, owner.Do(http.MethodPost, path, tc.body), tc.status, code)
				if tc.location != "" {
					assert.Contains(t, p.Locations(), tc.location)
				}
				assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID))
			})
		}
		assert.Empty(t, srv.Workflows.Emails())
	})
}

func TestDeleteOrganization(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("owner_deletes_and_the_organization_disappears_at_once", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner, member := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Member")
		org, kept := owner.MustCreateOrg(uniqueName("Doomed")), owner.MustCreateOrg(uniqueName("Kept"))
		mustJoin(t, db, org.ID, member, "member")
		client := owner.MustCreateClient(org.ID, map[string]any{"name": "Doomed client"})

		res := owner.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID, map[string]any{"confirm_name": org.Name})

		MustStatus(t, res, http.StatusAccepted)
		assert.Equal(t, []string{org.ID}, srv.Workflows.DeletionsStarted())
		for _, path := range []string{"", "/settings", "/clients", "/clients/" + client.ID} {
			MustProblem(t, owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+path, nil), http.StatusNotFound, "not_found")
			MustProblem(t, member.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+path, nil), http.StatusNotFound, "not_found")
		}
		assert.Equal(t, []string{kept.ID}, myOrgIDs(t, owner))
		assert.Empty(t, myOrgIDs(t, member))
		MustStatus(t, owner.Do(http.MethodGet, "/api/v1/orgs/"+kept.ID+"/clients", nil), http.StatusOK)
		// Deleting again finds nothing: the organization is gone for every request.
		MustProblem(t, owner.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID, map[string]any{"confirm_name": org.Name}),
			http.StatusNotFound, "not_found")
		assert.Len(t, srv.Workflows.DeletionsStarted(), 1)
	})

	t.Run("a_wrong_name_is_refused_and_nothing_changes", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Precious"))
		for _, name := range []string{"", "precious", org.Name + " ", strings.ToUpper(org.Name), "Something else"} {
			before := MustSnapshotOrg(t, db, org.ID)
			p := MustProblem(t, owner.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID, map[string]any{"confirm_name": name}),
				http.StatusUnprocessableEntity, "validation_failed")
			assert.Equal(t, []string{"body.confirm_name"}, p.Locations(), "name %q", name)
			assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID))
		}
		MustProblem(t, owner.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID, nil), http.StatusBadRequest, "bad_request")
		assert.Empty(t, srv.Workflows.DeletionsStarted())
		MustStatus(t, owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID, nil), http.StatusOK)
	})

	t.Run("only_the_owner_may_delete", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Guarded"))
		admin, member := MustStart(t, db).MustSignUp(t, "Admin"), MustStart(t, db).MustSignUp(t, "Member")
		stranger := MustStart(t, db).MustSignUp(t, "Stranger")
		mustJoin(t, db, org.ID, admin, "admin")
		mustJoin(t, db, org.ID, member, "member")
		before := MustSnapshotOrg(t, db, org.ID)
		body := map[string]any{"confirm_name": org.Name}

		MustProblem(t, admin.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID, body), http.StatusForbidden, "forbidden")
		MustProblem(t, member.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID, body), http.StatusForbidden, "forbidden")
		MustProblem(t, stranger.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID, body), http.StatusNotFound, "not_found")

		assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID))
		assert.Empty(t, srv.Workflows.DeletionsStarted())
	})
}
