package store_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// dashboardSeed is the dashboard organization: 500 clients, 5,000 projects (statuses and creation
// dates spread over two years), 20,000 files, 20,000 invoices (half paid over two years, in three
// currencies) and 200,000 events, with a member on 50 of the projects.
var dashboardSeed = []string{
	`INSERT INTO clients (id, organization_id, name) SELECT gen_random_uuid(), $1, 'Client ' || n FROM generate_series(1, 500) n`,
	`INSERT INTO projects (id, organization_id, client_id, name, status, created_at)
	 SELECT gen_random_uuid(), c.organization_id, c.id, c.name || '/' || k,
	   (ARRAY['planning','active','on_hold','completed','cancelled'])[1 + k % 5], now() - random() * interval '730 days'
	 FROM clients c, generate_series(1, 10) k WHERE c.organization_id = $1`,
	`INSERT INTO project_members (organization_id, project_id, user_id)
	 SELECT organization_id, id, $2 FROM projects WHERE organization_id = $1 ORDER BY random() LIMIT 50`,
	`INSERT INTO files (id, organization_id, project_id, name, content_type, size_bytes, storage_key)
	 SELECT gen_random_uuid(), p.organization_id, p.id, 'f', 'text/plain', 1, gen_random_uuid()::text
	 FROM projects p, generate_series(1, 4) k WHERE p.organization_id = $1`,
	`INSERT INTO invoices (id, organization_id, number, client_id, project_id, status, currency, issue_date, due_date,
	   subtotal, total, amount_paid, public_token_hash, paid_at)
	 SELECT gen_random_uuid(), p.organization_id, (p.n - 1) * 4 + k, p.client_id, p.id, s.status,
	   (ARRAY['USD','EUR','GBP'])[1 + p.n % 3], current_date, current_date, 10000, 10000,
	   CASE WHEN s.status = 'paid' THEN 10000 ELSE 0 END,
	   CASE WHEN s.status <> 'draft' THEN decode(md5(random()::text), 'hex') END,
	   CASE WHEN s.status = 'paid' THEN now() - random() * interval '730 days' END
	 FROM (SELECT id, organization_id, client_id, row_number() OVER (ORDER BY id) AS n FROM projects
	       WHERE organization_id = $1) p, generate_series(1, 4) k,
	   LATERAL (SELECT (ARRAY['paid','paid','sent','draft'])[k] AS status) s`,
	`INSERT INTO domain_events (id, organization_id, type, entity_type, entity_id, project_id, created_at)
	 SELECT gen_random_uuid(), p.organization_id, 'task.created', 'task', gen_random_uuid(), p.id, now() - k * interval '1 hour'
	 FROM projects p, generate_series(1, 40) k WHERE p.organization_id = $1`,
	`VACUUM ANALYZE`,
}

// BenchmarkDashboard measures the store side of the dashboard on the organization, 8 at a time,
// as the owner (sees everything, revenue included) and as a member on 50 projects; it reports p50 and p99.
//
//	go test ./store -run '^$' -bench BenchmarkDashboard -benchtime=2000x
func BenchmarkDashboard(b *testing.B) {
	d := storetest.MustOpen(b)
	ctx := context.Background()
	owner := &domain.User{Name: "Owner", Email: "owner@example.com", PasswordHash: "x"}
	member := &domain.User{Name: "Member", Email: "member@example.com", PasswordHash: "x"}
	for _, u := range []*domain.User{owner, member} {
		if err := d.App.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	org, err := d.App.CreateOrganization(ctx, "Bench", owner.ID)
	if err != nil {
		b.Fatal(err)
	}
	exec := d.Owner.Bun()
	if _, err := exec.ExecContext(ctx, `INSERT INTO organization_memberships (id, organization_id, user_id, role)
		VALUES (gen_random_uuid(), ?, ?, 'member')`, org.ID, member.ID); err != nil {
		b.Fatal(err)
	}
	for _, q := range dashboardSeed {
		args := []any{}
		if strings.Contains(q, "$1") {
			args = append(args, org.ID)
		}
		if strings.Contains(q, "$2") {
			args = append(args, member.ID)
		}
		if _, err := exec.DB.ExecContext(ctx, q, args...); err != nil {
			b.Fatal(q, err)
		}
	}
	now := time.Now().UTC()
	to := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	f := domain.DashboardFilter{From: to.AddDate(0, -6, 0), To: to, Clients: true, Revenue: true, InvoiceEvents: true, ActivityLimit: 10}
	for _, c := range []struct {
		name   string
		viewer domain.Viewer
	}{
		{"owner", domain.Viewer{UserID: owner.ID, Role: domain.RoleOwner}},
		{"member", domain.Viewer{UserID: member.ID, Role: domain.RoleMember}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var mu sync.Mutex
			took := make([]time.Duration, 0, b.N)
			b.SetParallelism(4) // 4 × GOMAXPROCS (2 here): 8 at a time
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					start := time.Now()
					if _, err := d.App.Dashboard(ctx, org.ID, c.viewer, f); err != nil {
						b.Error(err)
						return
					}
					mu.Lock()
					took = append(took, time.Since(start))
					mu.Unlock()
				}
			})
			slices.Sort(took)
			if len(took) > 0 {
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}
