package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

func TestOrganizationDeletion(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()

	t.Run("tables_come_children_first_and_cover_every_tenant_table_but_the_file_purge_queue_and_audit_log", func(t *testing.T) {
		order, err := d.App.OrganizationTablesInDeleteOrder(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var tenant []string
		if err := d.Owner.Bun().NewRaw(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped
			WHERE c.relkind = 'r' AND n.nspname = 'public' AND c.relname NOT IN ('file_purges', 'audit_logs')
			ORDER BY 1`).Scan(ctx, &tenant); err != nil {
			t.Fatal(err)
		}
		// The purge that ends an organization's deletion reads the queue its deleted files filled. The audit log
		// is append-only for the app role: its rows go with the organization row's cascade, as the owner.
		if slices.Contains(order, "file_purges") {
			t.Fatalf("the deletion would empty the file purge queue before the purge runs: %v", order)
		}
		sorted := slices.Sorted(slices.Values(order))
		if !slices.Equal(sorted, tenant) {
			t.Fatalf("delete order covers %v, tenant tables are %v", sorted, tenant)
		}
		var edges []struct{ Child, Parent string }
		if err := d.Owner.Bun().NewRaw(`SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
			JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
			WHERE k.contype = 'f' AND k.conrelid <> k.confrelid`).Scan(ctx, &edges); err != nil {
			t.Fatal(err)
		}
		for _, e := range edges {
			ci, pi := slices.Index(order, e.Child), slices.Index(order, e.Parent)
			if ci >= 0 && pi >= 0 && ci > pi {
				t.Errorf("%s references %s but is deleted after it: %v", e.Child, e.Parent, order)
			}
		}
	})

	t.Run("a_live_organization_is_never_emptied", func(t *testing.T) {
		_, org := mustUserAndOrg(t, d.App, "live-delete@example.com")
		if _, err := d.App.DeleteOrganizationBatch(ctx, org.ID, "organization_settings", 1000); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("batch on a live organization: %v, want EINVALID", err)
		}
		if err := d.App.DeleteOrganizationRow(ctx, org.ID); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("row delete on a live organization: %v, want EINVALID", err)
		}
		if _, err := d.App.OrganizationSettings(ctx, org.ID); err != nil {
			t.Fatalf("settings gone: %v", err)
		}
	})

	t.Run("the_audit_log_goes_with_the_organization_row", func(t *testing.T) {
		u, org := mustUserAndOrg(t, d.App, "audit-delete@example.com")
		if err := d.App.RecordAudit(ctx, org.ID, domain.AuditEntry{Action: domain.AuditOrganizationDeletionStarted,
			EntityType: "organization", EntityID: org.ID}); err != nil {
			t.Fatal(err)
		}
		if err := d.App.MarkOrganizationDeleting(ctx, org.ID, u.ID, org.Name, func(context.Context) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if err := d.App.DeleteOrganizationRow(ctx, org.ID); err != nil {
			t.Fatalf("deleting an organization with an audit log: %v", err)
		}
		var left int
		if err := d.Owner.Bun().NewRaw("SELECT count(*) FROM audit_logs WHERE organization_id = ?", org.ID).Scan(ctx, &left); err != nil {
			t.Fatal(err)
		}
		if left != 0 {
			t.Fatalf("%d audit rows outlived their organization", left)
		}
	})

	t.Run("batches_are_bounded_and_stay_inside_the_organization", func(t *testing.T) {
		u, doomed := mustUserAndOrg(t, d.App, "doomed-delete@example.com")
		_, kept := mustUserAndOrg(t, d.App, "kept-delete@example.com")
		for _, org := range []string{doomed.ID, kept.ID} {
			if _, err := d.Owner.Bun().ExecContext(ctx, `INSERT INTO clients (id, organization_id, name)
				SELECT gen_random_uuid(), ?, 'c' || i FROM generate_series(1, 5) AS i`, org); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.App.MarkOrganizationDeleting(ctx, doomed.ID, u.ID, doomed.Name, func(context.Context) error { return nil }); err != nil {
			t.Fatal(err)
		}
		var got []int64
		for range 3 {
			n, err := d.App.DeleteOrganizationBatch(ctx, doomed.ID, "clients", 2)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, n)
		}
		if !slices.Equal(got, []int64{2, 2, 1}) {
			t.Fatalf("batches removed %v, want [2 2 1]", got)
		}
		if err := d.App.DeleteOrganizationRow(ctx, doomed.ID); err != nil {
			t.Fatal(err)
		}
		if err := d.App.DeleteOrganizationRow(ctx, doomed.ID); err != nil {
			t.Fatalf("deleting twice: %v", err)
		}
		var left int
		if err := d.Owner.Bun().NewRaw("SELECT count(*) FROM clients WHERE organization_id = ?", kept.ID).Scan(ctx, &left); err != nil || left != 5 {
			t.Fatalf("other organization has %d clients (%v), want 5", left, err)
		}
	})
}
