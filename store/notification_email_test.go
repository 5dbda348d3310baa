package store_test

import (
	"context"
	"testing"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// A notification email reaches only an active member: once removed, the pending emails are skipped, none
// is returned to send.
func TestPendingNotificationEmailSkipsRemovedMember(t *testing.T) {
	t.Parallel()
	d := storetest.MustOpen(t)
	ctx := context.Background()
	_, org := mustUserAndOrg(t, d.App, "email-owner@example.com")
	member := &domain.User{Name: "Member", Email: "email-member@example.com", PasswordHash: "x"}
	if err := d.App.CreateUser(ctx, member); err != nil {
		t.Fatal(err)
	}
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := d.Owner.Bun().ExecContext(ctx, query, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (gen_random_uuid(), ?, ?, 'member')`,
		org.ID, member.ID)
	pending := func(title string) string {
		id := mustInsertNotification(t, d, org.ID, member.ID, title)
		exec(`INSERT INTO notification_deliveries (organization_id, notification_id, channel) VALUES (?, ?, 'email')`, org.ID, id)
		return id
	}
	first := pending("While a member")
	pe, err := d.App.PendingNotificationEmail(ctx, org.ID, member.ID, []string{first})
	if err != nil || len(pe.Notifications) != 1 || pe.RecipientEmail != member.Email {
		t.Fatalf("active member: %+v %v, want the notification to send", pe, err)
	}

	exec(`DELETE FROM organization_memberships WHERE organization_id = ? AND user_id = ?`, org.ID, member.ID)
	second := pending("After the removal")
	pe, err = d.App.PendingNotificationEmail(ctx, org.ID, member.ID, []string{first, second})
	if err != nil || len(pe.Notifications) != 0 {
		t.Fatalf("removed member: %+v %v, want nothing to send", pe, err)
	}
	var statuses []string
	if err := d.Owner.Bun().NewRaw(`SELECT status FROM notification_deliveries WHERE organization_id = ? AND channel = 'email'
		ORDER BY notification_id`, org.ID).Scan(ctx, &statuses); err != nil {
		t.Fatal(err)
	}
	if len(statuses) != 2 || statuses[0] != "skipped" || statuses[1] != "skipped" {
		t.Fatalf("email deliveries %v, want both skipped", statuses)
	}
}
