package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// searchFunctions are the SECURITY DEFINER functions of unified search, called with a query that matches
// everything seeded below ("website").
var searchFunctions = map[string]string{
	"search_clients":  "SELECT id::text FROM search_clients('website', 50)",
	"search_projects": "SELECT id::text FROM search_projects('website', true, 50)",
	"search_tasks":    "SELECT id::text FROM search_tasks('website', true, 50)",
	"search_comments": "SELECT id::text FROM search_comments('website', true, 50)",
	"search_files":    "SELECT id::text FROM search_files('website', true, 50)",
}

// mustSeedSearch writes a client, project, task, comment and file about a website into orgID and returns
// their IDs.
func mustSeedSearch(t *testing.T, d *storetest.DB, orgID, userID string) []string {
	t.Helper()
	ids := []string{uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()}
	_, err := d.Owner.Bun().DB.ExecContext(context.Background(), `
		WITH cl AS (INSERT INTO clients (id, organization_id, name) VALUES ($1, $7, 'Website client') RETURNING id),
		p AS (INSERT INTO projects (id, organization_id, name) VALUES ($2, $7, 'Website project') RETURNING id),
		col AS (INSERT INTO task_board_columns (id, organization_id, project_id, name, position)
			SELECT $3, $7, p.id, 'To do', 'a' FROM p RETURNING id, project_id),
		t AS (INSERT INTO tasks (id, organization_id, project_id, column_id, number, title, position)
			SELECT $4, $7, col.project_id, col.id, 1, 'Website task', 'a' FROM col RETURNING id, project_id),
		c AS (INSERT INTO task_comments (id, organization_id, task_id, author_id, body_json, body_html)
			SELECT $5, $7, t.id, $8, '{}', '<p>website comment</p>' FROM t RETURNING id)
		INSERT INTO files (id, organization_id, project_id, name, content_type, size_bytes, storage_key)
			SELECT $6::uuid, $7, t.project_id, 'website.png', 'image/png', 1, $6::text FROM t`,
		ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], orgID, userID)
	if err != nil {
		t.Fatal(err)
	}
	return slices.Delete(ids, 2, 3) // the column is not searched
}

// TestSearchFunctionsStayInTheirOrganization is a security regression test: the search functions run as
// their owner, past row-level security, so they must take the organization from app.org_id and nothing else.
func TestSearchFunctionsStayInTheirOrganization(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	ua, orgA := mustUserAndOrg(t, d.App, "search-a@example.com")
	ub, orgB := mustUserAndOrg(t, d.App, "search-b@example.com")
	idsA := mustSeedSearch(t, d, orgA.ID, ua.ID)
	idsB := mustSeedSearch(t, d, orgB.ID, ub.ID)

	// call runs one function as the app role with app.org_id set to org (empty: not set) and returns ids.
	call := func(t *testing.T, org, query string) []string {
		t.Helper()
		tx, err := d.App.Bun().DB.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if org != "" {
			if _, err := tx.ExecContext(ctx, "SELECT set_config('app.org_id', $1, true)", org); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	for name, query := range searchFunctions {
		t.Run(name+"_answers_only_the_organization_of_app_org_id", func(t *testing.T) {
			gotA := call(t, orgA.ID, query)
			if len(gotA) != 1 || !slices.Contains(idsA, gotA[0]) {
				t.Fatalf("scoped to org A: got %v, want one of org A's %v", gotA, idsA)
			}
			gotB := call(t, orgB.ID, query)
			if len(gotB) != 1 || !slices.Contains(idsB, gotB[0]) {
				t.Fatalf("scoped to org B: got %v, want one of org B's %v", gotB, idsB)
			}
			if got := call(t, "", query); len(got) != 0 {
				t.Fatalf("without app.org_id: got %v, want nothing", got)
			}
		})
	}

	t.Run("no_argument_names_an_organization", func(t *testing.T) {
		var args []string
		err := d.Owner.Bun().NewRaw(`SELECT pg_get_function_identity_arguments(p.oid) FROM pg_proc p
			WHERE p.proname LIKE 'search\_%' AND p.prosecdef`).Scan(ctx, &args)
		if err != nil {
			t.Fatal(err)
		}
		if len(args) != len(searchFunctions) {
			t.Fatalf("SECURITY DEFINER search functions: %v, want %d", args, len(searchFunctions))
		}
		for _, a := range args {
			if strings.Contains(a, "uuid") || strings.Contains(a, "org") {
				t.Errorf("a search function takes an organization: (%s)", a)
			}
		}
	})

	t.Run("definer_functions_are_locked_down", func(t *testing.T) {
		var bad []string
		err := d.Owner.Bun().NewRaw(`SELECT p.proname FROM pg_proc p
			WHERE p.proname LIKE 'search\_%' AND p.prosecdef
			  AND (has_function_privilege('public', p.oid, 'EXECUTE')
			       OR NOT has_function_privilege('clientflow_app', p.oid, 'EXECUTE')
			       OR NOT 'search_path=pg_catalog, public, pg_temp' = ANY (p.proconfig))`).Scan(ctx, &bad)
		if err != nil {
			t.Fatal(err)
		}
		if len(bad) > 0 {
			t.Fatalf("search functions executable by PUBLIC, not by the app role, or without a fixed search_path: %v", bad)
		}
	})

	t.Run("store_search_of_org_A_never_returns_org_B", func(t *testing.T) {
		groups, err := d.App.Search(ctx, orgA.ID, domain.Viewer{UserID: ua.ID, Role: domain.RoleOwner},
			domain.SearchFilter{Query: "website", Kinds: domain.SearchKinds, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range groups {
			if g.Total != 1 || len(g.Hits) != 1 || !slices.Contains(idsA, g.Hits[0].ID) {
				t.Errorf("%s: total %d, hits %+v; want org A's one", g.Kind, g.Total, g.Hits)
			}
		}
	})
}
