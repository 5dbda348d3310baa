package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// matrixPath fills the path parameters of an organization route: the organization, a role, and random
// IDs for everything else (the permission check comes before any lookup, so a missing record can only
// answer after it).
func matrixPath(t *testing.T, o walkOp, orgID string) string {
	t.Helper()
	ids := walkIDs{"org_id": orgID, "role": "member"}
	for _, m := range pathParam.FindAllStringSubmatch(o.Path, -1) {
		if _, ok := ids[m[1]]; !ok {
			ids[m[1]] = uuid.NewString()
		}
	}
	path, err := fillPath(o.Path, ids, "", "")
	require.NoError(t, err)
	return path
}

// TestPermissionMatrix walks every role × every organization route: a role without the route's declared
// permission gets 403, a role with it never does; a client contact gets 403 from every route but the
// portal's (x-portal).
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	// Every organization route of the document, so a route added later is in the matrix without touching
	// this test. Deleting the organization goes last.
	ops := mustWalker(t).operations(t, func(o walkOp) bool { return o.hasParam("org_id") })
	for _, role := range domain.Roles {
		t.Run(role, func(t *testing.T) {
			// One person calls every route: more than the spec's 120 a minute.
			srv := MustStart(t, db, withAPILimit(10000))
			owner := srv.MustSignUp(t, "Owner")
			org := owner.MustCreateOrg(uniqueName("Matrix " + role))
			caller := owner
			switch role {
			case domain.RoleOwner:
			case domain.RoleClient:
				// A contact of a client whose portal is on, as the portal routes need.
				caller = srv.MustSignUp(t, "A "+role)
				client := owner.MustCreateClient(org.ID, map[string]any{"name": "Matrix client"})
				mustExec(t, db, "UPDATE clients SET portal_enabled = true WHERE id = ?", client.ID)
				mustJoinContact(t, db, org.ID, caller, client.ID)
			default:
				caller = srv.MustSignUp(t, "A "+role)
				mustJoin(t, db, org.ID, caller, role)
			}
			held := domain.DefaultRolePermissions(role)
			for _, op := range ops {
				var body any
				if op.Method == http.MethodPost || op.Method == http.MethodPut || op.Method == http.MethodPatch {
					body = map[string]any{}
				}
				res := caller.Do(op.Method, matrixPath(t, op, org.ID), body)
				name := op.Method + " " + op.Path + " needs " + string(op.Permission)
				switch {
				case role == domain.RoleClient && !op.Portal && strings.HasPrefix(op.Path, "/api/v1/orgs/"):
					// The route gate keeps contacts to the portal routes, whatever their role's permissions.
					assert.Equal(t, http.StatusForbidden, res.Status, "%s (not a portal route): %s", name, res.Body)
				case op.Permission == "" || slices.Contains(held, op.Permission):
					assert.NotEqual(t, http.StatusForbidden, res.Status, "%s: %s", name, res.Body)
				default:
					assert.Equal(t, http.StatusForbidden, res.Status, "%s: %s", name, res.Body)
				}
			}
		})
	}
}

// roleCatalogueJSON is GET /roles.
type roleCatalogueJSON struct {
	Permissions []struct {
		Key, Group, Description string
	} `json:"permissions"`
	Roles []struct {
		Role        string   `json:"role"`
		Permissions []string `json:"permissions"`
		Editable    bool     `json:"editable"`
		Customized  bool     `json:"customized"`
	} `json:"roles"`
}

// myPermissions returns what /me says b may do in orgID.
func myPermissions(t *testing.T, b *browser, orgID string) []string {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/me", nil)
	MustStatus(t, res, http.StatusOK)
	var me struct {
		Memberships []struct {
			Organization orgJSON  `json:"organization"`
			Permissions  []string `json:"permissions"`
		} `json:"memberships"`
	}
	res.MustJSON(t, &me)
	for _, m := range me.Memberships {
		if m.Organization.ID == orgID {
			return m.Permissions
		}
	}
	t.Fatalf("no membership of %s in /me", orgID)
	return nil
}

func TestRolesAndOverrides(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("catalogue_lists_every_permission_and_locks_the_owner", func(t *testing.T) {
		f := newTeam(t, db)
		res := f.member.Do(http.MethodGet, "/api/v1/orgs/"+f.org.ID+"/roles", nil)
		MustStatus(t, res, http.StatusOK)
		var cat roleCatalogueJSON
		res.MustJSON(t, &cat)
		assert.Len(t, cat.Permissions, len(domain.Permissions))
		require.Len(t, cat.Roles, len(domain.Roles))
		assert.Equal(t, "owner", cat.Roles[0].Role)
		assert.False(t, cat.Roles[0].Editable)
		assert.Len(t, cat.Roles[0].Permissions, len(domain.Permissions))
		assert.True(t, cat.Roles[3].Editable)
		assert.False(t, cat.Roles[3].Customized)
	})

	t.Run("custom_role_set_applies_on_the_next_request", func(t *testing.T) {
		f := newTeam(t, db)
		c := f.owner.MustCreateClient(f.org.ID, map[string]any{"name": "Target"})
		clientPath := "/api/v1/orgs/" + f.org.ID + "/clients/" + c.ID
		MustProblem(t, f.member.Do(http.MethodDelete, clientPath, nil), http.StatusForbidden, "forbidden")

		perms := append(domain.DefaultRolePermissions("member"), domain.PermClientsDelete)
		MustStatus(t, f.admin.Do(http.MethodPut, "/api/v1/orgs/"+f.org.ID+"/roles/member", map[string]any{"permissions": perms}), http.StatusOK)

		assert.Contains(t, myPermissions(t, f.member, f.org.ID), "clients.delete")
		MustStatus(t, f.member.Do(http.MethodDelete, clientPath, nil), http.StatusNoContent)

		// Taking clients.read away closes the list again, on the very next request.
		MustStatus(t, f.admin.Do(http.MethodPut, "/api/v1/orgs/"+f.org.ID+"/roles/member", map[string]any{"permissions": []string{}}), http.StatusOK)
		MustProblem(t, f.member.Do(http.MethodGet, "/api/v1/orgs/"+f.org.ID+"/clients", nil), http.StatusForbidden, "forbidden")
		var cat roleCatalogueJSON
		f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.org.ID+"/roles", nil).MustJSON(t, &cat)
		assert.True(t, cat.Roles[3].Customized)
		assert.Empty(t, cat.Roles[3].Permissions)
	})

	t.Run("bad_role_updates", func(t *testing.T) {
		f := newTeam(t, db)
		base := "/api/v1/orgs/" + f.org.ID + "/roles/"
		before := MustSnapshotOrg(t, db, f.org.ID)
		MustProblem(t, f.owner.Do(http.MethodPut, base+"owner", map[string]any{"permissions": []string{}}), 422, "validation_failed")
		p := MustProblem(t, f.owner.Do(http.MethodPut, base+"member", map[string]any{"permissions": []string{"clients.read", "root.everything"}}),
			422, "validation_failed")
		assert.Equal(t, []string{"body.permissions[1]"}, p.Locations())
		MustProblem(t, f.owner.Do(http.MethodPut, base+"member", map[string]any{"permissions": []string{"clients.read", "clients.read"}}),
			422, "validation_failed")
		MustProblem(t, f.owner.Do(http.MethodPut, base+"wizard", map[string]any{"permissions": []string{}}), 422, "validation_failed")
		MustProblem(t, f.member.Do(http.MethodPut, base+"member", map[string]any{"permissions": []string{"clients.delete"}}), 403, "forbidden")
		assert.Equal(t, before, MustSnapshotOrg(t, db, f.org.ID))
	})

	t.Run("nobody_grants_a_permission_they_do_not_hold", func(t *testing.T) {
		f := newTeam(t, db)
		before := MustSnapshotOrg(t, db, f.org.ID)
		withBilling := append(domain.DefaultRolePermissions("member"), domain.PermBillingManage)
		rolePath := "/api/v1/orgs/" + f.org.ID + "/roles/"
		MustProblem(t, f.admin.Do(http.MethodPut, rolePath+"admin", map[string]any{"permissions": append(domain.DefaultRolePermissions("admin"), domain.PermBillingManage)}),
			http.StatusForbidden, "forbidden")
		MustProblem(t, f.admin.Do(http.MethodPut, rolePath+"member", map[string]any{"permissions": withBilling}), http.StatusForbidden, "forbidden")
		MustProblem(t, f.admin.Do(http.MethodPut, f.path(t, f.member, "/permissions"), map[string]any{"overrides": []map[string]any{
			{"permission": "billing.manage", "granted": true}}}), http.StatusForbidden, "forbidden")
		assert.Equal(t, before, MustSnapshotOrg(t, db, f.org.ID))

		// The owner holds everything, so may; and the admin may keep it while changing the rest.
		MustStatus(t, f.owner.Do(http.MethodPut, rolePath+"member", map[string]any{"permissions": withBilling}), http.StatusOK)
		MustStatus(t, f.admin.Do(http.MethodPut, rolePath+"member", map[string]any{"permissions": []string{"billing.manage"}}), http.StatusOK)
	})

	t.Run("overrides_grant_and_deny_single_permissions", func(t *testing.T) {
		f := newTeam(t, db)
		path := f.path(t, f.member, "/permissions")
		res := f.admin.Do(http.MethodPut, path, map[string]any{"overrides": []map[string]any{
			{"permission": "clients.read", "granted": false},
			{"permission": "settings.manage", "granted": true},
		}})
		MustStatus(t, res, http.StatusOK)
		var got struct {
			Overrides []struct {
				Permission string `json:"permission"`
				Granted    bool   `json:"granted"`
			} `json:"overrides"`
			Effective []string `json:"effective"`
		}
		res.MustJSON(t, &got)
		assert.Len(t, got.Overrides, 2)
		assert.NotContains(t, got.Effective, "clients.read")
		assert.Contains(t, got.Effective, "settings.manage")
		assert.Equal(t, got.Effective, myPermissions(t, f.member, f.org.ID))

		orgPath := "/api/v1/orgs/" + f.org.ID
		MustProblem(t, f.member.Do(http.MethodGet, orgPath+"/clients", nil), http.StatusForbidden, "forbidden")
		MustStatus(t, f.member.Do(http.MethodGet, orgPath+"/settings", nil), http.StatusOK)

		// Replacing the overrides with none restores the role's set.
		MustStatus(t, f.admin.Do(http.MethodPut, path, map[string]any{"overrides": []any{}}), http.StatusOK)
		MustStatus(t, f.member.Do(http.MethodGet, orgPath+"/clients", nil), http.StatusOK)
	})

	t.Run("lifting_a_deny_needs_the_permission_too", func(t *testing.T) {
		f := newTeam(t, db)
		deny := func(p domain.Permission) map[string]any {
			return map[string]any{"overrides": []map[string]any{{"permission": p, "granted": false}}}
		}
		none := map[string]any{"overrides": []any{}}
		// The owner takes members.manage from the admin; the admin keeps roles.manage.
		MustStatus(t, f.owner.Do(http.MethodPut, f.path(t, f.admin, "/permissions"), deny(domain.PermMembersManage)), http.StatusOK)
		// The owner lets members manage billing, except this one.
		MustStatus(t, f.owner.Do(http.MethodPut, "/api/v1/orgs/"+f.org.ID+"/roles/member",
			map[string]any{"permissions": append(domain.DefaultRolePermissions("member"), domain.PermBillingManage)}), http.StatusOK)
		MustStatus(t, f.owner.Do(http.MethodPut, f.path(t, f.member, "/permissions"), deny(domain.PermBillingManage)), http.StatusOK)
		before := MustSnapshotOrg(t, db, f.org.ID)

		// Clearing the deny on oneself, or a deny of a permission one lacks, is a grant in disguise.
		MustProblem(t, f.admin.Do(http.MethodPut, f.path(t, f.admin, "/permissions"), none), http.StatusForbidden, "forbidden")
		MustProblem(t, f.admin.Do(http.MethodPut, f.path(t, f.member, "/permissions"), none), http.StatusForbidden, "forbidden")
		assert.Equal(t, before, MustSnapshotOrg(t, db, f.org.ID))
		assert.NotContains(t, myPermissions(t, f.admin, f.org.ID), "members.manage")
		assert.NotContains(t, myPermissions(t, f.member, f.org.ID), "billing.manage")

		// Keeping the deny while changing the rest is fine, and the owner may lift it.
		MustStatus(t, f.admin.Do(http.MethodPut, f.path(t, f.member, "/permissions"), map[string]any{"overrides": []map[string]any{
			{"permission": "billing.manage", "granted": false}, {"permission": "clients.read", "granted": false}}}), http.StatusOK)
		MustStatus(t, f.owner.Do(http.MethodPut, f.path(t, f.admin, "/permissions"), none), http.StatusOK)
		assert.Contains(t, myPermissions(t, f.admin, f.org.ID), "members.manage")
	})

	t.Run("bad_overrides", func(t *testing.T) {
		f := newTeam(t, db)
		before := MustSnapshotOrg(t, db, f.org.ID)
		deny := map[string]any{"overrides": []map[string]any{{"permission": "clients.read", "granted": false}}}
		MustProblem(t, f.admin.Do(http.MethodPut, f.path(t, f.owner, "/permissions"), deny), 422, "validation_failed")
		p := MustProblem(t, f.admin.Do(http.MethodPut, f.path(t, f.member, "/permissions"), map[string]any{"overrides": []map[string]any{
			{"permission": "clients.read", "granted": true}, {"permission": "clients.read", "granted": false}}}), 422, "validation_failed")
		assert.Equal(t, []string{"body.overrides[1].permission"}, p.Locations())
		MustProblem(t, f.admin.Do(http.MethodPut, f.path(t, f.member, "/permissions"), map[string]any{"overrides": []map[string]any{
			{"permission": "nope", "granted": true}}}), 422, "validation_failed")
		MustProblem(t, f.admin.Do(http.MethodPut, "/api/v1/orgs/"+f.org.ID+"/members/"+uuid.NewString()+"/permissions", deny), 404, "not_found")
		assert.Equal(t, before, MustSnapshotOrg(t, db, f.org.ID))
	})

	t.Run("removing_a_member_drops_their_overrides", func(t *testing.T) {
		f := newTeam(t, db)
		member := f.path(t, f.member, "")
		MustStatus(t, f.owner.Do(http.MethodPut, member+"/permissions", map[string]any{"overrides": []map[string]any{
			{"permission": "clients.delete", "granted": true}}}), http.StatusOK)
		MustStatus(t, f.owner.Do(http.MethodDelete, member, nil), http.StatusNoContent)
		var n int
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM member_permission_overrides WHERE organization_id = ?", f.org.ID).
			Scan(context.Background(), &n))
		assert.Zero(t, n)
	})
}
