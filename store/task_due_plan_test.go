package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// dueLoadTasks is the scale the sweep must hold: open tasks with due dates and assignees in one organization.
const dueLoadTasks = 100_000

// dueLoadNow is the benchmark's clock: mid-year, so the tasks' due dates (spread over the year, about 274 a
// day) lie on both sides of the sweep's window.
var dueLoadNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// mustDueLoad creates an organization with dueLoadTasks open, assigned tasks due across 2026, written in
// one statement (the store's CreateTask would take minutes), and refreshes the planner's statistics.
func mustDueLoad(tb testing.TB, d *storetest.DB) (orgID string) {
	tb.Helper()
	ctx := context.Background()
	u := &domain.User{Name: "Load", Email: "due-load@example.com", PasswordHash: "x"}
	if err := d.App.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	org, err := d.App.CreateOrganization(ctx, "Due load", u.ID)
	if err != nil {
		tb.Fatal(err)
	}
	v := domain.Viewer{UserID: u.ID, Role: domain.RoleOwner}
	p := &domain.Project{Name: "Load"}
	if err := d.App.CreateProject(ctx, org.ID, v, p, ""); err != nil {
		tb.Fatal(err)
	}
	cols, err := d.App.Columns(ctx, org.ID, v, p.ID)
	if err != nil {
		tb.Fatal(err)
	}
	_, err = d.Owner.Bun().ExecContext(ctx, `INSERT INTO tasks
		(id, organization_id, project_id, column_id, number, title, position, due_date, assignee_ids)
		SELECT gen_random_uuid(), ?, ?, ?, g, 'Task ' || g, lpad(g::text, 7, '0'), date '2026-01-01' + g % 365, ARRAY[?]::uuid[]
		FROM generate_series(1, ?) g`, org.ID, p.ID, cols[0].ID, u.ID, dueLoadTasks)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := d.Owner.Bun().ExecContext(ctx, "ANALYZE tasks"); err != nil {
		tb.Fatal(err)
	}
	return org.ID
}

// planNode is the part of EXPLAIN (FORMAT JSON) the test reads.
type planNode struct {
	NodeType   string     `json:"Node Type"`
	Relation   string     `json:"Relation Name"`
	Index      string     `json:"Index Name"`
	ActualRows float64    `json:"Actual Rows"`
	Loops      float64    `json:"Actual Loops"`
	Plans      []planNode `json:"Plans"`
}

// tasksScans lists every node of the plan that reads the tasks table.
func tasksScans(n planNode) []planNode {
	var out []planNode
	if n.Relation == "tasks" || (n.NodeType == "Bitmap Index Scan" && strings.HasPrefix(n.Index, "tasks_")) {
		out = append(out, n)
	}
	for _, c := range n.Plans {
		out = append(out, tasksScans(c)...)
	}
	return out
}

// explainInTenant runs EXPLAIN (ANALYZE) of query as the application role, scoped to orgID as the store
// scopes it, and rolls back, so the sweep's writes are measured but not kept.
func explainInTenant(t *testing.T, d *storetest.DB, orgID, query string, args ...any) planNode {
	t.Helper()
	ctx := context.Background()
	tx, err := d.App.Bun().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SELECT set_config('app.org_id', ?, true), set_config('app.user_id', '', true)", orgID); err != nil {
		t.Fatal(err)
	}
	var raw string
	if err := tx.NewRaw("EXPLAIN (ANALYZE, FORMAT JSON) "+query, args...).Scan(ctx, &raw); err != nil {
		t.Fatal(err)
	}
	var plans []struct{ Plan planNode }
	if err := json.Unmarshal([]byte(raw), &plans); err != nil {
		t.Fatal(err)
	}
	return plans[0].Plan
}

// With 100,000 open tasks due across the year, the sweep reads tasks only through tasks_org_due_idx and
// only the rows of its window (about nine days), never the organization's whole backlog.
func TestDueSweepStaysAnIndexRangeScan(t *testing.T) {
	d := storetest.MustOpen(t)
	orgID := mustDueLoad(t, d)
	window := domain.DueWindow(dueLoadNow, time.UTC)
	dates, kinds := make([]string, len(window)), make([]string, len(window))
	for i, w := range window {
		dates[i], kinds[i] = w.Date.Format(time.DateOnly), w.Kind
	}
	perDay := float64(dueLoadTasks) / 365
	for name, plan := range map[string]planNode{
		"notices": explainInTenant(t, d, orgID, store.DueNoticesSQL, pgdialect.Array(dates), pgdialect.Array(kinds), orgID, 500, orgID),
		"first_due": explainInTenant(t, d, orgID, store.FirstDueSQL, orgID,
			domain.Today(dueLoadNow, time.UTC).Format(time.DateOnly)),
	} {
		t.Run(name, func(t *testing.T) {
			scans := tasksScans(plan)
			if len(scans) == 0 {
				t.Fatal("no scan of tasks in the plan")
			}
			for _, s := range scans {
				if s.NodeType == "Seq Scan" {
					t.Fatalf("%s reads tasks sequentially: %+v", name, s)
				}
				rows := s.ActualRows * s.Loops
				t.Logf("%s: %s on tasks via %q, %.0f rows", name, s.NodeType, s.Index, rows)
				// tasks_pkey only fetches the title and number of the tasks a sweep notified.
				if s.Index != "tasks_org_due_idx" && s.Index != "tasks_pkey" {
					t.Errorf("%s reads tasks through %s, want tasks_org_due_idx", name, s.Index)
				}
				if rows > float64(len(window)+1)*perDay {
					t.Errorf("%s read %.0f task rows, more than its window of %d days (~%.0f a day)", name, rows, len(window), perDay)
				}
			}
			if !usesIndex(scans, "tasks_org_due_idx") {
				t.Errorf("%s does not use tasks_org_due_idx: %+v", name, scans)
			}
		})
	}
}

func usesIndex(scans []planNode, index string) bool {
	for _, s := range scans {
		if s.Index == index {
			return true
		}
	}
	return false
}

// BenchmarkSweepDueTasks measures one organization's sweep with 100,000 open, assigned tasks due across
// the year: first the sweep that raises the window's notices (logged), then the steady state every
// later sweep is in (everything owed already raised), per operation.
func BenchmarkSweepDueTasks(b *testing.B) {
	d := storetest.MustOpen(b)
	ctx := context.Background()
	orgID := mustDueLoad(b, d)
	start, raised := time.Now(), 0
	for {
		s, err := d.App.SweepDueTasks(ctx, orgID, dueLoadNow, 500)
		if err != nil {
			b.Fatal(err)
		}
		raised += s.Raised
		if s.Raised < 500 {
			break
		}
	}
	b.Logf("first sweep: %d notices and events in %s", raised, time.Since(start).Round(time.Millisecond))
	if _, err := d.Owner.Bun().ExecContext(ctx, "ANALYZE task_due_notices"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		s, err := d.App.SweepDueTasks(ctx, orgID, dueLoadNow, 500)
		if err != nil || s.Raised != 0 {
			b.Fatal(fmt.Sprint(s, err))
		}
	}
}
