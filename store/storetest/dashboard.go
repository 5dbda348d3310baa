package storetest

import (
	"context"
	"strings"

	"github.com/clientflow/clientflow/store"
)

// dashboardSeed is the dashboard benchmarks' organization: 500 clients, 5,000 projects (statuses and
// creation dates spread over two years), 20,000 files, 20,000 invoices (half paid over two years, in three
// currencies) and 200,000 events, with a member ($2) on 50 of the projects.
var dashboardSeed = []string{
	`INSERT INTO clients (id, organization_id, name) SELECT gen_random_uuid(), $1, 'Client ' || n FROM generate_series(1, 500) n`,
	`INSERT INTO projects (id, organization_id, client_id, name, status, created_at)
	 SELECT gen_random_uuid(), c.organization_id, c.id, c.name || '/' || k,
	   (ARRAY['planning','active','on_hold','completed','cancelled'])[1 + k % 5], now() - random() * interval '730 days'
	 FROM clients c, generate_series(1, 10) k WHERE c.organization_id = $1`,
	`INSERT INTO project_members (organization_id, project_id, user_id)
	 SELECT organization_id, id, $2 FROM projects WHERE organization_id = $1 AND client_id IS NOT NULL
	 ORDER BY random() LIMIT 50`,
	`INSERT INTO files (id, organization_id, project_id, name, content_type, size_bytes, storage_key)
	 SELECT gen_random_uuid(), p.organization_id, p.id, 'f', 'text/plain', 1, gen_random_uuid()::text
	 FROM projects p, generate_series(1, 4) k WHERE p.organization_id = $1 AND p.client_id IS NOT NULL`,
	`INSERT INTO invoices (id, organization_id, number, client_id, project_id, status, currency, issue_date, due_date,
	   subtotal, total, amount_paid, public_token_hash, paid_at)
	 SELECT gen_random_uuid(), p.organization_id, (p.n - 1) * 4 + k, p.client_id, p.id, s.status,
	   (ARRAY['USD','EUR','GBP'])[1 + p.n % 3], current_date, current_date, 10000, 10000,
	   CASE WHEN s.status = 'paid' THEN 10000 ELSE 0 END,
	   CASE WHEN s.status <> 'draft' THEN decode(md5(random()::text), 'hex') END,
	   CASE WHEN s.status = 'paid' THEN now() - random() * interval '730 days' END
	 FROM (SELECT id, organization_id, client_id, row_number() OVER (ORDER BY id) AS n FROM projects
	       WHERE organization_id = $1 AND client_id IS NOT NULL) p, generate_series(1, 4) k,
	   LATERAL (SELECT (ARRAY['paid','paid','sent','draft'])[k] AS status) s`,
	`INSERT INTO domain_events (id, organization_id, type, entity_type, entity_id, project_id, created_at)
	 SELECT gen_random_uuid(), p.organization_id, 'task.created', 'task', gen_random_uuid(), p.id, now() - k * interval '1 hour'
	 FROM projects p, generate_series(1, 40) k WHERE p.organization_id = $1 AND p.client_id IS NOT NULL`,
	`VACUUM ANALYZE`,
}

// SeedDashboard bulk-loads the dashboard benchmarks' data into orgID as the schema owner (owner), putting
// memberID (a member of orgID) on 50 of the new projects. Projects orgID already has are left alone.
func SeedDashboard(ctx context.Context, owner *store.DB, orgID, memberID string) error {
	for _, q := range dashboardSeed {
		args := []any{}
		if strings.Contains(q, "$1") {
			args = append(args, orgID)
		}
		if strings.Contains(q, "$2") {
			args = append(args, memberID)
		}
		if _, err := owner.Bun().DB.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}
