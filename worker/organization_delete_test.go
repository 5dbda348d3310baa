package worker_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/filestore"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker"
	"github.com/clientflow/clientflow/worker/temporaltest"
	"github.com/clientflow/clientflow/workflows"
)

// TestDeleteOrganizationOnDevServer deletes an organization with more rows than one batch through the real
// worker, activities (as the RLS-bound app role) and database, and proves another organization is untouched.
func TestDeleteOrganizationOnDevServer(t *testing.T) {
	srv := temporaltest.MustStart(t)
	db := storetest.MustOpen(t)
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))

	owner := &domain.User{Name: "Owner", Email: "owner@example.com", PasswordHash: "x"}
	if err := db.App.CreateUser(ctx, owner); err != nil {
		t.Fatal(err)
	}
	doomed, err := db.App.CreateOrganization(ctx, "Doomed", owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := db.App.CreateOrganization(ctx, "Kept", owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustSeedClients(t, db, doomed.ID, 2345)
	mustSeedClients(t, db, kept.ID, 3)
	files, err := filestore.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// A project file of the doomed organization: its bytes must leave the store with it.
	work := workOrg{orgID: doomed.ID, v: domain.Viewer{UserID: owner.ID, Role: domain.RoleOwner}}
	p := &domain.Project{Name: "Doomed work"}
	if err := db.App.CreateProject(ctx, doomed.ID, work.v, p, ""); err != nil {
		t.Fatal(err)
	}
	work.projectID = p.ID
	storedKey := work.mustUploadFile(t, db.App, files, "", "doomed bytes")
	before := mustSnapshot(t, db, kept.ID)

	acts := &activities.Activities{
		DB: db.App, Email: email.NewSender(email.NewProvider(email.Config{}, nil, logger), activities.Outbox{DB: db.App}, logger),
		AppURL: "http://app.test", SessionSecret: "secret", Files: files,
	}
	const queue = "org-delete-test"
	w := worker.New(srv.Client(), queue, acts)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	starter := worker.Starter{Client: srv.Client(), TaskQueue: queue}

	err = db.App.MarkOrganizationDeleting(ctx, doomed.ID, owner.ID, "Doomed", func(ctx context.Context) error {
		return starter.StartOrganizationDeletion(ctx, doomed.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var res workflows.DeleteOrganizationResult
	if err := srv.Client().GetWorkflow(ctx, workflows.OrganizationDeleteWorkflowID(doomed.ID), "").Get(waitCtx, &res); err != nil {
		t.Fatal(err)
	}
	recordHistory(t, srv.Client(), workflows.OrganizationDeleteWorkflowID(doomed.ID), "", "delete_organization")

	if res.RowsDeleted["clients"] != 2345 || res.RowsDeleted["organization_memberships"] != 1 {
		t.Fatalf("rows deleted %v, want 2345 clients and 1 membership", res.RowsDeleted)
	}
	if n := mustCountOrgRows(t, db, doomed.ID); n != 0 {
		t.Fatalf("%d rows of the deleted organization remain", n)
	}
	if res.FilesPurged != 1 || mustStored(t, files, storedKey) {
		t.Fatalf("purged %d stored files; the doomed file stored=%v", res.FilesPurged, mustStored(t, files, storedKey))
	}
	if queued, err := db.App.HasQueuedFilePurges(ctx, doomed.ID); err != nil || queued {
		t.Fatalf("purge queue of the deleted organization not empty: %v %v", queued, err)
	}
	if after := mustSnapshot(t, db, kept.ID); after != before {
		t.Fatalf("the other organization changed:\nbefore %s\nafter  %s", before, after)
	}
	// Starting it again after completion (the outbox relay retrying a start it did not see succeed) runs
	// nothing: the completed run stays the only one.
	first, err := srv.Client().DescribeWorkflowExecution(ctx, workflows.OrganizationDeleteWorkflowID(doomed.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := starter.StartOrganizationDeletion(ctx, doomed.ID); err != nil {
		t.Fatal(err)
	}
	desc, err := srv.Client().DescribeWorkflowExecution(ctx, workflows.OrganizationDeleteWorkflowID(doomed.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := desc.WorkflowExecutionInfo.GetExecution().GetRunId(), first.WorkflowExecutionInfo.GetExecution().GetRunId(); got != want {
		t.Fatalf("a second start after completion began run %s (first run %s)", got, want)
	}
	if attr := desc.WorkflowExecutionInfo.GetSearchAttributes().GetIndexedFields()["OrganizationId"]; attr == nil ||
		string(attr.GetData()) != fmt.Sprintf("%q", doomed.ID) {
		t.Fatalf("OrganizationId search attribute = %v", attr)
	}
}

// TestDeleteOrganizationRefusesALiveOrganization proves the activities never empty an organization that
// was not marked for deletion, whoever starts the workflow.
func TestDeleteOrganizationRefusesALiveOrganization(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	owner := &domain.User{Name: "Owner", Email: "live@example.com", PasswordHash: "x"}
	if err := db.App.CreateUser(ctx, owner); err != nil {
		t.Fatal(err)
	}
	org, err := db.App.CreateOrganization(ctx, "Alive", owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustSeedClients(t, db, org.ID, 3)
	acts := &activities.Activities{DB: db.App}

	if err := acts.ConfirmOrganizationDeleting(ctx, org.ID); err == nil {
		t.Fatal("confirmation passed for a live organization")
	}
	if _, err := acts.DeleteOrganizationTable(ctx, org.ID, "clients"); err == nil {
		t.Fatal("deleted rows of a live organization")
	}
	if err := acts.DeleteOrganizationRow(ctx, org.ID); err == nil {
		t.Fatal("deleted a live organization")
	}
	if n := mustCountOrgRows(t, db, org.ID); n != 1+1+1+3 {
		t.Fatalf("%d rows left, want the organization, its settings, 1 membership and 3 clients", n)
	}
	var nonRetryable interface{ NonRetryable() bool }
	_, err = acts.DeleteOrganizationTable(ctx, org.ID, "clients")
	if !errors.As(err, &nonRetryable) || !nonRetryable.NonRetryable() {
		t.Fatalf("error %v should be non-retryable", err)
	}
}

func mustSeedClients(t *testing.T, db *storetest.DB, orgID string, n int) {
	t.Helper()
	_, err := db.Owner.Bun().ExecContext(context.Background(), `INSERT INTO clients (id, organization_id, name)
		SELECT gen_random_uuid(), ?, 'Client ' || i FROM generate_series(1, ?) AS i`, orgID, n)
	if err != nil {
		t.Fatal(err)
	}
}

// mustCountOrgRows counts the organization row plus its rows in every tenant table, read as the owner.
func mustCountOrgRows(t *testing.T, db *storetest.DB, orgID string) int {
	t.Helper()
	var n int
	err := db.Owner.Bun().NewRaw(`SELECT
		(SELECT count(*) FROM organizations WHERE id = ?0) + (SELECT count(*) FROM organization_settings WHERE organization_id = ?0)
		+ (SELECT count(*) FROM organization_memberships WHERE organization_id = ?0) + (SELECT count(*) FROM clients WHERE organization_id = ?0)
		+ (SELECT count(*) FROM api_idempotency_keys WHERE organization_id = ?0)`, orgID).Scan(context.Background(), &n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func mustSnapshot(t *testing.T, db *storetest.DB, orgID string) string {
	t.Helper()
	var s string
	err := db.Owner.Bun().NewRaw(`SELECT coalesce(string_agg(r, E'\n' ORDER BY r), '') FROM (
		SELECT row_to_json(o)::text AS r FROM organizations o WHERE o.id = ?0
		UNION ALL SELECT row_to_json(s)::text FROM organization_settings s WHERE s.organization_id = ?0
		UNION ALL SELECT row_to_json(m)::text FROM organization_memberships m WHERE m.organization_id = ?0
		UNION ALL SELECT row_to_json(c)::text FROM clients c WHERE c.organization_id = ?0) AS rows`, orgID).Scan(context.Background(), &s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
