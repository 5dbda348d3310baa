package api_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/clientflow/clientflow/store/storetest"
)

// tenantIDs are the IDs a cross-tenant route is built from: the attacker's own organization and client (A)
// and the victim's (B).
type tenantIDs struct {
	OrgA, ClientA, OrgB, ClientB string
	// MemberB is Bob's membership of org B; InvitationB is a pending invitation of org B.
	MemberB, InvitationB string
}

// crossTenantRoutes is every route that takes an organization or client ID, aimed at org B's data by a
// member of org A only. Adding a tenant route to the API means adding a row here.
var crossTenantRoutes = []struct {
	name   string
	method string
	path   func(id tenantIDs) string
	body   any
	header []header
}{
	{"GET_org_B", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB }, nil, nil},
	{"GET_org_B_clients", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/clients" }, nil, nil},
	{"GET_org_B_clients_searching", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/clients?q=victim&limit=200" }, nil, nil},
	{"POST_org_B_clients", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/clients" },
		map[string]any{"name": "Planted by A"}, nil},
	{"POST_org_B_clients_with_idempotency_key", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/clients" },
		map[string]any{"name": "Planted by A"}, []header{{"Idempotency-Key", "victim-key"}}},
	{"GET_org_B_client", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/clients/" + id.ClientB }, nil, nil},
	{"PATCH_org_B_client", http.MethodPatch,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/clients/" + id.ClientB },
		map[string]any{"name": "Hijacked"}, nil},
	{"DELETE_org_B_client", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/clients/" + id.ClientB }, nil, nil},
	{"GET_org_B_client_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/clients/" + id.ClientB }, nil, nil},
	{"PATCH_org_B_client_through_org_A", http.MethodPatch,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/clients/" + id.ClientB },
		map[string]any{"name": "Hijacked"}, nil},
	{"DELETE_org_B_client_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/clients/" + id.ClientB }, nil, nil},
	{"GET_org_B_members", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/members" }, nil, nil},
	{"PUT_org_B_member_role", http.MethodPut,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/members/" + id.MemberB + "/role" },
		map[string]any{"role": "client"}, nil},
	{"PUT_org_B_member_role_through_org_A", http.MethodPut,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/members/" + id.MemberB + "/role" },
		map[string]any{"role": "client"}, nil},
	{"PUT_org_B_member_status_through_org_A", http.MethodPut,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/members/" + id.MemberB + "/status" },
		map[string]any{"status": "suspended"}, nil},
	{"DELETE_org_B_member_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/members/" + id.MemberB }, nil, nil},
	{"GET_org_B_member_permissions_through_org_A", http.MethodGet,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/members/" + id.MemberB + "/permissions"
		}, nil, nil},
	{"PUT_org_B_member_permissions_through_org_A", http.MethodPut,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/members/" + id.MemberB + "/permissions"
		},
		map[string]any{"overrides": []map[string]any{{"permission": "clients.read", "granted": false}}}, nil},
	{"GET_org_B_invitations", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/invitations" }, nil, nil},
	{"POST_org_B_invitations", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/invitations" },
		map[string]any{"email": "planted@example.com", "role": "admin"}, nil},
	{"DELETE_org_B_invitation_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/invitations/" + id.InvitationB }, nil, nil},
	{"POST_org_B_invitation_resend_through_org_A", http.MethodPost,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/invitations/" + id.InvitationB + "/resend"
		}, nil, nil},
	{"GET_org_B_roles", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/roles" }, nil, nil},
	{"PUT_org_B_role", http.MethodPut,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/roles/member" },
		map[string]any{"permissions": []string{"clients.delete"}}, nil},
	{"GET_org_A_client_through_org_B", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/clients/" + id.ClientA }, nil, nil},
	{"GET_org_B_settings", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/settings" }, nil, nil},
	{"PATCH_org_B_settings", http.MethodPatch,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/settings" },
		map[string]any{"name": "Hijacked", "session_timeout_minutes": 5}, nil},
	{"POST_org_B_transfer_ownership", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/transfer-ownership" },
		map[string]any{"member_id": "00000000-0000-7000-8000-000000000000"}, nil},
	{"DELETE_org_B", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB },
		map[string]any{"confirm_name": "Victim"}, nil},
}

// TestCrossTenant is a security regression suite: keep it forever. A member of org A aims every route at
// org B's IDs; each must answer exactly like a missing resource, and org B's rows must not change at all.
func TestCrossTenant(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	alice, bob := srv.MustSignUp(t, "Alice of A"), srv.MustSignUp(t, "Bob of B")
	orgA, orgB := alice.MustCreateOrg(uniqueName("Org A")), bob.MustCreateOrg(uniqueName("Org B"))
	ids := tenantIDs{
		OrgA:    orgA.ID,
		ClientA: alice.MustCreateClient(orgA.ID, map[string]any{"name": "Alice's client"}).ID,
		OrgB:    orgB.ID,
		ClientB: bob.MustCreateClient(orgB.ID, map[string]any{"name": "Victim Inc", "email": "ceo@victim.example"}).ID,
		MemberB: mustMemberOf(t, bob, orgB.ID, bob).ID,
	}
	mustVerify(t, db, bob)
	invB, _ := mustInvite(t, bob, orgB.ID, uniqueEmail(), "member")
	ids.InvitationB = invB.ID
	// Bob has used the key Alice replays, so a key shared across tenants would hand her his response.
	MustStatus(t, bob.Do(http.MethodPost, "/api/v1/orgs/"+orgB.ID+"/clients", map[string]any{"name": "Keyed"},
		header{"Idempotency-Key", "victim-key"}), http.StatusCreated)
	// The same route with IDs that exist nowhere: what "not found" looks like.
	nowhere := tenantIDs{OrgA: orgA.ID, ClientA: uuid.NewString(), OrgB: uuid.NewString(), ClientB: uuid.NewString(),
		MemberB: uuid.NewString(), InvitationB: uuid.NewString()}

	for _, route := range crossTenantRoutes {
		t.Run("member_of_org_A_gets_404_for_"+route.name, func(t *testing.T) {
			before := MustSnapshotOrg(t, db, orgB.ID)

			res := alice.Do(route.method, route.path(ids), route.body, route.header...)

			p := MustProblem(t, res, http.StatusNotFound, "not_found")
			assert.NotContains(t, string(res.Body), "Victim")
			assert.Equal(t, before, MustSnapshotOrg(t, db, orgB.ID), "org B's rows changed")
			missing := MustProblem(t, alice.Do(route.method, route.path(nowhere), route.body, route.header...),
				http.StatusNotFound, "not_found")
			assert.Equal(t, missing.Detail, p.Detail, "another tenant's ID must look exactly like a missing one")
		})
	}

	t.Run("org_B_still_sees_its_client_unchanged", func(t *testing.T) {
		res := bob.Do(http.MethodGet, "/api/v1/orgs/"+orgB.ID+"/clients/"+ids.ClientB, nil)
		MustStatus(t, res, http.StatusOK)
		var c clientJSON
		res.MustJSON(t, &c)
		assert.Equal(t, "Victim Inc", c.Name)
		assert.Equal(t, 2, MustCountClients(t, db, orgB.ID))
	})
}
