package worker_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/filestore"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker"
	"github.com/clientflow/clientflow/worker/temporaltest"
	"github.com/clientflow/clientflow/workflows"
)

// TestWelcomeOnDevServer runs the real worker, activities and database against a real Temporal dev server.
func TestWelcomeOnDevServer(t *testing.T) {
	dw := mustRunDevWorker(t, "welcome-test", 2*time.Second)
	srv, db, starter := dw.Srv, dw.DB, dw.Starter
	ctx := context.Background()
	u := &domain.User{Name: "Wendy <Welcome>", Email: "wendy@example.com", PasswordHash: "x"}
	if err := db.App.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := starter.StartWelcome(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	// A second start (a retried sign-up) joins the same workflow instead of sending twice.
	if err := starter.StartWelcome(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	run := srv.Client().GetWorkflow(ctx, workflows.WelcomeWorkflowID(u.ID), "")
	waitCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var res workflows.WelcomeResult
	if err := run.Get(waitCtx, &res); err != nil {
		t.Fatal(err)
	}
	if !res.WelcomeSent || !res.ReminderSent {
		t.Fatalf("result %+v, want welcome and reminder sent", res)
	}

	box, err := db.App.Mailbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	tags := map[string]int{}
	for _, m := range box {
		if m.To != u.Email || !m.Sent {
			t.Errorf("unexpected mailbox entry %+v", m)
		}
		tags[m.Tag]++
	}
	if tags[domain.EmailWelcome] != 1 || tags[domain.EmailVerifyReminder] != 1 || len(box) != 2 {
		t.Fatalf("mailbox tags %v, want one welcome and one reminder", tags)
	}

	// The history is visible to ops by its business ID.
	desc, err := srv.Client().DescribeWorkflowExecution(ctx, workflows.WelcomeWorkflowID(u.ID), "")
	if err != nil || desc.WorkflowExecutionInfo.GetType().GetName() != "Welcome" {
		t.Fatalf("describe: %v %v", desc, err)
	}
	recordHistory(t, srv.Client(), workflows.WelcomeWorkflowID(u.ID), "", "welcome")
}

// TestVerifiedUserGetsNoReminder checks the verification signal reaches the workflow on a real server.
func TestVerifiedUserGetsNoReminder(t *testing.T) {
	dw := mustRunDevWorker(t, "verify-test", time.Hour)
	srv, db, starter := dw.Srv, dw.DB, dw.Starter
	ctx := context.Background()
	u := &domain.User{Name: "Quick Verifier", Email: "quick@example.com", PasswordHash: "x"}
	if err := db.App.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := starter.StartWelcome(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if err := starter.EmailVerified(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var res workflows.WelcomeResult
	if err := srv.Client().GetWorkflow(ctx, workflows.WelcomeWorkflowID(u.ID), "").Get(waitCtx, &res); err != nil {
		t.Fatal(err)
	}
	if !res.WelcomeSent || res.ReminderSent {
		t.Fatalf("result %+v, want welcome only", res)
	}
	// Signalling a finished workflow (a late second click on the link) is not an error.
	if err := starter.EmailVerified(ctx, u.ID); err != nil {
		t.Fatalf("signal after completion: %v", err)
	}
}

// TestSendEmailOncePerKey starts the one-off email workflow twice with one key: one email goes out.
func TestSendEmailOncePerKey(t *testing.T) {
	dw := mustRunDevWorker(t, "email-test", time.Hour)
	srv, db, starter := dw.Srv, dw.DB, dw.Starter
	ctx := context.Background()
	req := domain.EmailRequest{Key: "test/once", To: "once@example.com", Template: domain.EmailWelcome,
		Data: map[string]string{"Name": "Once", "VerifyURL": "http://app.test/verify-email?token=t"}}
	for i := 0; i < 2; i++ {
		if err := starter.SendEmail(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := srv.Client().GetWorkflow(ctx, workflows.EmailWorkflowID(req.Key), "").Get(waitCtx, nil); err != nil {
		t.Fatal(err)
	}
	box, err := db.App.Mailbox(ctx, 10)
	if err != nil || len(box) != 1 || box[0].To != req.To || !box[0].Sent {
		t.Fatalf("mailbox %+v %v, want exactly one sent email", box, err)
	}
	recordHistory(t, srv.Client(), workflows.EmailWorkflowID(req.Key), "", "send_email")
}

// devWorker is a real worker with the real activities on a throwaway database, a local file store and a
// dev server.
type devWorker struct {
	Srv     *testsuite.DevServer
	DB      *storetest.DB
	Files   *filestore.Local
	Starter worker.Starter
}

// mustRunDevWorker starts a dev server, a database and a worker polling queue; all stop at cleanup.
func mustRunDevWorker(t *testing.T, queue string, reminderAfter time.Duration) *devWorker {
	t.Helper()
	srv := temporaltest.MustStart(t)
	db := storetest.MustOpen(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	files, err := filestore.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acts := &activities.Activities{
		DB: db.App, Email: email.NewSender(email.NewProvider(email.Config{}, nil, logger), activities.Outbox{DB: db.App}, logger),
		AppURL: "http://app.test", SessionSecret: "secret", Files: files,
	}
	w := worker.New(srv.Client(), queue, acts)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return &devWorker{Srv: srv, DB: db, Files: files,
		Starter: worker.Starter{Client: srv.Client(), TaskQueue: queue, VerifyReminderAfter: reminderAfter}}
}
