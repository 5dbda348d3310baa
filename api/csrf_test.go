package api_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clientflow/clientflow/store/storetest"
)

// TestCSRF checks that a page on another site cannot use a signed-in browser's cookie to change data.
func TestCSRF(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	b := srv.MustSignUp(t, "Victim")
	org := b.MustCreateOrg(uniqueName("Targeted"))
	clients := "/api/v1/orgs/" + org.ID + "/clients"

	for _, tc := range []struct {
		name   string
		header []header
		status int
	}{
		{"origin_of_another_site_is_403", []header{{"Origin", "https://evil.example"}}, http.StatusForbidden},
		{"origin_null_is_403", []header{{"Origin", "null"}}, http.StatusForbidden},
		{"origin_on_another_port_is_403", []header{{"Origin", "http://127.0.0.1:1"}}, http.StatusForbidden},
		{"sec_fetch_site_cross_site_without_origin_is_403",
			[]header{{"Origin", ""}, {"Sec-Fetch-Site", "cross-site"}}, http.StatusForbidden},
		{"sec_fetch_site_same_site_without_origin_is_403",
			[]header{{"Origin", ""}, {"Sec-Fetch-Site", "same-site"}}, http.StatusForbidden},
		{"own_origin_is_201", []header{{"Origin", srv.URL}, {"Sec-Fetch-Site", "same-origin"}}, http.StatusCreated},
		{"no_origin_and_no_fetch_metadata_is_201", []header{{"Origin", ""}}, http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := MustCountClients(t, db, org.ID)

			res := b.Do(http.MethodPost, clients, map[string]any{"name": "Forged"}, tc.header...)

			if tc.status == http.StatusForbidden {
				MustProblem(t, res, http.StatusForbidden, "forbidden")
				assert.Equal(t, before, MustCountClients(t, db, org.ID), "nothing was written")
			} else {
				MustStatus(t, res, tc.status)
				assert.Equal(t, before+1, MustCountClients(t, db, org.ID))
			}
		})
	}

	t.Run("cross_site_sign_out_is_403_and_the_session_survives", func(t *testing.T) {
		res := b.Do(http.MethodPost, "/api/v1/auth/sign-out", nil, header{"Origin", "https://evil.example"})

		MustProblem(t, res, http.StatusForbidden, "forbidden")
		MustStatus(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
	})

	t.Run("cross_site_delete_is_403_and_the_client_survives", func(t *testing.T) {
		c := b.MustCreateClient(org.ID, map[string]any{"name": "Precious"})

		res := b.Do(http.MethodDelete, clients+"/"+c.ID, nil, header{"Origin", "https://evil.example"})

		MustProblem(t, res, http.StatusForbidden, "forbidden")
		MustStatus(t, b.Do(http.MethodGet, clients+"/"+c.ID, nil), http.StatusOK)
	})
}
