package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/clientflow/clientflow/store/storetest"
)

// TestBadInput sends what a careless or hostile client might. Every request gets the right problem code,
// and nothing is written.
func TestBadInput(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	b := srv.MustSignUp(t, "Careless")
	org := b.MustCreateOrg(uniqueName("Careful"))
	existing := b.MustCreateClient(org.ID, map[string]any{"name": "Existing", "email": "keep@example.com"})
	clients := "/api/v1/orgs/" + org.ID + "/clients"
	one := clients + "/" + existing.ID
	twoMiB := `{"name": "` + strings.Repeat("a", 2<<20) + `"}`

	for _, tc := range []struct {
		name     string
		method   string
		path     string
		body     any
		header   []header
		status   int
		code     string
		location string
	}{
		{"malformed_json", http.MethodPost, clients, `{"name": "Broken"`, nil,
			http.StatusBadRequest, "bad_request", ""},
		{"json_that_is_not_an_object", http.MethodPost, clients, `["Broken"]`, nil,
			http.StatusUnprocessableEntity, "validation_failed", ""},
		{"wrong_type", http.MethodPost, clients, `{"name": 5}`, nil,
			http.StatusUnprocessableEntity, "validation_failed", "body.name"},
		{"missing_name", http.MethodPost, clients, `{"email": "a@example.com"}`, nil,
			http.StatusUnprocessableEntity, "validation_failed", "body"},
		{"blank_name", http.MethodPost, clients, `{"name": "   "}`, nil,
			http.StatusUnprocessableEntity, "validation_failed", "body.name"},
		{"invalid_email", http.MethodPost, clients, `{"name": "Bad email", "email": "not-an-email"}`, nil,
			http.StatusUnprocessableEntity, "validation_failed", "body.email"},
		{"invalid_website", http.MethodPost, clients, `{"name": "Bad site", "website": "javascript:alert(1)"}`, nil,
			http.StatusUnprocessableEntity, "validation_failed", "body.website"},
		{"unknown_status", http.MethodPost, clients, `{"name": "Odd", "status": "deleted"}`, nil,
			http.StatusUnprocessableEntity, "validation_failed", "body.status"},
		{"unknown_field", http.MethodPost, clients, `{"name": "Extra", "organization_id": "` + uuid.NewString() + `"}`, nil,
			http.StatusUnprocessableEntity, "validation_failed", "body.organization_id"},
		{"body_of_2_MiB", http.MethodPost, clients, twoMiB, nil,
			http.StatusRequestEntityTooLarge, "payload_too_large", ""},
		{"text_plain_content_type", http.MethodPost, clients, `{"name": "Plain"}`,
			[]header{{"Content-Type", "text/plain"}},
			http.StatusUnsupportedMediaType, "unsupported_media_type", ""},
		{"idempotency_key_too_long", http.MethodPost, clients, `{"name": "Keyed"}`,
			[]header{{"Idempotency-Key", strings.Repeat("k", 256)}},
			http.StatusUnprocessableEntity, "validation_failed", "header.Idempotency-Key"},
		{"unknown_org", http.MethodPost, "/api/v1/orgs/" + uuid.NewString() + "/clients", `{"name": "Lost"}`, nil,
			http.StatusNotFound, "not_found", ""},
		{"org_id_not_a_uuid", http.MethodPost, "/api/v1/orgs/not-a-uuid/clients", `{"name": "Lost"}`, nil,
			http.StatusNotFound, "not_found", ""},
		{"org_id_not_a_uuid_on_get", http.MethodGet, "/api/v1/orgs/not-a-uuid", nil, nil,
			http.StatusNotFound, "not_found", ""},
		{"client_id_not_a_uuid", http.MethodGet, clients + "/not-a-uuid", nil, nil,
			http.StatusNotFound, "not_found", ""},
		{"patch_with_invalid_email", http.MethodPatch, one, `{"email": "nope"}`, nil,
			http.StatusUnprocessableEntity, "validation_failed", "body.email"},
		{"patch_with_empty_name", http.MethodPatch, one, `{"name": ""}`, nil,
			http.StatusUnprocessableEntity, "validation_failed", "body.name"},
		{"patch_with_unknown_field", http.MethodPatch, one, `{"created_at": "2000-01-01T00:00:00Z"}`, nil,
			http.StatusUnprocessableEntity, "validation_failed", "body.created_at"},
		{"patch_with_malformed_json", http.MethodPatch, one, `{"name": `, nil,
			http.StatusBadRequest, "bad_request", ""},
		{"bad_cursor", http.MethodGet, clients + "?cursor=not-a-cursor", nil, nil,
			http.StatusUnprocessableEntity, "validation_failed", "query.cursor"},
		{"cursor_of_a_non_uuid", http.MethodGet, clients + "?cursor=aGVsbG8", nil, nil,
			http.StatusUnprocessableEntity, "validation_failed", "query.cursor"},
		{"limit_0", http.MethodGet, clients + "?limit=0", nil, nil,
			http.StatusUnprocessableEntity, "validation_failed", "query.limit"},
		{"limit_201", http.MethodGet, clients + "?limit=201", nil, nil,
			http.StatusUnprocessableEntity, "validation_failed", "query.limit"},
		{"limit_not_a_number", http.MethodGet, clients + "?limit=ten", nil, nil,
			http.StatusUnprocessableEntity, "validation_failed", "query.limit"},
		{"unknown_status_filter", http.MethodGet, clients + "?status=deleted", nil, nil,
			http.StatusUnprocessableEntity, "validation_failed", "query.status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := MustSnapshotOrg(t, db, org.ID)
			count := MustCountClients(t, db, org.ID)

			res := b.Do(tc.method, tc.path, tc.body, tc.header...)

			p := MustProblem(t, res, tc.status, tc.code)
			if tc.location != "" {
				assert.Contains(t, p.Locations(), tc.location)
			}
			assert.Equal(t, count, MustCountClients(t, db, org.ID), "no client was written")
			assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID), "no row of the organization changed")
		})
	}
}
