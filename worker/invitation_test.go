package worker_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/workflows"
)

// TestInvitationExpiryOnDevServer expires a real invitation through the real worker, activity (as the
// RLS-bound app role) and database, and checks the accept signal ends another one without expiring it.
func TestInvitationExpiryOnDevServer(t *testing.T) {
	dw := mustRunDevWorker(t, "invitation-test", time.Hour)
	ctx := context.Background()
	inviter := &domain.User{Name: "Ivy Inviter", Email: "ivy@example.com", PasswordHash: "x"}
	if err := dw.DB.App.CreateUser(ctx, inviter); err != nil {
		t.Fatal(err)
	}
	org, err := dw.DB.App.CreateOrganization(ctx, "Expiring Agency", inviter.ID)
	if err != nil {
		t.Fatal(err)
	}
	invite := func(addr string, expiresIn time.Duration) domain.Invitation {
		t.Helper()
		inv := &domain.Invitation{OrganizationID: org.ID, Email: addr, Role: domain.RoleMember, InvitedBy: inviter.ID}
		if err := dw.DB.App.CreateInvitation(ctx, inv, []byte(addr)); err != nil {
			t.Fatal(err)
		}
		// Shorten the 7-day lifetime so the real timer fires during the test.
		inv.ExpiresAt = time.Now().Add(expiresIn).UTC().Truncate(time.Microsecond)
		if _, err := dw.DB.Owner.Bun().ExecContext(ctx, "UPDATE organization_invitations SET expires_at = ? WHERE id = ?", inv.ExpiresAt, inv.ID); err != nil {
			t.Fatal(err)
		}
		if err := dw.Starter.StartInvitationExpiry(ctx, *inv); err != nil {
			t.Fatal(err)
		}
		return *inv
	}
	outcome := func(inv domain.Invitation) string {
		t.Helper()
		waitCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		var out string
		if err := dw.Srv.Client().GetWorkflow(ctx, workflows.InvitationWorkflowID(inv.ID), "").Get(waitCtx, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}

	expiring := invite("late@example.com", 2*time.Second)
	accepted := invite("quick@example.com", time.Hour)
	if err := dw.Starter.InvitationAccepted(ctx, accepted.ID); err != nil {
		t.Fatal(err)
	}

	if got := outcome(expiring); got != workflows.InvitationOutcomeExpired {
		t.Fatalf("outcome %q, want expired", got)
	}
	if got := outcome(accepted); got != workflows.InvitationOutcomeAccepted {
		t.Fatalf("outcome %q, want accepted", got)
	}
	pending, err := dw.DB.App.PendingInvitations(ctx, org.ID)
	if err != nil || len(pending) != 1 || pending[0].ID != accepted.ID {
		t.Fatalf("pending %+v %v, want only the signalled invitation", pending, err)
	}
	box, err := dw.DB.App.Mailbox(ctx, 10)
	if err != nil || len(box) != 1 || box[0].To != inviter.Email || box[0].Tag != domain.EmailInvitationExpired || !box[0].Sent {
		t.Fatalf("mailbox %+v %v, want one invitation_expired email to the inviter", box, err)
	}
	recordHistory(t, dw.Srv.Client(), workflows.InvitationWorkflowID(expiring.ID), "", "invitation_expiry")

	// Ops find the tenant's workflows by its search attribute.
	desc, err := dw.Srv.Client().DescribeWorkflowExecution(ctx, workflows.InvitationWorkflowID(expiring.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := desc.WorkflowExecutionInfo.GetSearchAttributes().GetIndexedFields()["OrganizationId"]; !ok {
		t.Fatalf("search attributes %v lack OrganizationId", desc.WorkflowExecutionInfo.GetSearchAttributes())
	}
	// Signalling a finished workflow (a late accept) is not an error.
	if err := dw.Starter.InvitationRevoked(ctx, expiring.ID); err != nil {
		t.Fatal(err)
	}
}
