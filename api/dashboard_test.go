package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

type moneyJSON struct {
	Currency    string `json:"currency"`
	AmountMinor int64  `json:"amount_minor"`
}

type dashboardJSON struct {
	From              string      `json:"from"`
	To                string      `json:"to"`
	TotalClients      *int        `json:"total_clients"`
	ActiveProjects    int         `json:"active_projects"`
	CompletedProjects int         `json:"completed_projects"`
	Files             int         `json:"files"`
	Revenue           []moneyJSON `json:"revenue"`
	ProjectsByStatus  []struct {
		Status string `json:"status"`
		Count  int    `json:"count"`
	} `json:"projects_by_status"`
	ProjectsCreated []struct {
		Month string `json:"month"`
		Count int    `json:"count"`
	} `json:"projects_created"`
	MonthlyRevenue []struct {
		Currency string `json:"currency"`
		Months   []struct {
			Month       string `json:"month"`
			AmountMinor int64  `json:"amount_minor"`
		} `json:"months"`
	} `json:"monthly_revenue"`
	Activity []struct {
		Type      string  `json:"type"`
		ProjectID *string `json:"project_id"`
	} `json:"activity"`
}

// dashboardSetup is an organization with two clients, projects of each in several statuses and months,
// files, and invoices paid in USD and EUR (plus a draft, a sent one and one paid years ago, which do not
// count), a member on one project, and a project created through the API (so there is activity).
type dashboardSetup struct {
	owner, member          *browser
	orgID, acme, globex    string
	acmeActive, apiProject string
	globexActive           string
}

func mustDashboardSetup(t *testing.T, db *storetest.DB, srv *testServer) dashboardSetup {
	t.Helper()
	ctx, exec := context.Background(), db.Owner.Bun()
	owner := srv.MustSignUp(t, "Dashboard Owner")
	org := owner.MustCreateOrg("Dashboard Agency")
	s := dashboardSetup{owner: owner, orgID: org.ID,
		acme:   owner.MustCreateClient(org.ID, map[string]any{"name": "Acme"}).ID,
		globex: owner.MustCreateClient(org.ID, map[string]any{"name": "Globex"}).ID}
	project := func(client, status, created string, archived bool) string {
		id := uuid.NewString()
		_, err := exec.ExecContext(ctx, `INSERT INTO projects (id, organization_id, client_id, name, status, created_at, archived_at)
			VALUES (?, ?, ?, ?, ?, `+created+`, CASE WHEN ? THEN now() END)`, id, org.ID, client, "P "+id[:8], status, archived)
		require.NoError(t, err)
		return id
	}
	const thisMonth, twoMonthsAgo = "now()", "date_trunc('month', now()) - interval '2 months' + interval '3 days'"
	s.acmeActive = project(s.acme, "active", thisMonth, false)
	acmeDone := project(s.acme, "completed", twoMonthsAgo, false)
	project(s.acme, "on_hold", "now() - interval '30 months'", false)
	s.globexActive = project(s.globex, "active", thisMonth, false)
	project(s.globex, "planning", thisMonth, true)
	for i, p := range []string{s.acmeActive, s.acmeActive, s.globexActive} {
		id := uuid.NewString()
		_, err := exec.ExecContext(ctx, `INSERT INTO files (id, organization_id, project_id, name, content_type, size_bytes, storage_key)
			VALUES (?, ?, ?, ?, 'text/plain', 1, ?)`, id, org.ID, p, "f.txt", org.ID+"/"+id)
		require.NoError(t, err, "file %d", i)
	}
	number := 0
	invoice := func(client, project, status, currency string, total int64, paidAt string) {
		number++
		_, err := exec.ExecContext(ctx, `INSERT INTO invoices (id, organization_id, number, client_id, project_id, status, currency,
			issue_date, due_date, subtotal, total, amount_paid, public_token_hash, paid_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, current_date, current_date, ?, ?, CASE WHEN ? = 'paid' THEN ? ELSE 0 END,
			CASE WHEN ? <> 'draft' THEN decode(md5(random()::text), 'hex') END, `+paidAt+`)`,
			uuid.NewString(), org.ID, number, client, project, status, currency, total, total, status, total, status)
		require.NoError(t, err)
	}
	invoice(s.acme, s.acmeActive, "paid", "USD", 10000, "now()")
	invoice(s.acme, acmeDone, "paid", "EUR", 5000, "date_trunc('month', now()) - interval '15 days'")
	invoice(s.globex, s.globexActive, "paid", "USD", 2500, "now()")
	invoice(s.globex, s.globexActive, "draft", "USD", 999, "NULL")
	invoice(s.acme, s.acmeActive, "sent", "USD", 777, "NULL")
	invoice(s.acme, s.acmeActive, "paid", "USD", 123, "now() - interval '40 months'")
	s.apiProject = mustCreateProject(t, owner, org.ID, "Through the API")

	s.member = srv.MustSignUp(t, "Dashboard Member")
	mustJoin(t, db, org.ID, s.member, "member")
	mustAddToProject(t, db, org.ID, s.acmeActive, s.member)
	return s
}

func (s dashboardSetup) mustDashboard(t *testing.T, b *browser, query string) (dashboardJSON, map[string]json.RawMessage) {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+s.orgID+"/dashboard"+query, nil)
	MustStatus(t, res, http.StatusOK)
	var d dashboardJSON
	res.MustJSON(t, &d)
	var raw map[string]json.RawMessage
	res.MustJSON(t, &raw)
	return d, raw
}

func TestDashboard(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	counter := &statementCounter{}
	traced, err := store.Open(context.Background(), db.URL, store.Options{Tracer: counter})
	require.NoError(t, err)
	t.Cleanup(func() { traced.Close() })
	tracedDB := *db
	tracedDB.App = traced
	srv := MustStart(t, &tracedDB)
	s := mustDashboardSetup(t, db, srv)
	sqlInt := func(query string, args ...any) int {
		var n int
		require.NoError(t, db.Owner.Bun().QueryRowContext(context.Background(), query, args...).Scan(&n))
		return n
	}

	t.Run("owner_figures_match_direct_SQL_per_currency", func(t *testing.T) {
		d, _ := s.mustDashboard(t, s.owner, "")
		require.NotNil(t, d.TotalClients)
		assert.Equal(t, sqlInt("SELECT count(*) FROM clients WHERE organization_id = ?", s.orgID), *d.TotalClients)
		assert.Equal(t, 2, *d.TotalClients)
		assert.Equal(t, sqlInt(`SELECT count(*) FROM projects WHERE organization_id = ? AND status = 'active'
			AND archived_at IS NULL`, s.orgID), d.ActiveProjects)
		assert.Equal(t, 2, d.ActiveProjects)
		assert.Equal(t, 1, d.CompletedProjects)
		assert.Equal(t, sqlInt("SELECT count(*) FROM files WHERE organization_id = ?", s.orgID), d.Files)
		assert.Equal(t, 3, d.Files)

		rows, err := db.Owner.Bun().QueryContext(context.Background(), `SELECT currency, sum(total) FROM invoices
			WHERE organization_id = ? AND status = 'paid' AND paid_at >= ?::date GROUP BY currency ORDER BY currency`, s.orgID, d.From)
		require.NoError(t, err)
		want := []moneyJSON{}
		for rows.Next() {
			var m moneyJSON
			require.NoError(t, rows.Scan(&m.Currency, &m.AmountMinor))
			want = append(want, m)
		}
		require.NoError(t, rows.Err())
		assert.Equal(t, want, d.Revenue)
		assert.Equal(t, []moneyJSON{{"EUR", 5000}, {"USD", 12500}}, d.Revenue, "never summed across currencies")

		require.Len(t, d.ProjectsCreated, 6, "six months by default, zero-filled")
		created := 0
		for _, m := range d.ProjectsCreated {
			created += m.Count
		}
		assert.Equal(t, sqlInt("SELECT count(*) FROM projects WHERE organization_id = ? AND created_at >= ?::date", s.orgID, d.From), created)
		assert.Equal(t, 4, d.ProjectsCreated[5].Count, "this month: two active, the archived one and the API's")
		assert.Equal(t, 1, d.ProjectsCreated[3].Count, "two months ago: the completed one")

		byStatus := map[string]int{}
		for _, st := range d.ProjectsByStatus {
			byStatus[st.Status] = st.Count
		}
		assert.Equal(t, map[string]int{"planning": 1, "active": 2, "on_hold": 1, "completed": 1, "cancelled": 0}, byStatus,
			"unarchived only; the API's project is planning")

		require.Len(t, d.MonthlyRevenue, 2)
		assert.Equal(t, "EUR", d.MonthlyRevenue[0].Currency)
		require.Len(t, d.MonthlyRevenue[0].Months, 6)
		assert.Equal(t, int64(5000), d.MonthlyRevenue[0].Months[4].AmountMinor)
		assert.Equal(t, int64(0), d.MonthlyRevenue[0].Months[5].AmountMinor)
		assert.Equal(t, int64(12500), d.MonthlyRevenue[1].Months[5].AmountMinor)

		require.NotEmpty(t, d.Activity)
		assert.Equal(t, "project.created", d.Activity[0].Type)
	})

	t.Run("member_sees_only_their_projects_and_no_revenue", func(t *testing.T) {
		d, raw := s.mustDashboard(t, s.member, "")
		assert.Equal(t, 1, d.ActiveProjects)
		assert.Equal(t, 0, d.CompletedProjects)
		assert.Equal(t, 2, d.Files)
		created := 0
		for _, m := range d.ProjectsCreated {
			created += m.Count
		}
		assert.Equal(t, 1, created)
		assert.JSONEq(t, "null", string(raw["revenue"]), "revenue needs invoices.read")
		assert.JSONEq(t, "null", string(raw["monthly_revenue"]))
		for _, a := range d.Activity {
			if a.ProjectID != nil {
				assert.Equal(t, s.acmeActive, *a.ProjectID, "no event of a project the member is not on")
			}
		}
	})

	t.Run("member_granted_invoices_read_sees_revenue_of_their_projects_only", func(t *testing.T) {
		_, err := db.Owner.Bun().ExecContext(context.Background(), `INSERT INTO member_permission_overrides
			(id, organization_id, membership_id, permission, granted) VALUES (?, ?, ?, 'invoices.read', true)`,
			uuid.NewString(), s.orgID, mustMemberID(t, db, s.orgID, s.member))
		require.NoError(t, err)
		d, _ := s.mustDashboard(t, s.member, "")
		assert.Equal(t, []moneyJSON{{"USD", 10000}}, d.Revenue, "the paid invoice of the member's project, not the others")
		require.Len(t, d.MonthlyRevenue, 1)
		assert.Equal(t, int64(10000), d.MonthlyRevenue[0].Months[5].AmountMinor)
	})

	t.Run("client_filter", func(t *testing.T) {
		d, _ := s.mustDashboard(t, s.owner, "?client_id="+s.acme+"&months=12")
		require.NotNil(t, d.TotalClients)
		assert.Equal(t, 1, *d.TotalClients)
		assert.Equal(t, [3]int{1, 1, 2}, [3]int{d.ActiveProjects, d.CompletedProjects, d.Files})
		assert.Equal(t, []moneyJSON{{"EUR", 5000}, {"USD", 10000}}, d.Revenue)
		assert.Len(t, d.ProjectsCreated, 12)

		d, _ = s.mustDashboard(t, s.owner, "?client_id="+s.globex)
		assert.Equal(t, [3]int{1, 0, 1}, [3]int{d.ActiveProjects, d.CompletedProjects, d.Files})
		assert.Equal(t, []moneyJSON{{"USD", 2500}}, d.Revenue)

		MustProblem(t, s.owner.Do(http.MethodGet, "/api/v1/orgs/"+s.orgID+"/dashboard?client_id="+uuid.NewString(), nil),
			http.StatusNotFound, "not_found")
	})

	t.Run("period_validation", func(t *testing.T) {
		for _, q := range []string{"months=0", "months=25", "months=-1", "months=six", "client_id=acme"} {
			p := MustProblem(t, s.owner.Do(http.MethodGet, "/api/v1/orgs/"+s.orgID+"/dashboard?"+q, nil),
				http.StatusUnprocessableEntity, "validation_failed")
			assert.NotEmpty(t, p.Locations(), q)
		}
		d, _ := s.mustDashboard(t, s.owner, "?months=1")
		require.Len(t, d.ProjectsCreated, 1)
		assert.Equal(t, d.From[:7], d.ProjectsCreated[0].Month)
		assert.Equal(t, d.From[:7], d.To[:7])
	})

	t.Run("another_tenant_gets_404", func(t *testing.T) {
		outsider := srv.MustSignUp(t, "Outsider")
		other := outsider.MustCreateOrg("Other Agency")
		MustProblem(t, outsider.Do(http.MethodGet, "/api/v1/orgs/"+s.orgID+"/dashboard", nil), http.StatusNotFound, "not_found")
		// A client of another organization in the filter is not found either.
		MustProblem(t, outsider.Do(http.MethodGet, "/api/v1/orgs/"+other.ID+"/dashboard?client_id="+s.acme, nil),
			http.StatusNotFound, "not_found")
	})

	t.Run("statements_per_request", func(t *testing.T) {
		counter.n.Store(0)
		s.mustDashboard(t, s.owner, "?client_id="+s.acme)
		n := counter.n.Load()
		t.Logf("dashboard statements per request: %d", n)
		// Auth (1), then one batch: tenant scope, clients, files, by status, created, activity, revenue.
		assert.LessOrEqual(t, n, int64(8))
	})
}
