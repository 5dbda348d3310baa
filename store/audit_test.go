package store_test

import (
	"context"
	"testing"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// The audit log is append-only for the application role and scoped to one organization.
func TestAuditLogAppendOnly(t *testing.T) {
	d := storetest.MustOpen(t)
	u, org := mustUserAndOrg(t, d.App, "audit-owner@example.com")
	_, other := mustUserAndOrg(t, d.App, "audit-other@example.com")
	ctx := domain.WithAuditOrigin(context.Background(), domain.AuditOrigin{UserID: u.ID, IP: "203.0.113.9",
		UserAgent: "test-agent", RequestID: "req-12345678"})
	if err := d.App.RecordAudit(ctx, org.ID, domain.AuditEntry{Action: "settings.updated", EntityType: "organization",
		EntityID: org.ID, Metadata: map[string]any{"before": map[string]any{"name": "a"}}}); err != nil {
		t.Fatal(err)
	}
	if err := d.App.RecordUserAudit(ctx, u.ID, "auth.sign_in", nil); err != nil {
		t.Fatal(err)
	}
	rows, _, err := d.App.AuditLog(ctx, org.ID, u.ID, domain.AuditFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Action != "auth.sign_in" || rows[1].Action != "settings.updated" {
		t.Fatalf("rows = %+v", rows)
	}
	if r := rows[1]; r.ActorID != u.ID || r.ActorName != u.Name || r.IP != "203.0.113.9" ||
		r.UserAgent != "test-agent" || r.RequestID != "req-12345678" {
		t.Fatalf("row = %+v", r)
	}
	if got, _, _ := d.App.AuditLog(ctx, other.ID, u.ID, domain.AuditFilter{Limit: 10}); len(got) != 0 {
		t.Fatalf("another organization reads %d rows", len(got))
	}
	filtered, _, err := d.App.AuditLog(ctx, org.ID, u.ID, domain.AuditFilter{Action: "settings", Limit: 10})
	if err != nil || len(filtered) != 1 {
		t.Fatalf("action filter: %d rows, %v", len(filtered), err)
	}

	for name, stmt := range map[string]string{
		"update": "UPDATE audit_logs SET action = 'x.y'",
		"delete": "DELETE FROM audit_logs",
	} {
		t.Run(name+"_refused_for_the_app_role", func(t *testing.T) {
			tx, err := d.App.Bun().BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, "SELECT set_config('app.org_id', ?, true)", org.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, stmt); err == nil {
				t.Fatalf("%s succeeded", stmt)
			}
		})
	}
}
