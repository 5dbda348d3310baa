package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// activityLoadEvents is the feed's scale in the plan test: task events over ten projects' thousand tasks.
const activityLoadEvents = 30_000

// The feed names each event's project, task and column with joins: the tasks and projects must be per-row
// index lookups for the page's rows only, never a scan of the organization's tasks or events.
func TestActivityNamesAreLookupsForThePageOnly(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	u := &domain.User{Name: "Load", Email: "activity-load@example.com", PasswordHash: "x"}
	if err := d.App.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	org, err := d.App.CreateOrganization(ctx, "Activity load", u.ID)
	if err != nil {
		t.Fatal(err)
	}
	v := domain.Viewer{UserID: u.ID, Role: domain.RoleOwner}
	for range 10 {
		p := &domain.Project{Name: "Load"}
		if err := d.App.CreateProject(ctx, org.ID, v, p, ""); err != nil {
			t.Fatal(err)
		}
	}
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.Owner.Bun().ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(`INSERT INTO tasks (id, organization_id, project_id, column_id, number, title, position)
		SELECT gen_random_uuid(), c.organization_id, c.project_id, c.id, 1000 + g, 'Task ' || g, lpad(g::text, 7, '0')
		FROM (SELECT DISTINCT ON (project_id) * FROM task_board_columns WHERE organization_id = ? ORDER BY project_id, position) c,
		     generate_series(1, 100) g`, org.ID)
	mustExec(`INSERT INTO domain_events (id, organization_id, type, entity_type, entity_id, actor_id, project_id, payload, created_at)
		SELECT gen_random_uuid(), t.organization_id, 'task.updated', 'task', t.id, ?, t.project_id,
		       jsonb_build_object('title', t.title, 'column_id', t.column_id, 'changed', jsonb_build_array('column')),
		       now() - (g || ' seconds')::interval
		FROM (SELECT *, row_number() OVER () AS n FROM tasks WHERE organization_id = ?) t,
		     generate_series(1, ?) g WHERE g % 1000 = t.n - 1`, u.ID, org.ID, activityLoadEvents)
	mustExec("ANALYZE domain_events; ANALYZE tasks; ANALYZE projects; ANALYZE task_board_columns")

	query, args := store.ActivityPageSQL(org.ID, v, domain.ActivityFilter{Limit: 50})
	tx, err := d.App.Bun().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SELECT set_config('app.org_id', ?, true), set_config('app.user_id', ?, true)", org.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	var raw string
	if err := tx.Tx.QueryRowContext(ctx, "EXPLAIN (ANALYZE, FORMAT JSON) "+query, args...).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	var plans []struct{ Plan planNode }
	if err := json.Unmarshal([]byte(raw), &plans); err != nil {
		t.Fatal(err)
	}
	var walk func(n planNode)
	seen := map[string]bool{}
	walk = func(n planNode) {
		if n.Relation != "" {
			seen[n.Relation] = true
			if n.Relation == "domain_events" && n.NodeType == "Seq Scan" {
				t.Errorf("the events are read sequentially: %+v", n)
			}
			// A tiny table (the board's columns) may be hashed whole; the tasks and projects may not.
			if (n.Relation == "tasks" || n.Relation == "projects") && n.NodeType == "Seq Scan" {
				t.Errorf("%s is read sequentially: %+v", n.Relation, n)
			}
			if n.Relation != "domain_events" && n.Loops > 51 {
				t.Errorf("%s is looked up %v times for a page of 50", n.Relation, n.Loops)
			}
		}
		for _, c := range n.Plans {
			walk(c)
		}
	}
	walk(plans[0].Plan)
	for _, rel := range []string{"domain_events", "tasks", "projects", "task_board_columns"} {
		if !seen[rel] {
			t.Errorf("the plan does not read %s", rel)
		}
	}
}
