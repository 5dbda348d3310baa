package activities_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	webpush "github.com/SherClockHolmes/webpush-go"
	"github.com/google/uuid"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/activities/push"
	"github.com/clientflow/clientflow/activities/push/pushtest"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// pushFixture is an organization whose member Rita receives notifications, a local push service, and the
// activities sending to it as the RLS-bound app role.
type pushFixture struct {
	db      *storetest.DB
	svc     *pushtest.Service
	acts    *activities.Activities
	orgID   string
	otherID string // another organization Rita belongs to
	rita    string
	bob     string // another member of orgID
}

// mustPushFixture makes fresh members and organizations in db, so the cases share one migrated database.
func mustPushFixture(t *testing.T, db *storetest.DB) *pushFixture {
	t.Helper()
	ctx := context.Background()
	private, public, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	svc := pushtest.MustStart(t, public)
	sender, err := push.NewSender(push.Config{PublicKey: public, PrivateKey: private, Subject: "mailto:ops@example.com",
		Client: svc.Client()})
	if err != nil {
		t.Fatal(err)
	}
	f := &pushFixture{db: db, svc: svc, acts: &activities.Activities{DB: db.App, Push: sender}}
	for _, u := range []struct {
		id          *string
		name, email string
	}{{&f.rita, "Rita", "rita"}, {&f.bob, "Bob", "bob"}} {
		user := &domain.User{Name: u.name, Email: u.email + "-" + uuid.NewString()[:8] + "@example.com", PasswordHash: "x"}
		if err := db.App.CreateUser(ctx, user); err != nil {
			t.Fatal(err)
		}
		*u.id = user.ID
	}
	for _, org := range []*string{&f.orgID, &f.otherID} {
		o, err := db.App.CreateOrganization(ctx, "Push Agency", f.rita)
		if err != nil {
			t.Fatal(err)
		}
		*org = o.ID
	}
	return f
}

// notification inserts a notification for userID in orgID, with a pending push delivery when withPush.
func (f *pushFixture) notification(t *testing.T, orgID, userID string, withPush bool) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	f.exec(t, `INSERT INTO notifications (organization_id, id, recipient_id, type, title, body, link, source_key)
		VALUES (?, ?, ?, 'task_assigned', 'Bob assigned you "Launch"', 'Due Friday <b>not html</b>', '/orgs/x/tasks/y', ?)`,
		orgID, id, userID, "test/"+id)
	if withPush {
		f.exec(t, `INSERT INTO notification_deliveries (organization_id, notification_id, channel) VALUES (?, ?, 'push')`,
			orgID, id)
	}
	return id
}

// subscribe records a browser subscription of userID in orgID at the push service, from a session of its
// own, and returns it.
func (f *pushFixture) subscribe(t *testing.T, orgID, userID string) domain.PushSubscription {
	t.Helper()
	sub, _ := f.subscribeSession(t, orgID, userID)
	return sub
}

// subscribeSession is subscribe that also returns the session's token hash, to sign it out.
func (f *pushFixture) subscribeSession(t *testing.T, orgID, userID string) (domain.PushSubscription, []byte) {
	t.Helper()
	session := f.session(t, userID)
	sub := f.svc.Subscribe()
	sub.ID = uuid.Must(uuid.NewV7()).String()
	f.exec(t, `INSERT INTO push_subscriptions (organization_id, id, user_id, session_id, endpoint, p256dh, auth)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, sub.ID, userID, session.ID, sub.Endpoint, sub.P256dh, sub.Auth)
	return sub, session.TokenHash
}

// session signs userID in (a live session) and returns it.
func (f *pushFixture) session(t *testing.T, userID string) *store.Session {
	t.Helper()
	s := &store.Session{UserID: userID, TokenHash: []byte(uuid.NewString()), ExpiresAt: time.Now().Add(time.Hour)}
	if err := f.db.App.CreateSession(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *pushFixture) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := f.db.Owner.Bun().ExecContext(context.Background(), query, args...); err != nil {
		t.Fatal(err)
	}
}

type deliveryRow struct {
	Status    string
	Attempts  int
	LastError *string
	SentAt    *time.Time
}

func (f *pushFixture) delivery(t *testing.T, orgID, notificationID string) deliveryRow {
	t.Helper()
	var d deliveryRow
	if err := f.db.Owner.Bun().QueryRowContext(context.Background(), `SELECT status, attempts, last_error, sent_at
		FROM notification_deliveries WHERE organization_id = ? AND notification_id = ? AND channel = 'push'`,
		orgID, notificationID).Scan(&d.Status, &d.Attempts, &d.LastError, &d.SentAt); err != nil {
		t.Fatal(err)
	}
	return d
}

// subscriptions returns the ids of the fixture's push subscriptions left, with whether each has a last success.
func (f *pushFixture) subscriptions(t *testing.T) map[string]bool {
	t.Helper()
	rows, err := f.db.Owner.Bun().QueryContext(context.Background(), `SELECT id::text, last_success_at IS NOT NULL
		FROM push_subscriptions WHERE organization_id IN (?, ?)`, f.orgID, f.otherID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		var succeeded bool
		if err := rows.Scan(&id, &succeeded); err != nil {
			t.Fatal(err)
		}
		out[id] = succeeded
	}
	return out
}

func TestSendPushNotification(t *testing.T) {
	db := storetest.MustOpen(t)
	t.Run("pushes_once_to_the_recipients_browsers", func(t *testing.T) { testPushesOnce(t, db) })
	t.Run("without_push_delivery_sends_nothing", func(t *testing.T) { testWithoutPushDelivery(t, db) })
	t.Run("of_another_organization_sends_nothing", func(t *testing.T) { testAnotherOrganization(t, db) })
	t.Run("retries_temporary_failures_then_gives_up", func(t *testing.T) { testTemporaryFailures(t, db) })
	t.Run("permanent_failure_is_not_retried", func(t *testing.T) { testPermanentFailure(t, db) })
	t.Run("skips", func(t *testing.T) { testSkips(t, db) })
	t.Run("pushes_to_the_newest_20_browsers", func(t *testing.T) { testNewestBrowsers(t, db) })
	t.Run("signed_out_browsers_get_nothing", func(t *testing.T) { testSignedOutBrowsers(t, db) })
	t.Run("browser_subscribed_by_another_user", func(t *testing.T) { testBrowserTakenOver(t, db) })
	t.Run("removed_member_gets_nothing", func(t *testing.T) { testRemovedMember(t, db) })
}

func testPushesOnce(t *testing.T, db *storetest.DB) {
	f := mustPushFixture(t, db)
	ctx := context.Background()
	phone, gone := f.subscribe(t, f.orgID, f.rita), f.subscribe(t, f.orgID, f.rita)
	bobs := f.subscribe(t, f.orgID, f.bob)         // another member: never reached
	elsewhere := f.subscribe(t, f.otherID, f.rita) // Rita in another organization: never reached
	f.svc.Answer(gone.Endpoint, http.StatusGone)   // the browser unsubscribed
	id := f.notification(t, f.orgID, f.rita, true)

	if err := f.acts.SendPushNotification(ctx, f.orgID, id); err != nil {
		t.Fatal(err)
	}
	msgs := f.svc.Messages()
	if len(msgs) != 1 || msgs[0].Endpoint != phone.Endpoint {
		t.Fatalf("pushed %+v (refused %v), want one message to the phone", msgs, f.svc.Refusals())
	}
	var got map[string]string
	if err := json.Unmarshal(msgs[0].Payload, &got); err != nil {
		t.Fatalf("payload %q: %v", msgs[0].Payload, err)
	}
	want := map[string]string{"title": `Bob assigned you "Launch"`, "body": "Due Friday <b>not html</b>",
		"link": "/orgs/x/tasks/y", "id": id}
	if len(got) != len(want) || got["title"] != want["title"] || got["body"] != want["body"] ||
		got["link"] != want["link"] || got["id"] != want["id"] {
		t.Errorf("payload %v, want %v", got, want)
	}
	if msgs[0].Topic != strings.ReplaceAll(id, "-", "") || msgs[0].TTL != push.TTL {
		t.Errorf("topic %q TTL %d", msgs[0].Topic, msgs[0].TTL)
	}
	subs := f.subscriptions(t)
	if _, ok := subs[gone.ID]; ok {
		t.Error("the subscription answered 410 was not deleted")
	}
	if !subs[phone.ID] || subs[bobs.ID] || subs[elsewhere.ID] || len(subs) != 3 {
		t.Errorf("subscriptions (id → has last success) %v", subs)
	}
	d := f.delivery(t, f.orgID, id)
	if d.Status != "sent" || d.Attempts != 1 || d.SentAt == nil || d.LastError != nil {
		t.Errorf("delivery %+v, want sent once", d)
	}

	// A retried activity (or a replayed fan-out) sends nothing again.
	if err := f.acts.SendPushNotification(ctx, f.orgID, id); err != nil {
		t.Fatal(err)
	}
	if n := len(f.svc.Messages()); n != 1 {
		t.Fatalf("second run pushed again: %d messages", n)
	}
	if d := f.delivery(t, f.orgID, id); d.Attempts != 1 {
		t.Errorf("second run counted an attempt: %+v", d)
	}
}

func testWithoutPushDelivery(t *testing.T, db *storetest.DB) {
	f := mustPushFixture(t, db)
	f.subscribe(t, f.orgID, f.rita)
	id := f.notification(t, f.orgID, f.rita, false) // push off for this notification
	for _, call := range [][2]string{{f.orgID, id}, {f.otherID, id}, {f.orgID, uuid.NewString()}, {f.orgID, "not-a-uuid"}} {
		if err := f.acts.SendPushNotification(context.Background(), call[0], call[1]); err != nil {
			t.Errorf("%v: %v", call, err)
		}
	}
	if n := len(f.svc.Messages()); n != 0 {
		t.Fatalf("pushed %d messages", n)
	}
}

func testAnotherOrganization(t *testing.T, db *storetest.DB) {
	f := mustPushFixture(t, db)
	f.subscribe(t, f.orgID, f.rita)
	f.subscribe(t, f.otherID, f.rita)
	id := f.notification(t, f.orgID, f.rita, true)
	if err := f.acts.SendPushNotification(context.Background(), f.otherID, id); err != nil {
		t.Fatal(err)
	}
	if n := len(f.svc.Messages()); n != 0 {
		t.Fatalf("a notification named under another organization was pushed %d times", n)
	}
	if d := f.delivery(t, f.orgID, id); d.Status != "pending" || d.Attempts != 0 {
		t.Fatalf("delivery %+v, want untouched", d)
	}
}

func testTemporaryFailures(t *testing.T, db *storetest.DB) {
	f := mustPushFixture(t, db)
	ctx := context.Background()
	sub := f.subscribe(t, f.orgID, f.rita)
	f.svc.Answer(sub.Endpoint, http.StatusServiceUnavailable)
	id := f.notification(t, f.orgID, f.rita, true)

	for attempt := 1; attempt < 5; attempt++ {
		if err := f.acts.SendPushNotification(ctx, f.orgID, id); err == nil {
			t.Fatalf("attempt %d: no error while the push service is down, Temporal would not retry", attempt)
		}
		d := f.delivery(t, f.orgID, id)
		if d.Status != "pending" || d.Attempts != attempt || d.LastError == nil || !strings.Contains(*d.LastError, "503") {
			t.Fatalf("attempt %d: delivery %+v", attempt, d)
		}
	}
	if err := f.acts.SendPushNotification(ctx, f.orgID, id); err != nil {
		t.Fatalf("last attempt: %v, want to give up quietly", err)
	}
	if d := f.delivery(t, f.orgID, id); d.Status != "failed" || d.Attempts != 5 || d.SentAt != nil {
		t.Fatalf("delivery %+v, want failed after 5 attempts", d)
	}
	if _, ok := f.subscriptions(t)[sub.ID]; !ok {
		t.Fatal("a temporarily failing subscription was deleted")
	}
}

func testPermanentFailure(t *testing.T, db *storetest.DB) {
	f := mustPushFixture(t, db)
	sub := f.subscribe(t, f.orgID, f.rita)
	f.svc.Answer(sub.Endpoint, http.StatusForbidden) // e.g. subscribed with another VAPID key
	id := f.notification(t, f.orgID, f.rita, true)
	if err := f.acts.SendPushNotification(context.Background(), f.orgID, id); err != nil {
		t.Fatal(err)
	}
	if d := f.delivery(t, f.orgID, id); d.Status != "failed" || d.Attempts != 1 || d.LastError == nil {
		t.Fatalf("delivery %+v, want failed at once", d)
	}
}

func testSkips(t *testing.T, db *storetest.DB) {
	t.Run("every_subscription_gone", func(t *testing.T) {
		f := mustPushFixture(t, db)
		for range 2 {
			f.svc.Answer(f.subscribe(t, f.orgID, f.rita).Endpoint, http.StatusNotFound)
		}
		id := f.notification(t, f.orgID, f.rita, true)
		if err := f.acts.SendPushNotification(context.Background(), f.orgID, id); err != nil {
			t.Fatal(err)
		}
		if d := f.delivery(t, f.orgID, id); d.Status != "skipped" || d.Attempts != 1 {
			t.Fatalf("delivery %+v", d)
		}
		if subs := f.subscriptions(t); len(subs) != 0 {
			t.Fatalf("subscriptions left: %v", subs)
		}
	})
	t.Run("no_subscription_left", func(t *testing.T) {
		f := mustPushFixture(t, db)
		id := f.notification(t, f.orgID, f.rita, true)
		if err := f.acts.SendPushNotification(context.Background(), f.orgID, id); err != nil {
			t.Fatal(err)
		}
		if d := f.delivery(t, f.orgID, id); d.Status != "skipped" {
			t.Fatalf("delivery %+v", d)
		}
	})
	t.Run("push_not_configured", func(t *testing.T) {
		f := mustPushFixture(t, db)
		f.subscribe(t, f.orgID, f.rita)
		f.acts.Push = nil
		id := f.notification(t, f.orgID, f.rita, true)
		if err := f.acts.SendPushNotification(context.Background(), f.orgID, id); err != nil {
			t.Fatal(err)
		}
		if d := f.delivery(t, f.orgID, id); d.Status != "skipped" || len(f.svc.Messages()) != 0 {
			t.Fatalf("delivery %+v, messages %d", d, len(f.svc.Messages()))
		}
	})
}

func testNewestBrowsers(t *testing.T, db *storetest.DB) {
	f := mustPushFixture(t, db)
	oldest := f.subscribe(t, f.orgID, f.rita)
	for range 20 {
		f.subscribe(t, f.orgID, f.rita)
	}
	id := f.notification(t, f.orgID, f.rita, true)
	if err := f.acts.SendPushNotification(context.Background(), f.orgID, id); err != nil {
		t.Fatal(err)
	}
	msgs := f.svc.Messages()
	if len(msgs) != 20 {
		t.Fatalf("pushed %d messages, want 20", len(msgs))
	}
	for _, m := range msgs {
		if m.Endpoint == oldest.Endpoint {
			t.Fatal("the oldest of 21 browsers was pushed to")
		}
	}
}

// A browser whose session was signed out, revoked or expired gets no push, the other browsers still do.
func testSignedOutBrowsers(t *testing.T, db *storetest.DB) {
	f := mustPushFixture(t, db)
	ctx := context.Background()
	signedOut, token := f.subscribeSession(t, f.orgID, f.rita)
	expired, _ := f.subscribeSession(t, f.orgID, f.rita)
	f.exec(t, `UPDATE sessions SET expires_at = now() - interval '1 second'
		WHERE id = (SELECT session_id FROM push_subscriptions WHERE id = ?)`, expired.ID)
	if err := db.App.RevokeSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	id := f.notification(t, f.orgID, f.rita, true)
	if err := f.acts.SendPushNotification(ctx, f.orgID, id); err != nil {
		t.Fatal(err)
	}
	if msgs := f.svc.Messages(); len(msgs) != 0 {
		t.Fatalf("pushed to signed-out browsers: %+v", msgs)
	}
	if d := f.delivery(t, f.orgID, id); d.Status != "skipped" || d.Attempts != 1 {
		t.Fatalf("delivery %+v, want skipped", d)
	}

	live := f.subscribe(t, f.orgID, f.rita)
	id = f.notification(t, f.orgID, f.rita, true)
	if err := f.acts.SendPushNotification(ctx, f.orgID, id); err != nil {
		t.Fatal(err)
	}
	if msgs := f.svc.Messages(); len(msgs) != 1 || msgs[0].Endpoint != live.Endpoint || signedOut.Endpoint == live.Endpoint {
		t.Fatalf("pushed %+v, want one message to the signed-in browser", msgs)
	}
}

// When Bob subscribes the browser Rita had subscribed, Rita's subscription of it is gone: her pushes no
// longer reach it, Bob's do.
func testBrowserTakenOver(t *testing.T, db *storetest.DB) {
	f := mustPushFixture(t, db)
	ctx := context.Background()
	f.exec(t, `INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (gen_random_uuid(), ?, ?, 'member')`,
		f.orgID, f.bob)
	browser := f.svc.Subscribe()
	ritas := browser
	if err := db.App.SavePushSubscription(ctx, f.orgID, f.rita, f.session(t, f.rita).ID, &ritas); err != nil {
		t.Fatal(err)
	}
	bobs := browser
	if err := db.App.SavePushSubscription(ctx, f.orgID, f.bob, f.session(t, f.bob).ID, &bobs); err != nil {
		t.Fatal(err)
	}
	if subs := f.subscriptions(t); len(subs) != 1 || bobs.ID == ritas.ID {
		t.Fatalf("subscriptions %v (Rita's %s, Bob's %s), want only Bob's", subs, ritas.ID, bobs.ID)
	} else if _, ok := subs[bobs.ID]; !ok {
		t.Fatalf("subscriptions %v, want Bob's %s", subs, bobs.ID)
	}
	if list, err := db.App.ListPushSubscriptions(ctx, f.orgID, f.rita); err != nil || len(list) != 0 {
		t.Fatalf("Rita's list %v %v, want empty", list, err)
	}
	ritaNote, bobNote := f.notification(t, f.orgID, f.rita, true), f.notification(t, f.orgID, f.bob, true)
	for _, id := range []string{ritaNote, bobNote} {
		if err := f.acts.SendPushNotification(ctx, f.orgID, id); err != nil {
			t.Fatal(err)
		}
	}
	msgs := f.svc.Messages()
	if len(msgs) != 1 || !strings.Contains(string(msgs[0].Payload), bobNote) {
		t.Fatalf("pushed %d messages, want Bob's notification only", len(msgs))
	}
	if d := f.delivery(t, f.orgID, ritaNote); d.Status != "skipped" {
		t.Fatalf("Rita's delivery %+v, want skipped", d)
	}
}

// A member removed (or suspended) after the notification was created gets no push: the delivery is skipped.
func testRemovedMember(t *testing.T, db *storetest.DB) {
	f := mustPushFixture(t, db)
	f.exec(t, `INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (gen_random_uuid(), ?, ?, 'member')`,
		f.orgID, f.bob)
	f.subscribe(t, f.orgID, f.bob)
	id := f.notification(t, f.orgID, f.bob, true)
	f.exec(t, `DELETE FROM organization_memberships WHERE organization_id = ? AND user_id = ?`, f.orgID, f.bob)
	if err := f.acts.SendPushNotification(context.Background(), f.orgID, id); err != nil {
		t.Fatal(err)
	}
	if n := len(f.svc.Messages()); n != 0 {
		t.Fatalf("pushed %d messages to a removed member", n)
	}
	d := f.delivery(t, f.orgID, id)
	if d.Status != "skipped" || d.LastError == nil || !strings.Contains(*d.LastError, "no longer an active member") {
		t.Fatalf("delivery %+v, want skipped for the removed member", d)
	}
}
