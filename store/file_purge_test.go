package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// purgeFixture is an organization with a project, a task, and its owner as viewer.
type purgeFixture struct {
	orgID, projectID, taskID string
	v                        domain.Viewer
}

func mustPurgeFixture(t *testing.T, db *store.DB, email string) purgeFixture {
	t.Helper()
	ctx := context.Background()
	u, org := mustUserAndOrg(t, db, email)
	f := purgeFixture{orgID: org.ID, v: domain.Viewer{UserID: u.ID, Role: domain.RoleOwner}}
	p := &domain.Project{Name: "Purge"}
	if err := db.CreateProject(ctx, org.ID, f.v, p, ""); err != nil {
		t.Fatal(err)
	}
	task := &domain.Task{Title: "With attachments"}
	if err := db.CreateTask(ctx, org.ID, f.v, p.ID, task); err != nil {
		t.Fatal(err)
	}
	f.projectID, f.taskID = p.ID, task.ID
	return f
}

// mustFile records a file (of the task when taskID is set) and returns its storage key.
func (f purgeFixture) mustFile(t *testing.T, db *store.DB, v domain.Viewer, taskID string) *domain.File {
	t.Helper()
	file := &domain.File{ID: store.NewFileID(), ProjectID: f.projectID, TaskID: taskID, Name: "a.txt",
		ContentType: "text/plain", SizeBytes: 1}
	file.StorageKey = f.orgID + "/" + file.ID + ".txt"
	if err := db.CreateFile(context.Background(), f.orgID, v, file); err != nil {
		t.Fatal(err)
	}
	return file
}

func mustQueued(t *testing.T, db *store.DB, orgID string) []string {
	t.Helper()
	keys, err := db.QueuedFilePurges(context.Background(), orgID, 100)
	if err != nil {
		t.Fatal(err)
	}
	return slices.Sorted(slices.Values(keys))
}

func TestFilePurges(t *testing.T) {
	d := storetest.MustOpen(t)
	db := d.App
	ctx := context.Background()

	t.Run("deleting_a_task_queues_its_attachments_only", func(t *testing.T) {
		f := mustPurgeFixture(t, db, "purge-task@example.com")
		att := f.mustFile(t, db, f.v, f.taskID)
		kept := f.mustFile(t, db, f.v, "")
		if queued := mustQueued(t, db, f.orgID); len(queued) != 0 {
			t.Fatalf("queued before any delete: %v", queued)
		}
		if err := db.DeleteTask(ctx, f.orgID, f.v, f.projectID, f.taskID); err != nil {
			t.Fatal(err)
		}
		if queued := mustQueued(t, db, f.orgID); !slices.Equal(queued, []string{att.StorageKey}) {
			t.Fatalf("queued %v, want the attachment %s", queued, att.StorageKey)
		}
		if _, err := db.File(ctx, f.orgID, f.v, f.projectID, kept.ID); err != nil {
			t.Fatalf("the project's own file went with the task: %v", err)
		}
		if has, err := db.HasQueuedFilePurges(ctx, f.orgID); err != nil || !has {
			t.Fatalf("HasQueuedFilePurges = %v, %v", has, err)
		}
	})

	t.Run("deleting_a_project_or_a_file_queues_it", func(t *testing.T) {
		f := mustPurgeFixture(t, db, "purge-project@example.com")
		one, two, three := f.mustFile(t, db, f.v, f.taskID), f.mustFile(t, db, f.v, ""), f.mustFile(t, db, f.v, "")
		if err := db.DeleteFile(ctx, f.orgID, f.v, f.projectID, three.ID, false); err != nil {
			t.Fatal(err)
		}
		if queued := mustQueued(t, db, f.orgID); !slices.Equal(queued, []string{three.StorageKey}) {
			t.Fatalf("queued %v after a file delete", queued)
		}
		if err := db.DeleteProject(ctx, f.orgID, f.v, f.projectID); err != nil {
			t.Fatal(err)
		}
		want := slices.Sorted(slices.Values([]string{one.StorageKey, two.StorageKey, three.StorageKey}))
		if queued := mustQueued(t, db, f.orgID); !slices.Equal(queued, want) {
			t.Fatalf("queued %v, want %v", queued, want)
		}
	})

	t.Run("only_the_uploader_deletes_without_the_any_file_grant", func(t *testing.T) {
		f := mustPurgeFixture(t, db, "purge-own@example.com")
		u := &domain.User{Name: "Member", Email: "purge-member@example.com", PasswordHash: "x"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Owner.Bun().ExecContext(ctx, `INSERT INTO organization_memberships (id, organization_id, user_id, role)
			VALUES (gen_random_uuid(), ?0, ?1, 'member');
			INSERT INTO project_members (organization_id, project_id, user_id) VALUES (?0, ?2, ?1)`,
			f.orgID, u.ID, f.projectID); err != nil {
			t.Fatal(err)
		}
		member := domain.Viewer{UserID: u.ID, Role: domain.RoleMember}
		owners, own := f.mustFile(t, db, f.v, ""), f.mustFile(t, db, member, "")
		if err := db.DeleteFile(ctx, f.orgID, member, f.projectID, owners.ID, false); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("someone else's file: %v, want EFORBIDDEN", err)
		}
		if queued := mustQueued(t, db, f.orgID); len(queued) != 0 {
			t.Fatalf("a refused delete queued %v", queued)
		}
		if err := db.DeleteFile(ctx, f.orgID, member, f.projectID, own.ID, false); err != nil {
			t.Fatalf("own file: %v", err)
		}
		if err := db.DeleteFile(ctx, f.orgID, f.v, f.projectID, owners.ID, true); err != nil {
			t.Fatalf("with the grant: %v", err)
		}
	})

	t.Run("rls_hides_and_protects_another_organizations_queue", func(t *testing.T) {
		a := mustPurgeFixture(t, db, "purge-a@example.com")
		b := mustPurgeFixture(t, db, "purge-b@example.com")
		fileA, fileB := a.mustFile(t, db, a.v, ""), b.mustFile(t, db, b.v, "")
		for _, f := range []struct {
			fx   purgeFixture
			file *domain.File
		}{{a, fileA}, {b, fileB}} {
			if err := db.DeleteFile(ctx, f.fx.orgID, f.fx.v, f.fx.projectID, f.file.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if queued := mustQueued(t, db, a.orgID); !slices.Equal(queued, []string{fileA.StorageKey}) {
			t.Fatalf("org A's queue is %v", queued)
		}
		// A careless statement in A's scope that names B's key changes nothing.
		if err := db.DequeueFilePurges(ctx, a.orgID, []string{fileB.StorageKey}); err != nil {
			t.Fatal(err)
		}
		var seen int
		_, err := d.App.Bun().ExecContext(ctx, `BEGIN; SELECT set_config('app.org_id', '`+a.orgID+`', true);
			DELETE FROM file_purges; COMMIT;`)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Owner.Bun().NewRaw("SELECT count(*) FROM file_purges WHERE organization_id = ?", b.orgID).Scan(ctx, &seen); err != nil || seen != 1 {
			t.Fatalf("org B's queue has %d rows (%v), want its 1", seen, err)
		}
		if err := d.App.Bun().NewRaw("SELECT count(*) FROM file_purges").Scan(ctx, &seen); err != nil || seen != 0 {
			t.Fatalf("without a tenant scope the app role sees %d queued rows (%v)", seen, err)
		}
		_, err = d.App.Bun().ExecContext(ctx, `BEGIN; SELECT set_config('app.org_id', '`+a.orgID+`', true);
			INSERT INTO file_purges (organization_id, storage_key) VALUES ('`+b.orgID+`', 'sneaky'); COMMIT;`)
		if err == nil {
			t.Fatal("queued a purge for another organization")
		}
		d.App.Bun().ExecContext(ctx, "ROLLBACK")
	})

	t.Run("the_queue_outlives_the_deleted_organization", func(t *testing.T) {
		f := mustPurgeFixture(t, db, "purge-org@example.com")
		att, doc := f.mustFile(t, db, f.v, f.taskID), f.mustFile(t, db, f.v, "")
		if err := db.MarkOrganizationDeleting(ctx, f.orgID, f.v.UserID, "Org of purge-org@example.com", func(context.Context) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteOrganizationRow(ctx, f.orgID); err != nil {
			t.Fatal(err)
		}
		want := slices.Sorted(slices.Values([]string{att.StorageKey, doc.StorageKey}))
		if queued := mustQueued(t, db, f.orgID); !slices.Equal(queued, want) {
			t.Fatalf("queued %v after the organization went, want %v", queued, want)
		}
		if err := db.DequeueFilePurges(ctx, f.orgID, want); err != nil {
			t.Fatal(err)
		}
		if err := db.DequeueFilePurges(ctx, f.orgID, want); err != nil {
			t.Fatalf("dequeuing twice: %v", err)
		}
		if queued := mustQueued(t, db, f.orgID); len(queued) != 0 {
			t.Fatalf("still queued: %v", queued)
		}
	})
}
