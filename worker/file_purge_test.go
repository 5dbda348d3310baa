package worker_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/filestore"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/workflows"
)

// workOrg is an organization with a project and a task, and its owner as viewer.
type workOrg struct {
	orgID, projectID, taskID string
	v                        domain.Viewer
}

func mustWorkOrg(t *testing.T, db *store.DB, email string) workOrg {
	t.Helper()
	ctx := context.Background()
	u := &domain.User{Name: "Owner", Email: email, PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	org, err := db.CreateOrganization(ctx, "Org of "+email, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := workOrg{orgID: org.ID, v: domain.Viewer{UserID: u.ID, Role: domain.RoleOwner}}
	p := &domain.Project{Name: "Website"}
	if err := db.CreateProject(ctx, org.ID, w.v, p, ""); err != nil {
		t.Fatal(err)
	}
	task := &domain.Task{Title: "Logo"}
	if err := db.CreateTask(ctx, org.ID, w.v, p.ID, task); err != nil {
		t.Fatal(err)
	}
	w.projectID, w.taskID = p.ID, task.ID
	return w
}

// mustUploadFile stores content in files and records it as the API's upload does (bytes first, then
// the row), attached to the task when taskID is set; it returns the storage key.
func (w workOrg) mustUploadFile(t *testing.T, db *store.DB, files filestore.Store, taskID, content string) string {
	t.Helper()
	ctx := context.Background()
	f := &domain.File{ID: store.NewFileID(), ProjectID: w.projectID, TaskID: taskID, Name: "brief.txt", ContentType: "text/plain"}
	f.StorageKey = w.orgID + "/" + f.ID + ".txt"
	n, err := files.Put(ctx, f.StorageKey, f.ContentType, strings.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	f.SizeBytes = n
	if err := db.CreateFile(ctx, w.orgID, w.v, f); err != nil {
		t.Fatal(err)
	}
	return f.StorageKey
}

func mustStored(t *testing.T, files filestore.Store, key string) bool {
	t.Helper()
	r, err := files.Open(context.Background(), key)
	if errors.Is(err, filestore.ErrNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	return true
}

// TestPurgeFilesOnDevServer deletes a task with an attachment and runs the purge through the real worker,
// activities and database: the attachment's bytes leave the disk, everything else stays.
func TestPurgeFilesOnDevServer(t *testing.T) {
	dw := mustRunDevWorker(t, "purge-test", time.Hour)
	db, files := dw.DB.App, dw.Files
	ctx := context.Background()
	a, b := mustWorkOrg(t, db, "purge-a@example.com"), mustWorkOrg(t, db, "purge-b@example.com")
	attached := a.mustUploadFile(t, db, files, a.taskID, "attachment")
	projectFile := a.mustUploadFile(t, db, files, "", "project file")
	otherOrg := b.mustUploadFile(t, db, files, b.taskID, "org B's attachment")

	if err := db.DeleteTask(ctx, a.orgID, a.v, a.projectID, a.taskID); err != nil {
		t.Fatal(err)
	}
	// Two deletes in a row start it twice: the second joins (or follows) the first instead of failing.
	for range 2 {
		if err := dw.Starter.StartPurgeFiles(ctx, a.orgID); err != nil {
			t.Fatal(err)
		}
	}
	waitCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := dw.Srv.Client().GetWorkflow(ctx, workflows.PurgeFilesWorkflowID(a.orgID), "").Get(waitCtx, nil); err != nil {
		t.Fatal(err)
	}
	recordHistory(t, dw.Srv.Client(), workflows.PurgeFilesWorkflowID(a.orgID), "", "purge_files")
	if mustStored(t, files, attached) {
		t.Fatal("the deleted task's attachment is still on disk")
	}
	if !mustStored(t, files, projectFile) || !mustStored(t, files, otherOrg) {
		t.Fatal("the purge removed a file whose row still exists")
	}
	if queued, err := db.HasQueuedFilePurges(ctx, a.orgID); err != nil || queued {
		t.Fatalf("queue not empty after the purge: %v %v", queued, err)
	}
	desc, err := dw.Srv.Client().DescribeWorkflowExecution(ctx, workflows.PurgeFilesWorkflowID(a.orgID), "")
	if err != nil || desc.WorkflowExecutionInfo.GetType().GetName() != "PurgeFiles" {
		t.Fatalf("describe: %v %v", desc, err)
	}
}

// flakyStore fails the first delete of one key after the store really deleted it (a timeout after the
// provider acted), as a retried activity meets it.
type flakyStore struct {
	filestore.Store
	mu      sync.Mutex
	failKey string
	deletes map[string]int
}

func (s *flakyStore) Delete(ctx context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deletes[key]++
	if err := s.Store.Delete(ctx, key); err != nil {
		return err
	}
	if key == s.failKey {
		s.failKey = ""
		return errors.New("timeout waiting for the provider")
	}
	return nil
}

// TestPurgeFileBatchRetriesAfterAFailure runs the real activity against the database and a local store
// whose delete fails once part-way: nothing leaves the queue until all its bytes are gone, and the retry
// finishes the batch, counting each file once.
func TestPurgeFileBatchRetriesAfterAFailure(t *testing.T) {
	db := storetest.MustOpen(t)
	local, err := filestore.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := mustWorkOrg(t, db.App, "purge-retry@example.com")
	var keys []string
	for range 3 {
		keys = append(keys, w.mustUploadFile(t, db.App, local, w.taskID, "x"))
	}
	if err := db.App.DeleteTask(context.Background(), w.orgID, w.v, w.projectID, w.taskID); err != nil {
		t.Fatal(err)
	}
	queue, err := db.App.QueuedFilePurges(context.Background(), w.orgID, 10)
	if err != nil || len(queue) != 3 {
		t.Fatalf("queue %v %v", queue, err)
	}
	store := &flakyStore{Store: local, failKey: queue[1], deletes: map[string]int{}}
	acts := &activities.Activities{DB: db.App, Files: store}
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(acts)

	if _, err := env.ExecuteActivity(acts.PurgeFileBatch, w.orgID, 10); err == nil {
		t.Fatal("the failing delete did not fail the batch")
	}
	if left, _ := db.App.QueuedFilePurges(context.Background(), w.orgID, 10); len(left) != 3 {
		t.Fatalf("%d keys left the queue before their batch finished", 3-len(left))
	}
	res, err := env.ExecuteActivity(acts.PurgeFileBatch, w.orgID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := res.Get(&n); err != nil || n != 3 {
		t.Fatalf("the retry purged %d (%v), want 3", n, err)
	}
	for _, k := range keys {
		if mustStored(t, local, k) {
			t.Errorf("%s is still stored", k)
		}
	}
	res, err = env.ExecuteActivity(acts.PurgeFileBatch, w.orgID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Get(&n); err != nil || n != 0 {
		t.Fatalf("a third run purged %d (%v), want nothing left", n, err)
	}
	if store.deletes[queue[2]] != 1 {
		t.Fatalf("the key after the failure was deleted %d times, want once", store.deletes[queue[2]])
	}
}
