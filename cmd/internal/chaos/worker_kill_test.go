package chaos_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/worker/temporaltest"
	"github.com/clientflow/clientflow/workflows"
)

// TestWorkerKilledMidActivity: SIGKILL the worker while an activity of each kind is in the middle of its
// side effect, start a fresh worker, and the workflow completes with the side effect done exactly once.
// Temporal notices the dead worker by the activity's timeout (30 s to 1 min), so the cases run in parallel.
func TestWorkerKilledMidActivity(t *testing.T) {
	srv := temporaltest.MustStart(t)
	for name, kill := range map[string]func(*testing.T, *testsuite.DevServer){
		"email": killDuringEmail, "organization_deletion_batch": killDuringOrganizationDeletion,
		"file_purge": killDuringFilePurge, "stripe_cancel": killDuringStripeCancel,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			kill(t, srv)
		})
	}
}

// killDuringEmail: the worker dies after Resend accepted the welcome email and before it answered. The
// retry sends the same idempotency key, so the message is delivered once, and the outbox records it sent.
func killDuringEmail(t *testing.T, srv *testsuite.DevServer) {
	peer := newEmailPeer(t, "welcome/")
	s := newStack(t, srv, map[string]string{"RESEND_API_KEY": "re_chaos", "RESEND_API_BASE": peer.URL, "VERIFY_REMINDER_AFTER": "1s"})
	_, base := s.startAPI(t, "api", nil)
	first := s.startWorker(t, "worker-1")
	userID, _ := newSession(t).mustSignUp(t, base)
	peer.waitHeld(t)
	first.kill(t)
	s.startWorker(t, "worker-2")

	var res workflows.WelcomeResult
	waitWorkflow(t, s, workflows.WelcomeWorkflowID(userID), &res)
	if !res.WelcomeSent || !res.ReminderSent {
		t.Fatalf("welcome workflow result %+v; want the welcome and the reminder sent", res)
	}
	key := "welcome/" + userID
	if n := peer.requests(key); n < 2 {
		t.Fatalf("the provider got %d request(s) for %s; the killed attempt and its retry should make 2", n, key)
	}
	if keys := peer.deliveredKeys("welcome/"); !slices.Equal(keys, []string{key}) {
		t.Fatalf("welcome deliveries under keys %v; want one, under %s (a retry must reuse the key)", keys, key)
	}
	sent := s.mustCount(t, "SELECT count(*) FROM email_outbox WHERE idempotency_key = ? AND status = 'sent' AND provider_message_id = ?",
		key, peer.messageID(key))
	if rows := s.mustCount(t, "SELECT count(*) FROM email_outbox WHERE idempotency_key = ?", key); sent != 1 || rows != 1 {
		t.Fatalf("outbox for %s: %d row(s), %d sent with the provider's id; want exactly one", key, rows, sent)
	}
}

// killDuringOrganizationDeletion: the worker dies in the middle of deleting an organization's 5,000
// clients, after four batches of 1,000 committed (a row lock held by the test stops the fifth). The retry
// on a fresh worker deletes what is left, and the organization is gone.
func killDuringOrganizationDeletion(t *testing.T, srv *testsuite.DevServer) {
	s := newStack(t, srv, nil)
	_, base := s.startAPI(t, "api", nil)
	first := s.startWorker(t, "worker-1")
	owner := newSession(t)
	owner.mustSignUp(t, base)
	orgID := owner.mustCreateOrg(t, base, "Doomed Co")
	// Time-ordered ids, so the last one is deleted by the last batch whichever scan the planner picks.
	s.mustExec(t, `INSERT INTO clients (id, organization_id, name)
		SELECT ('00000000-0000-7000-8000-' || lpad(i::text, 12, '0'))::uuid, ?, 'Client ' || i FROM generate_series(1, 5000) i`, orgID)
	release := mustLockRow(t, s, "SELECT 1 FROM clients WHERE id = '00000000-0000-7000-8000-000000005000' FOR UPDATE")

	owner.mustCall(t, base, http.MethodDelete, orgPath(orgID), map[string]string{"confirm_name": "Doomed Co"}, http.StatusAccepted, nil)
	remaining := func() int { return s.mustCount(t, "SELECT count(*) FROM clients WHERE organization_id = ?", orgID) }
	eventually(t, 60*time.Second, "four batches of clients deleted", func() bool { return remaining() == 1000 })
	first.kill(t)
	s.startWorker(t, "worker-2")
	release()

	var res workflows.DeleteOrganizationResult
	waitWorkflow(t, s, workflows.OrganizationDeleteWorkflowID(orgID), &res)
	if n := res.RowsDeleted["clients"]; n != 1000 {
		t.Errorf("the retry deleted %d clients; want the 1,000 the killed attempt left", n)
	}
	if n := remaining(); n != 0 {
		t.Errorf("%d clients left after the deletion", n)
	}
	if n := s.mustCount(t, "SELECT count(*) FROM organizations WHERE id = ?", orgID); n != 0 {
		t.Error("the organization row is still there")
	}
}

// killDuringFilePurge: 251 deleted files are queued for purging; the worker dies after removing the
// first batch's 200 stored files and before taking them off the queue (the test's row lock holds the
// dequeue). The retry repeats that batch harmlessly, purges the rest, and counts every file once.
func killDuringFilePurge(t *testing.T, srv *testsuite.DevServer) {
	s := newStack(t, srv, nil)
	_, base := s.startAPI(t, "api", nil)
	first := s.startWorker(t, "worker-1")
	owner := newSession(t)
	owner.mustSignUp(t, base)
	orgID := owner.mustCreateOrg(t, base, "Files Co")
	var project struct {
		ID string `json:"id"`
	}
	owner.mustCall(t, base, http.MethodPost, orgPath(orgID)+"/projects", map[string]string{"name": "Assets"}, http.StatusCreated, &project)

	const files = 251
	for i := range files {
		path := filepath.Join(s.filesDir(), "chaos", fmt.Sprintf("%03d", i))
		must(t, os.MkdirAll(filepath.Dir(path), 0o755), "mkdir")
		must(t, os.WriteFile(path, []byte("x"), 0o644), "write %s", path)
	}
	s.mustExec(t, `INSERT INTO files (id, organization_id, project_id, name, content_type, size_bytes, storage_key)
		SELECT gen_random_uuid(), ?, ?, 'file ' || i, 'text/plain', 1, 'chaos/' || lpad(i::text, 3, '0')
		FROM generate_series(0, ?) i`, orgID, project.ID, files-1)
	// All but the last are deleted now (the trigger queues them); the API deletes the last, which starts
	// the purge. Meanwhile the queue row of the first file stays locked.
	s.mustExec(t, "DELETE FROM files WHERE organization_id = ? AND storage_key <> 'chaos/250'", orgID)
	release := mustLockRow(t, s, "SELECT 1 FROM file_purges WHERE storage_key = 'chaos/000' FOR UPDATE")
	var lastID string
	must(t, s.DB.Owner.Bun().QueryRow("SELECT id FROM files WHERE storage_key = 'chaos/250'").Scan(&lastID), "last file")
	owner.mustCall(t, base, http.MethodDelete, fmt.Sprintf("%s/projects/%s/files/%s", orgPath(orgID), project.ID, lastID), nil, http.StatusNoContent, nil)

	onDisk := func() int {
		entries, _ := os.ReadDir(filepath.Join(s.filesDir(), "chaos"))
		return len(entries)
	}
	eventually(t, 60*time.Second, "the first batch's 200 files removed", func() bool { return onDisk() == files-200 })
	if n := s.mustCount(t, "SELECT count(*) FROM file_purges WHERE organization_id = ?", orgID); n != files {
		t.Fatalf("%d purges queued while the first batch waits to dequeue; want %d", n, files)
	}
	first.kill(t)
	s.startWorker(t, "worker-2")
	release()

	var res workflows.PurgeFilesResult
	waitWorkflow(t, s, workflows.PurgeFilesWorkflowID(orgID), &res)
	if res.Purged != files {
		t.Errorf("purge counted %d files; want %d, each once", res.Purged, files)
	}
	if n := onDisk(); n != 0 {
		t.Errorf("%d stored files left", n)
	}
	if n := s.mustCount(t, "SELECT count(*) FROM file_purges WHERE organization_id = ?", orgID); n != 0 {
		t.Errorf("%d purges still queued", n)
	}
}

// killDuringStripeCancel: deleting a paying organization cancels its Stripe subscription; the worker dies
// after Stripe received the cancel and before it answered. The retry sends the same request with the
// same idempotency key (so Stripe applies it once) and the deletion completes.
func killDuringStripeCancel(t *testing.T, srv *testsuite.DevServer) {
	stripe := startStripePeer(t)
	s := newStack(t, srv, map[string]string{"STRIPE_SECRET_KEY": "sk_test_chaos", "STRIPE_WEBHOOK_SECRET": "whsec_chaos",
		"STRIPE_PRICE_ID_STARTER": "price_starter", "STRIPE_PRICE_ID_PROFESSIONAL": "price_professional", "STRIPE_API_BASE": stripe.URL})
	_, base := s.startAPI(t, "api", nil)
	first := s.startWorker(t, "worker-1")
	owner := newSession(t)
	owner.mustSignUp(t, base)
	orgID := owner.mustCreateOrg(t, base, "Paying Co")
	s.mustExec(t, `UPDATE subscriptions SET status = 'active', stripe_customer_id = 'cus_chaos', stripe_subscription_id = 'sub_chaos'
		WHERE organization_id = ?`, orgID)

	owner.mustCall(t, base, http.MethodDelete, orgPath(orgID), map[string]string{"confirm_name": "Paying Co"}, http.StatusAccepted, nil)
	select {
	case <-stripe.held:
	case <-time.After(60 * time.Second):
		t.Fatal("Stripe never received the cancel")
	}
	first.kill(t)
	s.startWorker(t, "worker-2")

	var res workflows.DeleteOrganizationResult
	waitWorkflow(t, s, workflows.OrganizationDeleteWorkflowID(orgID), &res)
	want := "DELETE /v1/subscriptions/sub_chaos cancel-subscription-" + orgID
	var cancels []string
	for _, r := range stripe.seen() {
		if r != want {
			t.Errorf("unexpected Stripe request %q; want only %q", r, want)
		}
		cancels = append(cancels, r)
	}
	if len(cancels) < 2 {
		t.Errorf("Stripe got %d cancel(s); the killed attempt and its retry should make 2", len(cancels))
	}
	if n := s.mustCount(t, "SELECT count(*) FROM organizations WHERE id = ?", orgID); n != 0 {
		t.Error("the organization row is still there")
	}
}

// waitWorkflow waits (up to 3 minutes: an activity timeout plus retry back-off) for a workflow's result.
func waitWorkflow(t *testing.T, s *stack, id string, result any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	must(t, s.Temporal.GetWorkflow(ctx, id, "").Get(ctx, result), "workflow %s", id)
}

// mustLockRow holds a row lock (SELECT … FOR UPDATE) in a transaction of its own until release is
// called, so the worker's statement touching that row waits there: a known point to kill it at.
func mustLockRow(t *testing.T, s *stack, query string, args ...any) (release func()) {
	t.Helper()
	tx, err := s.DB.Owner.Bun().BeginTx(context.Background(), nil)
	must(t, err, "begin")
	var one int
	if err := tx.QueryRow(query, args...).Scan(&one); err != nil {
		tx.Rollback()
		t.Fatalf("lock %q: %v", query, err)
	}
	var once sync.Once
	release = func() { once.Do(func() { tx.Rollback() }) }
	t.Cleanup(release)
	return release
}
