package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"

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
