package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store/storetest"
)

// TestInputThePostgresColumnsCannotTake sends text, numbers and dates that Postgres would refuse. Each is
// answered 422 naming the field, anonymous operations included, and nothing is written.
func TestInputThePostgresColumnsCannotTake(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	f := mustWorkFixture(t, srv)
	anon := srv.NewBrowser(t)
	orgs := "/api/v1/orgs/" + f.orgID
	clients := orgs + "/clients"
	for _, tc := range []struct {
		name     string
		who      *browser
		method   string
		path     string
		body     any
		header   []header
		location string
	}{
		{"nul_in_a_json_string", f.owner, http.MethodPost, clients, `{"name": "A\u0000B"}`, nil, "body.name"},
		{"nul_in_a_nested_json_string", f.owner, http.MethodPost, orgs + "/projects",
			`{"name": "P", "budget": {"amount": 5, "currency": "EU\u0000"}}`, nil, "body.budget.currency"},
		{"nul_in_sign_up", anon, http.MethodPost, "/api/v1/auth/sign-up",
			`{"name": "\u0000", "email": "nul@example.com", "password": "` + testPassword + `"}`, nil, "body.name"},
		{"nul_in_sign_in", anon, http.MethodPost, "/api/v1/auth/sign-in",
			`{"email": "a\u0000@example.com", "password": "x"}`, nil, "body.email"},
		{"nul_in_forgot_password", anon, http.MethodPost, "/api/v1/auth/forgot-password",
			`{"email": "a\u0000@example.com"}`, nil, "body.email"},
		{"invalid_utf8_in_a_json_body", f.owner, http.MethodPost, clients, "{\"name\": \"A\xffB\"}", nil, "body"},
		{"nesting_deeper_than_128_levels", f.owner, http.MethodPost, clients,
			`{"name": "Deep", "notes": ` + strings.Repeat("[", 129) + strings.Repeat("]", 129) + `}`, nil, "body"},
		{"nul_in_q", f.owner, http.MethodGet, clients + "?q=a%00b", nil, nil, "query.q"},
		{"invalid_utf8_in_q", f.owner, http.MethodGet, clients + "?q=%ff", nil, nil, "query.q"},
		{"nul_in_an_undeclared_query_parameter", f.owner, http.MethodGet, clients + "?x=%00", nil, nil, "query.x"},
		{"invalid_utf8_in_user_agent", anon, http.MethodPost, "/api/v1/auth/sign-in",
			map[string]string{"email": "ua@example.com", "password": "x"}, []header{{"User-Agent", "Bot\xff"}},
			"header.User-Agent"},
		{"budget_minutes_of_2^31", f.owner, http.MethodPost, orgs + "/projects",
			`{"name": "Huge", "budget_minutes": 2147483648}`, nil, "body.budget_minutes"},
		{"hourly_rate_of_2^63", f.owner, http.MethodPost, orgs + "/projects",
			`{"name": "Huge", "hourly_rate": 9223372036854775808}`, nil, "body.hourly_rate"},
		{"start_date_in_year_0", f.owner, http.MethodPost, orgs + "/projects",
			`{"name": "Old", "start_date": "0000-01-01"}`, nil, "body.start_date"},
		{"started_at_in_year_0", f.owner, http.MethodPost, orgs + "/time/entries",
			`{"project_id": "` + f.project + `", "minutes": 5, "started_at": "0000-01-01T00:00:00Z"}`, nil,
			"body.started_at"},
		{"date_in_year_9999", f.owner, http.MethodPost, orgs + "/time/entries",
			`{"project_id": "` + f.project + `", "minutes": 5, "date": "9999-12-31"}`, nil, "body.date"},
		{"query_date_before_1900", f.owner, http.MethodGet, orgs + "/time/entries?from=1899-12-31", nil, nil,
			"query.from"},
		{"due_before_in_year_0", f.owner, http.MethodGet, f.path("/tasks?due_before=0000-01-01"), nil, nil,
			"query.due_before"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := mustSnapshotWork(t, db, f.orgID)
			res := tc.who.Do(tc.method, tc.path, tc.body, tc.header...)
			p := MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
			assert.Contains(t, p.Locations(), tc.location)
			assert.Equal(t, before, mustSnapshotWork(t, db, f.orgID), "nothing was written")
		})
	}
}

// TestPathIDsAreCanonical: another spelling of an existing id never reaches its row.
func TestPathIDsAreCanonical(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	b := srv.MustSignUp(t, "Canon")
	org := b.MustCreateOrg(uniqueName("Canonical"))
	c := b.MustCreateClient(org.ID, map[string]any{"name": "Only"})
	clients := "/api/v1/orgs/" + org.ID + "/clients/"
	MustStatus(t, b.Do(http.MethodGet, clients+c.ID, nil), http.StatusOK)
	for name, id := range map[string]string{
		"upper_case": strings.ToUpper(c.ID),
		"braced":     "%7B" + c.ID + "%7D",
		"urn":        "urn:uuid:" + c.ID,
		"no_hyphens": strings.ReplaceAll(c.ID, "-", ""),
		"not_a_uuid": "not-a-uuid",
		"nul":        c.ID[:35] + "%00",
	} {
		t.Run("client_"+name, func(t *testing.T) {
			MustProblem(t, b.Do(http.MethodGet, clients+id, nil), http.StatusNotFound, "not_found")
			MustProblem(t, b.Do(http.MethodPatch, clients+id, map[string]any{"name": "Renamed"}),
				http.StatusNotFound, "not_found")
		})
	}
	t.Run("org_upper_case", func(t *testing.T) {
		MustProblem(t, b.Do(http.MethodGet, "/api/v1/orgs/"+strings.ToUpper(org.ID), nil), http.StatusNotFound, "not_found")
	})
	res := b.Do(http.MethodGet, clients+c.ID, nil)
	MustStatus(t, res, http.StatusOK)
	assert.Contains(t, string(res.Body), `"name":"Only"`, "no alias renamed the client")
}

// TestRequestNumbersAreBounded reads the OpenAPI document: every integer or number a client sends (body
// property or parameter) declares a minimum and a maximum, so Huma refuses what the column cannot hold.
func TestRequestNumbersAreBounded(t *testing.T) {
	t.Parallel()
	raw, err := api.OpenAPIDocument()
	require.NoError(t, err)
	var doc openAPIDoc
	require.NoError(t, json.Unmarshal(raw, &doc))
	var unbounded []string
	for path, item := range doc.Paths {
		for method, op := range item {
			for _, p := range op.Parameters {
				unbounded = append(unbounded, doc.unboundedNumbers(method+" "+path+" "+p.In+"."+p.Name, p.Schema, 0)...)
			}
			if op.RequestBody != nil {
				for _, mt := range op.RequestBody.Content {
					unbounded = append(unbounded, doc.unboundedNumbers(method+" "+path+" body", mt.Schema, 0)...)
				}
			}
		}
	}
	assert.Empty(t, unbounded, "request numbers without minimum and maximum")
}

// unboundedNumbers lists the numbers in schema (followed through $ref, properties and items) that lack a
// minimum or a maximum.
func (d *openAPIDoc) unboundedNumbers(loc string, s *jsonSchema, depth int) []string {
	if s == nil || depth > 20 {
		return nil
	}
	if s.Ref != "" {
		return d.unboundedNumbers(loc, d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")], depth+1)
	}
	var out []string
	if s.isType("integer") || s.isType("number") {
		if s.Minimum == nil || s.Maximum == nil {
			out = append(out, loc)
		}
	}
	for name, p := range s.Properties {
		out = append(out, d.unboundedNumbers(loc+"."+name, p, depth+1)...)
	}
	return append(out, d.unboundedNumbers(loc+"[]", s.Items, depth+1)...)
}
