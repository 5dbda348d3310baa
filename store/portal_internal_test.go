package store

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// TestPortalStatementsUseIndexes seeds an organization with many clients' projects, tasks, files and
// invoices, and checks with EXPLAIN that every list statement of the portal summary reads the tenant's
// big tables through indexes (as the application role, so the row-level security policy is in the plan).
func TestPortalStatementsUseIndexes(t *testing.T) {
	app, owner := mustOpenInternalWithOwner(t, 2)
	ctx := context.Background()
	u := &domain.User{Name: "Owner", Email: "owner@example.com", PasswordHash: "x"}
	if err := app.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	org, err := app.CreateOrganization(ctx, "Seeded", u.ID)
	if err != nil {
		t.Fatal(err)
	}
	clientA, contact := uuid.NewString(), uuid.NewString()
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := owner.Bun().ExecContext(ctx, query, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec("INSERT INTO users (id, name, email, password_hash) VALUES (?, 'Contact', 'contact@example.com', 'x')", contact)
	exec(`INSERT INTO clients (id, organization_id, name, portal_enabled)
		SELECT CASE WHEN g = 1 THEN ?::uuid ELSE gen_random_uuid() END, ?, 'Client ' || g, true FROM generate_series(1, 2000) g`,
		clientA, org.ID)
	exec("INSERT INTO organization_memberships (id, organization_id, user_id, role, client_id) VALUES (?, ?, ?, 'client', ?)",
		uuid.NewString(), org.ID, contact, clientA)
	exec(`INSERT INTO projects (id, organization_id, name, client_id)
		SELECT gen_random_uuid(), c.organization_id, c.name || ' project ' || g, c.id
		FROM clients c CROSS JOIN generate_series(1, 20) g WHERE c.organization_id = ? AND c.name ~ '^Client \d\d?$'`, org.ID)
	exec(`INSERT INTO task_board_columns (id, organization_id, project_id, name, position)
		SELECT gen_random_uuid(), p.organization_id, p.id, 'To do', 'a' FROM projects p WHERE p.organization_id = ?`, org.ID)
	exec(`INSERT INTO tasks (id, organization_id, project_id, column_id, number, title, position, due_date)
		SELECT gen_random_uuid(), c.organization_id, c.project_id, c.id, g, 'Task ' || g, 'a' || g, current_date + g
		FROM task_board_columns c CROSS JOIN generate_series(1, 5) g WHERE c.organization_id = ?`, org.ID)
	exec(`INSERT INTO files (id, organization_id, project_id, name, content_type, size_bytes, storage_key, shared_with_client)
		SELECT gen_random_uuid(), p.organization_id, p.id, 'f' || g, 'text/plain', 1, p.id || '/' || g, g % 2 = 0
		FROM projects p CROSS JOIN generate_series(1, 5) g WHERE p.organization_id = ?`, org.ID)
	exec(`INSERT INTO invoices (id, organization_id, number, client_id, status, currency, issue_date, due_date, subtotal,
		total, public_token_hash)
		SELECT gen_random_uuid(), c.organization_id, row_number() OVER (), c.id, 'sent', 'EUR', current_date, current_date + 30,
		1000, 1000, decode(md5(random()::text), 'hex')
		FROM clients c CROSS JOIN generate_series(1, 10) g WHERE c.organization_id = ? AND c.name ~ '^Client \d\d?$'`, org.ID)
	exec("ANALYZE")

	pv := domain.PortalViewer{UserID: contact, ClientID: clientA, Role: domain.RoleClient}
	args := append([]any{org.ID}, portalArgs(pv)...)
	statements := map[string]struct {
		query string
		args  []any
	}{
		"projects": {portalProjectSelect + " ORDER BY p.name, p.id LIMIT 200", args},
		"files":    {portalFileSelect + " ORDER BY f.id DESC LIMIT 5", args},
		"invoices": {portalInvoiceSelect + " ORDER BY i.id DESC LIMIT 200", args},
		"tasks":    {portalTaskSelect + " WHERE t.organization_id = ? AND t.project_id = ? ORDER BY col.position, t.position LIMIT 500", []any{contact, org.ID, uuid.NewString()}},
		"next_due": {`SELECT t.id FROM tasks t JOIN projects p ON p.organization_id = t.organization_id AND p.id = t.project_id
			WHERE t.organization_id = ? AND t.completed_at IS NULL AND t.due_date IS NOT NULL AND ` + portalProjectSQL +
			" ORDER BY t.due_date, t.id LIMIT 5", args},
	}
	seqScan := regexp.MustCompile(`Seq Scan on (projects|tasks|files|invoices|clients)\b`)
	for name, s := range statements {
		t.Run(name, func(t *testing.T) {
			var plan []string
			err := app.inTenant(ctx, org.ID, contact, func(ctx context.Context, tx bun.Tx) error {
				return tx.NewRaw("EXPLAIN "+s.query, s.args...).Scan(ctx, &plan)
			})
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(plan, "\n")
			if seqScan.MatchString(text) {
				t.Errorf("the portal's %s statement scans a whole table:\n%s", name, text)
			}
		})
	}

	t.Run("the_summary_reads_only_the_contacts_client", func(t *testing.T) {
		sum, err := app.PortalSummary(ctx, org.ID, pv, domain.PortalSections{Files: true, Tasks: true, Invoices: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Projects) != 20 || len(sum.OpenInvoices) != 10 || len(sum.RecentFiles) != domain.PortalRecentFiles {
			t.Fatalf("summary: %d projects, %d invoices, %d files; want 20, 10, %d", len(sum.Projects), len(sum.OpenInvoices),
				len(sum.RecentFiles), domain.PortalRecentFiles)
		}
		for _, p := range sum.Projects {
			if !strings.HasPrefix(p.Name, "Client 1 project") || p.Total != 5 {
				t.Errorf("project %q with %d tasks is not one of client 1's", p.Name, p.Total)
			}
		}
	})
}
