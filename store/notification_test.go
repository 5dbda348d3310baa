package store_test

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// mustInsertNotification writes a notification for recipient as the schema owner (the fan-out's insert is
// tested with the fan-out) and returns its id.
func mustInsertNotification(t *testing.T, d *storetest.DB, orgID, recipientID, title string) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	if _, err := d.Owner.Bun().ExecContext(context.Background(), `INSERT INTO notifications
		(organization_id, id, recipient_id, type, title, source_key) VALUES (?, ?, ?, 'task_assigned', ?, ?)`,
		orgID, id, recipientID, title, "test/"+id); err != nil {
		t.Fatal(err)
	}
	return id
}

// countAsMember counts table's rows of orgID under row-level security as the application role acting for
// userID, with no recipient filter of its own: only the policies decide what it sees.
func countAsMember(t *testing.T, d *storetest.DB, table, orgID, userID string) int {
	t.Helper()
	var n int
	err := d.App.Bun().RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT set_config('app.org_id', ?, true), set_config('app.user_id', ?, true)",
			orgID, userID); err != nil {
			return err
		}
		return tx.NewRaw("SELECT count(*) FROM ?", bun.Ident(table)).Scan(ctx, &n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMemberCannotReadAnotherMembersNotifications is a security regression test: keep it. Two members
// of one organization share its tenant scope, and the restrictive own-rows policy still keeps each one's
// inbox, preferences and push subscriptions to themselves.
func TestMemberCannotReadAnotherMembersNotifications(t *testing.T) {
	t.Parallel()
	d := storetest.MustOpen(t)
	ctx := context.Background()
	owner, org := mustUserAndOrg(t, d.App, "notify-owner@example.com")
	member := &domain.User{Name: "Member", Email: "notify-member@example.com", PasswordHash: "x"}
	if err := d.App.CreateUser(ctx, member); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Owner.Bun().ExecContext(ctx, `INSERT INTO organization_memberships (id, organization_id, user_id, role)
		VALUES (gen_random_uuid(), ?, ?, 'member')`, org.ID, member.ID); err != nil {
		t.Fatal(err)
	}
	ownersID := mustInsertNotification(t, d, org.ID, owner.ID, "For the owner")
	mustInsertNotification(t, d, org.ID, owner.ID, "Also for the owner")
	mustInsertNotification(t, d, org.ID, member.ID, "For the member")
	if err := d.App.SetPreferences(ctx, org.ID, owner.ID, []domain.NotificationPreference{
		{Type: domain.NotifyCommentAdded, Channel: domain.ChannelEmail, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	sub := &domain.PushSubscription{Endpoint: "https://push.example.com/owner", P256dh: testP256dh(t), Auth: "AAAAAAAAAAAAAAAAAAAAAA"}
	session := &store.Session{UserID: owner.ID, TokenHash: []byte(uuid.NewString()), ExpiresAt: time.Now().Add(time.Hour)}
	if err := d.App.CreateSession(ctx, session); err != nil {
		t.Fatal(err)
	}
	if err := d.App.SavePushSubscription(ctx, org.ID, owner.ID, session.ID, sub); err != nil {
		t.Fatal(err)
	}

	for table, want := range map[string]int{"notifications": 1, "notification_preferences": 0, "push_subscriptions": 0} {
		if got := countAsMember(t, d, table, org.ID, member.ID); got != want {
			t.Errorf("the member sees %d rows of %s, want only their own %d", got, table, want)
		}
	}
	if got := countAsMember(t, d, "notifications", org.ID, owner.ID); got != 2 {
		t.Errorf("the owner sees %d notifications, want their 2", got)
	}
	list, _, unread, err := d.App.ListNotifications(ctx, org.ID, member.ID, domain.NotificationFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Title != "For the member" || unread != 1 {
		t.Errorf("the member's inbox is %d notifications (%d unread), want only their own", len(list), unread)
	}
	if _, err := d.App.MarkRead(ctx, org.ID, member.ID, ownersID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("marking the owner's notification read as the member: %v, want not found", err)
	}
	if err := d.App.DeletePushSubscription(ctx, org.ID, member.ID, sub.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("deleting the owner's push subscription as the member: %v, want not found", err)
	}
	if n, err := d.App.UnreadCount(ctx, org.ID, owner.ID); err != nil || n != 2 {
		t.Errorf("the owner's unread count is %d (%v), want 2: the member's attempts changed nothing", n, err)
	}
	if subs, err := d.App.ListPushSubscriptions(ctx, org.ID, owner.ID); err != nil || len(subs) != 1 {
		t.Errorf("the owner has %d push subscriptions (%v), want 1", len(subs), err)
	}
}

// testP256dh is a browser-like subscription key: a fresh P-256 public key, uncompressed, base64url.
func testP256dh(t *testing.T) string {
	t.Helper()
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(k.PublicKey().Bytes())
}
