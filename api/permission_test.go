package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/clientflow/clientflow/store/storetest"
)

// mustJoin makes b's user a member of orgID with role, as an accepted invitation would.
func mustJoin(t *testing.T, db *storetest.DB, orgID string, b *browser, role string) {
	t.Helper()
	_, err := db.Owner.Bun().ExecContext(context.Background(),
		"INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (?, ?, ?, ?)",
		uuid.NewString(), orgID, b.User.ID, role)
	if err != nil {
		t.Fatal(err)
	}
}

func TestRolePermissionsOnClientRoutes(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	owner := srv.MustSignUp(t, "Owner")
	org := owner.MustCreateOrg("Perm Agency")
	client := owner.MustCreateClient(org.ID, map[string]any{"name": "Existing"})
	base := "/api/v1/orgs/" + org.ID + "/clients"

	// want is the status per role for: list, create, update, delete.
	for _, tc := range []struct {
		role string
		want [4]int
	}{
		{"admin", [4]int{200, 201, 200, 204}},
		{"manager", [4]int{200, 201, 200, 204}},
		{"member", [4]int{200, 403, 403, 403}},
		{"client", [4]int{403, 403, 403, 403}},
	} {
		t.Run(tc.role, func(t *testing.T) {
			b := MustStart(t, db).MustSignUp(t, "A "+tc.role)
			mustJoin(t, db, org.ID, b, tc.role)
			target := owner.MustCreateClient(org.ID, map[string]any{"name": "Target for " + tc.role})
			got := [4]int{
				b.Do(http.MethodGet, base, nil).Status,
				b.Do(http.MethodPost, base, map[string]any{"name": "By " + tc.role}).Status,
				b.Do(http.MethodPatch, base+"/"+target.ID, map[string]any{"notes": "x"}).Status,
				b.Do(http.MethodDelete, base+"/"+target.ID, nil).Status,
			}
			if got != tc.want {
				t.Fatalf("list/create/update/delete = %v, want %v", got, tc.want)
			}
			if tc.want[0] == http.StatusForbidden {
				MustProblem(t, b.Do(http.MethodGet, base+"/"+client.ID, nil), http.StatusForbidden, "forbidden")
			}
		})
	}
}

// A refusal says in words what was refused and which roles can do it, as the organization's roles stand;
// the permission key is only in the problem's permission field, and /me tells the SPA the same.
func TestRefusalNamesTheRolesThatCan(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	f := newTeam(t, db)
	clients := "/api/v1/orgs/" + f.org.ID + "/clients"

	p := MustProblem(t, f.member.Do(http.MethodPost, clients, map[string]any{"name": "Nope"}), http.StatusForbidden, "forbidden")
	assert.Equal(t, "Only owners, admins and managers can create and edit clients.", p.Detail)
	assert.Equal(t, "clients.write", p.Permission)
	heldBy := func() map[string][]string {
		var me struct {
			Memberships []struct {
				Organization struct {
					ID string `json:"id"`
				} `json:"organization"`
				HeldBy map[string][]string `json:"held_by"`
			} `json:"memberships"`
		}
		f.member.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me)
		for _, m := range me.Memberships {
			if m.Organization.ID == f.org.ID {
				return m.HeldBy
			}
		}
		t.Fatal("no membership")
		return nil
	}
	got := heldBy()
	assert.Equal(t, []string{"owner", "admin", "manager"}, got["clients.write"])
	assert.Equal(t, []string{"owner"}, got["billing.manage"])
	assert.NotContains(t, got, "tasks.write", "a permission the member holds has no entry")

	// The owner takes client editing away from managers: the message follows.
	MustStatus(t, f.owner.Do(http.MethodPut, "/api/v1/orgs/"+f.org.ID+"/roles/manager",
		map[string]any{"permissions": []string{"clients.read", "projects.read"}}), http.StatusOK)
	p = MustProblem(t, f.member.Do(http.MethodDelete, clients+"/"+f.owner.MustCreateClient(f.org.ID, map[string]any{"name": "Kept"}).ID, nil),
		http.StatusForbidden, "forbidden")
	assert.Equal(t, "Only owners and admins can delete clients.", p.Detail)
	assert.Equal(t, []string{"owner", "admin"}, heldBy()["clients.write"])

	// A member whose own access was narrowed is told so, not that members cannot.
	MustStatus(t, f.admin.Do(http.MethodPut, f.path(t, f.member, "/permissions"), map[string]any{"overrides": []map[string]any{
		{"permission": "clients.read", "granted": false}}}), http.StatusOK)
	p = MustProblem(t, f.member.Do(http.MethodGet, clients, nil), http.StatusForbidden, "forbidden")
	assert.Equal(t, "You cannot see clients here: your access was narrowed for you. Owners and admins can change that.", p.Detail)
	assert.Equal(t, "clients.read", p.Permission)
}
