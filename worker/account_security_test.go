package worker_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/workflows"
)

// TestAccountSecurityEmailsOnDevServer sends the password reset and suspicious login emails the way the API
// does (the one-off email workflow on a real dev server) and reads them back from the dev mailbox.
func TestAccountSecurityEmailsOnDevServer(t *testing.T) {
	dw := mustRunDevWorker(t, "account-security-test", time.Hour)
	ctx := context.Background()
	reqs := []domain.EmailRequest{
		{Key: "password-reset/0195f0a0-0000-7000-8000-000000000001", To: "ada@example.com", Template: domain.EmailPasswordReset,
			Data: map[string]string{"Name": "Ada", "ResetURL": "http://app.test/reset-password?token=tok"}},
		{Key: "suspicious-login/0195f0a0-0000-7000-8000-000000000002", To: "ada@example.com", Template: domain.EmailSuspiciousLogin,
			Data: map[string]string{"Name": "Ada", "Time": "Fri 27 Nov 2026 03:10 UTC", "IP": "203.0.113.9",
				"Device": "Chrome on Windows", "SessionsURL": "http://app.test/account/security"}},
	}
	for _, req := range reqs {
		if err := dw.Starter.SendEmail(ctx, req); err != nil {
			t.Fatal(err)
		}
		waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := dw.Srv.Client().GetWorkflow(ctx, workflows.EmailWorkflowID(req.Key), "").Get(waitCtx, nil)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", req.Template, err)
		}
	}
	box, err := dw.DB.App.Mailbox(ctx, 10)
	if err != nil || len(box) != 2 {
		t.Fatalf("mailbox %+v %v, want the two emails", box, err)
	}
	byTag := map[string]string{}
	for _, m := range box {
		byTag[m.Tag] = m.Subject + "\n" + m.Text
	}
	for tag, want := range map[string]string{
		domain.EmailPasswordReset:   "http://app.test/reset-password?token=tok",
		domain.EmailSuspiciousLogin: "203.0.113.9",
	} {
		if !strings.Contains(byTag[tag], want) {
			t.Errorf("%s email %q does not mention %q", tag, byTag[tag], want)
		}
	}
}
