package worker_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker"
	"github.com/clientflow/clientflow/worker/temporaltest"
	"github.com/clientflow/clientflow/workflows"
)

// fanOutOrg is an organization whose owner Olga works with the member Bea on a project.
type fanOutOrg struct {
	orgID, projectID string
	olga, bea        *domain.User
	olgaV            domain.Viewer
}

func mustFanOutOrg(t *testing.T, db *store.DB, owner *store.DB) fanOutOrg {
	t.Helper()
	ctx := context.Background()
	var o fanOutOrg
	for _, u := range []**domain.User{&o.olga, &o.bea} {
		*u = &domain.User{Name: "Member", Email: "m-" + uuid.NewString()[:8] + "@example.com", PasswordHash: "x"}
		require.NoError(t, db.CreateUser(ctx, *u))
	}
	o.olga.Name, o.bea.Name = "Olga", "Bea"
	org, err := db.CreateOrganization(ctx, "Fan-out Agency", o.olga.ID)
	require.NoError(t, err)
	o.orgID, o.olgaV = org.ID, domain.Viewer{UserID: o.olga.ID, Role: domain.RoleOwner}
	_, err = owner.Bun().NewRaw(`INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (?, ?, ?, 'member')`,
		uuid.NewString(), o.orgID, o.bea.ID).Exec(ctx)
	require.NoError(t, err)
	p := &domain.Project{Name: "Website"}
	require.NoError(t, db.CreateProject(ctx, o.orgID, o.olgaV, p, ""))
	o.projectID = p.ID
	_, err = db.AddProjectMember(ctx, o.orgID, o.olgaV, o.projectID, o.bea.ID)
	require.NoError(t, err)
	return o
}

// mustRunFanOutWorker runs a worker with the real activities, whose notification emails coalesce for window.
func mustRunFanOutWorker(t *testing.T, queue string, window time.Duration) (*storetest.DB, worker.Starter, func() *worker.Relay) {
	t.Helper()
	srv := temporaltest.MustStart(t)
	db := storetest.MustOpen(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	starter := worker.Starter{Client: srv.Client(), TaskQueue: queue, NotifyEmailWindow: window}
	acts := &activities.Activities{
		DB: db.App, Email: email.NewSender(email.NewProvider(email.Config{}, nil, logger), activities.Outbox{DB: db.App}, logger),
		AppURL: "http://app.test", SessionSecret: "secret", EmailDigests: starter,
	}
	w := worker.New(srv.Client(), queue, acts)
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	return db, starter, func() *worker.Relay {
		return &worker.Relay{DB: db.App, Starter: starter, Logger: logger, EventInterval: 50 * time.Millisecond}
	}
}

func countRows(t *testing.T, db *storetest.DB, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.Owner.Bun().NewRaw(query, args...).Scan(context.Background(), &n))
	return n
}

// TestFanOutAfterTheAPIDiedOnDevServer: the business change is committed by the store alone (as if the
// API process was killed right after its commit: no workflow start was even attempted), and a relay that
// died after starting the fan-out but before deleting the queue rows hands the same batch over again. The
// worker's relay still delivers the event, exactly one notification per recipient, and empties the queue.
func TestFanOutAfterTheAPIDiedOnDevServer(t *testing.T) {
	db, starter, newRelay := mustRunFanOutWorker(t, "fanout-test", time.Hour)
	ctx := context.Background()
	o := mustFanOutOrg(t, db.App, db.Owner)
	db.Owner.Bun().NewRaw("DELETE FROM domain_event_queue").Exec(ctx) // the setup's events notify nobody anyway

	task := &domain.Task{Title: "Launch page", AssigneeIDs: []string{o.bea.ID}}
	require.NoError(t, db.App.CreateTask(ctx, o.orgID, o.olgaV, o.projectID, task))
	var queued []domain.EventRef
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT event_id, organization_id FROM domain_event_queue ORDER BY event_id").Scan(ctx, &queued))
	require.Len(t, queued, 1, "the trigger queued the task's event in the business transaction")

	// The relay that died: its start reached Temporal, its delete never committed.
	require.NoError(t, starter.StartFanOut(ctx, queued))
	relay := newRelay()
	relay.Pass(ctx)

	eventually(t, "Bea is notified", func() bool {
		return countRows(t, db, "SELECT count(*) FROM notifications WHERE recipient_id = ?", o.bea.ID) > 0
	})
	wf := starter.Client.GetWorkflow(ctx, workflows.FanOutWorkflowID([]string{queued[0].EventID}), "")
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, wf.Get(waitCtx, nil))
	assert.Equal(t, 1, countRows(t, db, "SELECT count(*) FROM notifications WHERE recipient_id = ? AND type = ?", o.bea.ID, domain.NotifyTaskAssigned))
	assert.Zero(t, countRows(t, db, "SELECT count(*) FROM notifications WHERE recipient_id = ?", o.olga.ID), "the actor hears nothing")
	assert.Zero(t, countRows(t, db, "SELECT count(*) FROM domain_event_queue"))
	assert.Zero(t, relay.Pass(ctx), "nothing left to relay")
	recordHistory(t, starter.Client, workflows.FanOutWorkflowID([]string{queued[0].EventID}), "", "fan_out")
}

// TestNotificationEmailBurstOnDevServer: five comments on one task within the window reach Bea as one
// email listing all five, and every email delivery is marked sent.
func TestNotificationEmailBurstOnDevServer(t *testing.T) {
	db, starter, newRelay := mustRunFanOutWorker(t, "notify-email-test", 4*time.Second)
	ctx := context.Background()
	o := mustFanOutOrg(t, db.App, db.Owner)
	task := &domain.Task{Title: "Launch page"}
	require.NoError(t, db.App.CreateTask(ctx, o.orgID, o.olgaV, o.projectID, task))
	_, err := db.App.UpdateTask(ctx, o.orgID, o.olgaV, o.projectID, task.ID, domain.TaskUpdate{AssigneeIDs: &[]string{o.bea.ID}})
	require.NoError(t, err)

	relayCtx, stop := context.WithCancel(ctx)
	relayed := make(chan struct{})
	go func() { defer close(relayed); newRelay().Run(relayCtx) }()
	defer func() { stop(); <-relayed }()
	for i := range 4 {
		c := &domain.Comment{BodyJSON: json.RawMessage(fmt.Sprintf(`{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"note %d"}]}]}`, i)),
			BodyHTML: fmt.Sprintf("<p>note %d</p>", i)}
		require.NoError(t, db.App.CreateComment(ctx, o.orgID, o.olgaV, o.projectID, task.ID, c))
	}

	sent := func() int {
		return countRows(t, db, `SELECT count(*) FROM notification_deliveries d JOIN notifications n
			ON n.organization_id = d.organization_id AND n.id = d.notification_id
			WHERE n.recipient_id = ? AND d.channel = 'email' AND d.status = 'sent'`, o.bea.ID)
	}
	eventually(t, "the five notifications' emails are sent", func() bool { return sent() == 5 })
	id := workflows.NotifyEmailWorkflowID(o.orgID, o.bea.ID, "task-"+task.ID)
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, starter.Client.GetWorkflow(ctx, id, "").Get(waitCtx, nil))

	box, err := db.App.Mailbox(ctx, 50)
	require.NoError(t, err)
	var mine []store.OutboxEmail
	for _, m := range box {
		if m.To == o.bea.Email {
			mine = append(mine, m)
		}
	}
	require.Len(t, mine, 1, "one email for the burst")
	assert.True(t, mine[0].Sent)
	assert.Contains(t, mine[0].Text, "5 updates in Fan-out Agency", mine[0].Text)
	assert.Contains(t, mine[0].Text, "Assigned to you: #"+fmt.Sprint(task.Number)+" Launch page")
	assert.GreaterOrEqual(t, strings.Count(mine[0].Text, "http://app.test/orgs/"+o.orgID+"/projects/"+o.projectID+"/board?task="+task.ID), 5,
		"a link per notification")
	recordHistory(t, starter.Client, id, "", "notify_email")
}

// TestUserNoticeOnDevServer: a password reset commits its forced-logout notice with the reset (the
// workflow outbox); the relay starts it and the user finds it in the inbox of each organization they belong
// to, once, even when the start is relayed twice.
func TestUserNoticeOnDevServer(t *testing.T) {
	db, starter, newRelay := mustRunFanOutWorker(t, "user-notice-test", time.Hour)
	ctx := context.Background()
	o := mustFanOutOrg(t, db.App, db.Owner)
	other, err := db.App.CreateOrganization(ctx, "Second Agency", o.bea.ID)
	require.NoError(t, err)
	hash := []byte("reset-token-hash-" + uuid.NewString())
	_, err = db.App.CreatePasswordResetToken(ctx, o.bea.ID, hash, time.Now().Add(time.Hour))
	require.NoError(t, err)
	require.NoError(t, db.App.ResetPassword(ctx, hash, "new-hash"))

	relay := newRelay()
	relay.MinAge = time.Millisecond
	require.Equal(t, 1, relay.Pass(ctx), "the notice's start was committed with the reset")
	var n domain.UserNotice
	var input []byte
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT input FROM workflow_starts WHERE kind = ?", domain.StartKindUserNotice).Scan(ctx, &input))
	require.NoError(t, json.Unmarshal(input, &n))
	require.NoError(t, starter.StartUserNotice(ctx, n), "a second start joins the first")
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, starter.Client.GetWorkflow(ctx, workflows.UserNoticeWorkflowID(n.SourceKey), "").Get(waitCtx, nil))

	for _, org := range []string{o.orgID, other.ID} {
		assert.Equal(t, 1, countRows(t, db, `SELECT count(*) FROM notifications WHERE organization_id = ? AND recipient_id = ? AND type = ?`,
			org, o.bea.ID, domain.NotifyForcedLogout), "organization %s", org)
	}
	assert.Zero(t, countRows(t, db, "SELECT count(*) FROM notification_deliveries WHERE channel = 'email'"),
		"no email of its own")
	assert.Zero(t, countRows(t, db, "SELECT count(*) FROM notifications WHERE recipient_id <> ?", o.bea.ID))
	recordHistory(t, starter.Client, workflows.UserNoticeWorkflowID(n.SourceKey), "", "user_notice")
}

// TestEventRelayWaitsOutAnOutageOnDevServer: while Temporal's health check fails the relay leaves the
// event queue alone (no attempt, so no backoff afterwards); the first pass after it hands the events over.
func TestEventRelayWaitsOutAnOutageOnDevServer(t *testing.T) {
	db, _, newRelay := mustRunFanOutWorker(t, "event-outage-test", time.Hour)
	ctx := context.Background()
	o := mustFanOutOrg(t, db.App, db.Owner)
	task := &domain.Task{Title: "Launch page", AssigneeIDs: []string{o.bea.ID}}
	require.NoError(t, db.App.CreateTask(ctx, o.orgID, o.olgaV, o.projectID, task))
	queued := countRows(t, db, "SELECT count(*) FROM domain_event_queue")
	require.Positive(t, queued)

	down := errors.New("connection refused")
	var health error = down
	relay := newRelay()
	relay.Healthy = func(context.Context) error { return health }
	relay.Pass(ctx)
	assert.Equal(t, queued, countRows(t, db, "SELECT count(*) FROM domain_event_queue WHERE attempts = 0"), "untouched while down")

	health = nil
	relay.Pass(ctx)
	assert.Zero(t, countRows(t, db, "SELECT count(*) FROM domain_event_queue"), "handed over on the first pass after")
	eventually(t, "Bea is notified", func() bool {
		return countRows(t, db, "SELECT count(*) FROM notifications WHERE recipient_id = ?", o.bea.ID) == 1
	})
}
