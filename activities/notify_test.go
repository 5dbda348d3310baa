package activities_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/stream"
)

// notifyFixture is an organization where the owner Olga works with members Bea and Carl on a project, and
// the fan-out activities writing as the RLS-bound app role, with recording stand-ins for the email windows
// and the live stream.
type notifyFixture struct {
	db                    *storetest.DB
	acts                  *activities.Activities
	digests               *recordedDigests
	live                  *recordedStream
	orgID, projectID      string
	olga, bea, carl, dora string
	olgaV                 domain.Viewer
}

type recordedDigests struct {
	mu   sync.Mutex
	refs []domain.NotificationEmailRef
}

func (r *recordedDigests) QueueNotificationEmail(_ context.Context, ref domain.NotificationEmailRef) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refs = append(r.refs, ref)
	return nil
}

type recordedStream struct {
	mu   sync.Mutex
	msgs []stream.Message
}

func (r *recordedStream) Publish(_ context.Context, msgs ...stream.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, msgs...)
	return nil
}

func mustNotifyFixture(t *testing.T) *notifyFixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.MustOpen(t)
	f := &notifyFixture{db: db, digests: &recordedDigests{}, live: &recordedStream{}}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.acts = &activities.Activities{DB: db.App, AppURL: "http://app.test", SessionSecret: "secret",
		EmailDigests: f.digests, Stream: f.live,
		Email: email.NewSender(email.NewProvider(email.Config{}, nil, logger), activities.Outbox{DB: db.App}, logger)}
	for _, u := range []struct {
		id   *string
		name string
	}{{&f.olga, "Olga"}, {&f.bea, "Bea"}, {&f.carl, "Carl"}, {&f.dora, "Dora"}} {
		user := &domain.User{Name: u.name, Email: fmt.Sprintf("%s-%s@example.com", strings.ToLower(u.name), uuid.NewString()[:8]), PasswordHash: "x"}
		require.NoError(t, db.App.CreateUser(ctx, user))
		*u.id = user.ID
	}
	org, err := db.App.CreateOrganization(ctx, "Notify Agency", f.olga)
	require.NoError(t, err)
	f.orgID, f.olgaV = org.ID, domain.Viewer{UserID: f.olga, Role: domain.RoleOwner}
	for _, m := range []string{f.bea, f.carl, f.dora} {
		f.exec(t, `INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (?, ?, ?, 'member')`,
			uuid.NewString(), f.orgID, m)
	}
	p := &domain.Project{Name: "Website"}
	require.NoError(t, db.App.CreateProject(ctx, f.orgID, f.olgaV, p, ""))
	f.projectID = p.ID
	for _, m := range []string{f.bea, f.carl, f.dora} {
		_, err := db.App.AddProjectMember(ctx, f.orgID, f.olgaV, f.projectID, m)
		require.NoError(t, err)
	}
	f.fanOut(t) // the setup's own events (project created, members added) notify nobody
	return f
}

func (f *notifyFixture) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := f.db.Owner.Bun().NewRaw(query, args...).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// fanOut runs NotifyEvents on every queued event as one batch, as the relay's workflow would, and
// empties the queue; it returns the refs it ran.
func (f *notifyFixture) fanOut(t *testing.T) []domain.EventRef {
	t.Helper()
	refs := f.queued(t)
	_, err := f.acts.NotifyEvents(context.Background(), refs)
	require.NoError(t, err)
	f.exec(t, "DELETE FROM domain_event_queue")
	return refs
}

// queued lists the events waiting in the fan-out's queue, oldest first.
func (f *notifyFixture) queued(t *testing.T) []domain.EventRef {
	t.Helper()
	var refs []domain.EventRef
	require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT event_id, organization_id FROM domain_event_queue ORDER BY event_id`).
		Scan(context.Background(), &refs))
	return refs
}

// inbox counts recipient's notifications of type t.
func (f *notifyFixture) inbox(t *testing.T, recipient, typ string) int {
	t.Helper()
	var n int
	require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT count(*) FROM notifications WHERE organization_id = ? AND recipient_id = ? AND type = ?`,
		f.orgID, recipient, typ).Scan(context.Background(), &n))
	return n
}

// deliveries counts recipient's deliveries on channel for notifications of type t.
func (f *notifyFixture) deliveries(t *testing.T, recipient, typ, channel string) int {
	t.Helper()
	var n int
	require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT count(*) FROM notification_deliveries d JOIN notifications n
		ON n.organization_id = d.organization_id AND n.id = d.notification_id
		WHERE n.organization_id = ? AND n.recipient_id = ? AND n.type = ? AND d.channel = ?`,
		f.orgID, recipient, typ, channel).Scan(context.Background(), &n))
	return n
}

func (f *notifyFixture) task(t *testing.T, v domain.Viewer, assignees ...string) *domain.Task {
	t.Helper()
	task := &domain.Task{Title: "Launch page", AssigneeIDs: assignees}
	require.NoError(t, f.db.App.CreateTask(context.Background(), f.orgID, v, f.projectID, task))
	return task
}

func mentionDoc(userID string) json.RawMessage {
	return json.RawMessage(`{"type":"doc","content":[{"type":"paragraph","content":[{"type":"mention","attrs":{"id":"` +
		userID + `"}},{"type":"text","text":" have a look"}]}]}`)
}

func TestNotifyEvent(t *testing.T) {
	f := mustNotifyFixture(t)
	ctx := context.Background()

	t.Run("each_recipient_once_per_channel_even_when_the_activity_runs_twice", func(t *testing.T) {
		f.task(t, f.olgaV, f.bea)
		refs := f.fanOut(t)
		for _, ref := range refs { // the retry of every event
			_, err := f.acts.NotifyEvent(ctx, ref)
			require.NoError(t, err)
		}
		assert.Equal(t, 1, f.inbox(t, f.bea, domain.NotifyTaskAssigned))
		assert.Equal(t, 1, f.deliveries(t, f.bea, domain.NotifyTaskAssigned, domain.ChannelEmail))
		assert.Zero(t, f.deliveries(t, f.bea, domain.NotifyTaskAssigned, domain.ChannelPush), "no subscription, no push delivery")
		assert.Zero(t, f.inbox(t, f.olga, domain.NotifyTaskAssigned), "the actor is never notified")
		var live []stream.Message
		for _, m := range f.live.msgs {
			if m.RecipientID == f.bea && m.Type == domain.NotifyTaskAssigned {
				live = append(live, m)
			}
		}
		require.NotEmpty(t, live)
		assert.Equal(t, stream.KindNotification, live[0].Kind)
		assert.Equal(t, f.orgID, live[0].OrganizationID)
	})

	t.Run("the_actor_is_never_notified_of_their_own_assignment", func(t *testing.T) {
		f.task(t, domain.Viewer{UserID: f.bea, Role: domain.RoleMember}, f.bea)
		f.fanOut(t)
		assert.Equal(t, 1, f.inbox(t, f.bea, domain.NotifyTaskAssigned), "only the assignment by Olga")
	})

	t.Run("a_member_removed_from_the_project_gets_nothing", func(t *testing.T) {
		task := f.task(t, f.olgaV, f.carl)
		require.NoError(t, f.db.App.RemoveProjectMember(ctx, f.orgID, f.olgaV, f.projectID, f.carl))
		f.fanOut(t)
		c := &domain.Comment{BodyJSON: json.RawMessage(`{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"hi"}]}]}`),
			BodyHTML: "<p>hi</p>"}
		require.NoError(t, f.db.App.CreateComment(ctx, f.orgID, f.olgaV, f.projectID, task.ID, c))
		f.fanOut(t)
		var n int
		require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT count(*) FROM notifications WHERE recipient_id = ?`, f.carl).Scan(ctx, &n))
		assert.Zero(t, n)
	})

	t.Run("a_suspended_member_gets_nothing", func(t *testing.T) {
		f.exec(t, `UPDATE organization_memberships SET status = 'suspended' WHERE organization_id = ? AND user_id = ?`, f.orgID, f.dora)
		defer f.exec(t, `UPDATE organization_memberships SET status = 'active' WHERE organization_id = ? AND user_id = ?`, f.orgID, f.dora)
		_, err := f.acts.Notify(ctx, domain.Notice{OrganizationID: f.orgID, Type: domain.NotifySessionActivity,
			RecipientIDs: []string{f.dora, f.bea}, Title: "New sign-in", SourceKey: "test/suspended"})
		require.NoError(t, err)
		assert.Zero(t, f.inbox(t, f.dora, domain.NotifySessionActivity))
		assert.Equal(t, 1, f.inbox(t, f.bea, domain.NotifySessionActivity))
	})

	t.Run("preference_off_means_nothing_on_that_channel", func(t *testing.T) {
		f.exec(t, `INSERT INTO notification_preferences (organization_id, user_id, type, channel, enabled)
			VALUES (?, ?, 'task_assigned', 'email', false), (?, ?, 'task_assigned', 'in_app', false), (?, ?, 'comment_added', 'email', false)`,
			f.orgID, f.dora, f.orgID, f.dora, f.orgID, f.dora)
		task := f.task(t, f.olgaV, f.dora)
		f.fanOut(t)
		assert.Zero(t, f.inbox(t, f.dora, domain.NotifyTaskAssigned), "in-app, email and (no subscription) push all off")
		c := &domain.Comment{BodyJSON: json.RawMessage(`{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"ok"}]}]}`),
			BodyHTML: "<p>ok</p>"}
		require.NoError(t, f.db.App.CreateComment(ctx, f.orgID, f.olgaV, f.projectID, task.ID, c))
		f.fanOut(t)
		assert.Equal(t, 1, f.inbox(t, f.dora, domain.NotifyCommentAdded), "in-app stays on")
		assert.Zero(t, f.deliveries(t, f.dora, domain.NotifyCommentAdded, domain.ChannelEmail))
		for _, ref := range f.digests.refs {
			assert.NotEqual(t, f.dora, ref.RecipientID, "no email of Dora's is queued")
		}
	})

	t.Run("a_mention_replaces_the_comment_notification", func(t *testing.T) {
		task := f.task(t, f.olgaV, f.bea)
		f.fanOut(t)
		c := &domain.Comment{BodyJSON: mentionDoc(f.bea), BodyHTML: "<p>@Bea have a look</p>"}
		require.NoError(t, f.db.App.CreateComment(ctx, f.orgID, f.olgaV, f.projectID, task.ID, c))
		before := f.inbox(t, f.bea, domain.NotifyCommentAdded)
		f.fanOut(t)
		assert.Equal(t, before, f.inbox(t, f.bea, domain.NotifyCommentAdded))
		assert.Equal(t, 1, f.inbox(t, f.bea, domain.NotifyMentioned))
	})

	t.Run("a_move_tells_the_watchers_but_not_the_mover", func(t *testing.T) {
		task := f.task(t, f.olgaV, f.bea)
		f.fanOut(t)
		cols, err := f.db.App.Columns(ctx, f.orgID, f.olgaV, f.projectID)
		require.NoError(t, err)
		bea := domain.Viewer{UserID: f.bea, Role: domain.RoleMember}
		_, err = f.db.App.MoveTask(ctx, f.orgID, bea, f.projectID, task.ID, domain.TaskMove{ColumnID: cols[1].ID})
		require.NoError(t, err)
		f.fanOut(t)
		assert.Equal(t, 1, f.inbox(t, f.olga, domain.NotifyTaskStatusChanged), "the creator watches")
		assert.Zero(t, f.inbox(t, f.bea, domain.NotifyTaskStatusChanged))
		assert.Zero(t, f.deliveries(t, f.olga, domain.NotifyTaskStatusChanged, domain.ChannelEmail), "status emails are off by default")
	})

	t.Run("an_invoice_paid_reaches_those_who_hold_invoices_read_and_see_it", func(t *testing.T) {
		cleo, kurt := f.user(t, "Cleo"), f.user(t, "Kurt")
		for _, c := range []string{cleo, kurt} {
			f.exec(t, `INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (?, ?, ?, 'client')`,
				uuid.NewString(), f.orgID, c)
		}
		// On the project from before contacts existed (the API no longer adds a client-role member).
		f.exec(t, `INSERT INTO project_members (organization_id, project_id, user_id) VALUES (?, ?, ?)`, f.orgID, f.projectID, cleo)
		clientID, invoiceID := uuid.NewString(), uuid.NewString()
		f.exec(t, `INSERT INTO clients (id, organization_id, name) VALUES (?, ?, 'Acme')`, clientID, f.orgID)
		f.exec(t, `INSERT INTO invoices (id, organization_id, number, client_id, project_id, status, currency, issue_date,
			due_date, public_token_hash) VALUES (?, ?, 7, ?, ?, 'paid', 'EUR', current_date, current_date, ?)`,
			invoiceID, f.orgID, clientID, f.projectID, []byte(invoiceID))
		f.exec(t, `INSERT INTO domain_events (id, organization_id, type, entity_type, entity_id, project_id, payload)
			VALUES (?, ?, 'invoice.paid', 'invoice', ?, ?, '{"number": 7}')`, uuid.Must(uuid.NewV7()).String(), f.orgID,
			invoiceID, f.projectID)
		f.fanOut(t)
		assert.Equal(t, 1, f.inbox(t, f.olga, domain.NotifyInvoicePaid), "the owner")
		assert.Zero(t, f.inbox(t, cleo, domain.NotifyInvoicePaid), "a client-role member on the project: staff business")
		assert.Zero(t, f.inbox(t, kurt, domain.NotifyInvoicePaid), "a client-role member of another project")
		assert.Zero(t, f.inbox(t, f.bea, domain.NotifyInvoicePaid), "a member without invoices.read")
	})

	t.Run("owners_and_admins_hear_a_member_joined", func(t *testing.T) {
		nina := f.user(t, "Nina")
		f.exec(t, `INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (?, ?, ?, 'member')`,
			uuid.NewString(), f.orgID, nina)
		f.exec(t, `INSERT INTO domain_events (id, organization_id, type, entity_type, entity_id, actor_id)
			VALUES (?, ?, 'team.member_added', 'member', ?, ?)`, uuid.Must(uuid.NewV7()).String(), f.orgID, nina, nina)
		f.fanOut(t)
		assert.Equal(t, 1, f.inbox(t, f.olga, domain.NotifyMemberJoined))
		assert.Zero(t, f.inbox(t, f.bea, domain.NotifyMemberJoined))
		assert.Zero(t, f.inbox(t, nina, domain.NotifyMemberJoined))
	})

	t.Run("a_failed_payment_tells_the_owners_in_the_inbox_once", func(t *testing.T) {
		step := domain.DunningStep{OrganizationID: f.orgID, InvoiceID: "in_notify", AmountDue: 1900, Currency: "usd",
			GraceEndsAt: time.Now().Add(14 * 24 * time.Hour)}
		for range 2 {
			require.NoError(t, f.acts.SendDunningEmail(ctx, step))
		}
		assert.Equal(t, 1, f.inbox(t, f.olga, domain.NotifyPaymentFailed))
		assert.Zero(t, f.deliveries(t, f.olga, domain.NotifyPaymentFailed, domain.ChannelEmail), "the dunning email is the email")
		assert.Zero(t, f.inbox(t, f.bea, domain.NotifyPaymentFailed), "owners only")
		step.Day = 3
		require.NoError(t, f.acts.SendDunningEmail(ctx, step))
		assert.Equal(t, 1, f.inbox(t, f.olga, domain.NotifyPaymentFailed), "reminders add no notice")
	})

	t.Run("a_mention_in_the_description_tells_each_newly_mentioned_member_once", func(t *testing.T) {
		before := f.inbox(t, f.bea, domain.NotifyMentioned)
		task := &domain.Task{Title: "Spec", DescriptionJSON: mentionDoc(f.bea), DescriptionHTML: "<p>@Bea have a look</p>"}
		require.NoError(t, f.db.App.CreateTask(ctx, f.orgID, f.olgaV, f.projectID, task))
		f.fanOut(t)
		assert.Equal(t, before+1, f.inbox(t, f.bea, domain.NotifyMentioned))
		both := json.RawMessage(`{"type":"doc","content":[{"type":"paragraph","content":[{"type":"mention","attrs":{"id":"` +
			f.bea + `"}},{"type":"mention","attrs":{"id":"` + f.dora + `"}}]}]}`)
		html := "<p>@Bea @Dora</p>"
		_, err := f.db.App.UpdateTask(ctx, f.orgID, f.olgaV, f.projectID, task.ID, domain.TaskUpdate{DescriptionJSON: both, DescriptionHTML: &html})
		require.NoError(t, err)
		f.fanOut(t)
		assert.Equal(t, before+1, f.inbox(t, f.bea, domain.NotifyMentioned), "Bea was mentioned already")
		assert.Equal(t, 1, f.inbox(t, f.dora, domain.NotifyMentioned))
	})
}

func (f *notifyFixture) user(t *testing.T, name string) string {
	t.Helper()
	u := &domain.User{Name: name, Email: strings.ToLower(name) + "-" + uuid.NewString()[:8] + "@example.com", PasswordHash: "x"}
	require.NoError(t, f.db.App.CreateUser(context.Background(), u))
	return u.ID
}
