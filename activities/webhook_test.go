package activities_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/workflows"
)

const webhookSessionSecret = "webhook-test-session-secret"

// startedDeliveries records the deliveries DispatchWebhooks asks to start (worker.Starter in production).
type startedDeliveries struct {
	mu   sync.Mutex
	refs []domain.WebhookDeliveryRef
}

func (s *startedDeliveries) StartWebhookDelivery(_ context.Context, ref domain.WebhookDeliveryRef) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refs = append(s.refs, ref)
	return nil
}

// webhookFixture is an organization with its owner Olga and a plain member Mel, and the activities
// delivering to loopback receivers as the RLS-bound app role.
type webhookFixture struct {
	db      *storetest.DB
	acts    *activities.Activities
	started *startedDeliveries
	orgID   string
	olga    string
}

func mustWebhookFixture(t *testing.T) *webhookFixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.MustOpen(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	f := &webhookFixture{db: db, started: &startedDeliveries{}}
	f.acts = &activities.Activities{DB: db.App, AppURL: "https://app.clientflow.test", SessionSecret: webhookSessionSecret,
		Email:    email.NewSender(email.NewProvider(email.Config{}, nil, logger), activities.Outbox{DB: db.App}, logger),
		Webhooks: f.started, WebhookAllowLoopback: true}
	var ids []string
	for _, name := range []string{"Olga", "Mel"} {
		u := &domain.User{Name: name, Email: strings.ToLower(name) + "-" + uuid.NewString()[:8] + "@example.com", PasswordHash: "x"}
		require.NoError(t, db.App.CreateUser(ctx, u))
		ids = append(ids, u.ID)
	}
	f.olga = ids[0]
	org, err := db.App.CreateOrganization(ctx, "Hook Agency", f.olga)
	require.NoError(t, err)
	f.orgID = org.ID
	f.exec(t, `INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (?, ?, ?, 'member')`,
		uuid.NewString(), f.orgID, ids[1])
	return f
}

func (f *webhookFixture) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	_, err := f.db.Owner.Bun().NewRaw(query, args...).Exec(context.Background())
	require.NoError(t, err)
}

func (f *webhookFixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, f.db.Owner.Bun().NewRaw(query, args...).Scan(context.Background(), &n))
	return n
}

// endpoint adds an endpoint of url subscribed to events and returns its id and signing secret.
func (f *webhookFixture) endpoint(t *testing.T, url string, enabled bool, events ...string) (string, []byte) {
	t.Helper()
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	sealed, err := domain.SealWebhookSecret(webhookSessionSecret, secret)
	require.NoError(t, err)
	id := uuid.Must(uuid.NewV7()).String()
	var reason any
	if !enabled {
		reason = "manual"
	}
	f.exec(t, `INSERT INTO webhook_endpoints (organization_id, id, url, events, enabled, disabled_reason, secret)
		VALUES (?, ?, ?, ?::text[], ?, ?, ?)`, f.orgID, id, url, pgArray(events), enabled, reason, sealed)
	return id, secret
}

func pgArray(s []string) string {
	b, _ := json.Marshal(s)
	return "{" + string(b[1:len(b)-1]) + "}"
}

// event inserts a domain event of typ (the queue trigger's row is dropped: these tests hand events over themselves).
func (f *webhookFixture) event(t *testing.T, typ string, payload map[string]any) domain.EventRef {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	b, err := json.Marshal(payload)
	require.NoError(t, err)
	f.exec(t, `INSERT INTO domain_events (id, organization_id, type, entity_type, entity_id, actor_id, payload)
		VALUES (?, ?, ?, 'client', ?, ?, ?)`, id, f.orgID, typ, uuid.NewString(), f.olga, string(b))
	f.exec(t, "DELETE FROM domain_event_queue WHERE event_id = ?", id)
	return domain.EventRef{OrganizationID: f.orgID, EventID: id}
}

// delivery is a pending delivery of eventType to endpointID with body, as the API inserts a ping or replay.
func (f *webhookFixture) delivery(t *testing.T, endpointID, eventType string) domain.WebhookDeliveryRef {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	body := `{"id":"` + uuid.NewString() + `","type":"` + eventType + `","data":{}}`
	f.exec(t, `INSERT INTO webhook_deliveries (organization_id, id, endpoint_id, event_id, event_type, body)
		VALUES (?, ?, ?, ?, ?, ?)`, f.orgID, id, endpointID, uuid.NewString(), eventType, body)
	return domain.WebhookDeliveryRef{OrganizationID: f.orgID, DeliveryID: id}
}

// received is one request a receiver got.
type received struct {
	header http.Header
	body   []byte
	at     time.Time
}

// receiver is a loopback webhook receiver answering the statuses of answer in turn (the last one after that).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	answer []int
}

func mustReceiver(t *testing.T, answer ...int) *receiver {
	t.Helper()
	r := &receiver{answer: answer}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{header: req.Header.Clone(), body: body, at: time.Now()})
		status := r.answer[min(len(r.got), len(r.answer))-1]
		r.mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"ok":` + map[bool]string{true: "true", false: "false"}[status < 300] + "}"))
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// deliver runs DeliverWebhook once as an activity (attempt 1) and returns its error.
func (f *webhookFixture) deliver(t *testing.T, ref domain.WebhookDeliveryRef) error {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(f.acts)
	_, err := env.ExecuteActivity(workflows.ActivityDeliverWebhook, ref)
	return err
}

// A delivery made by the fan-out reaches a real receiver signed: the receiver verifies it with the endpoint's
// secret as a customer would; the same header fails for a tampered body or when checked too late; during a
// rotation's grace period the previous secret verifies too.
func TestWebhookDeliveryIsSignedAndVerifiable(t *testing.T) {
	ctx := context.Background()
	f := mustWebhookFixture(t)
	rcv := mustReceiver(t, http.StatusOK)
	endpointID, secret := f.endpoint(t, rcv.URL+"/hooks", true, domain.EventClientCreated)
	ev := f.event(t, domain.EventClientCreated, map[string]any{"client": map[string]any{"name": "Acme"}})

	require.NoError(t, f.acts.DispatchWebhooks(ctx, []domain.EventRef{ev}))
	require.Len(t, f.started.refs, 1)
	ref := f.started.refs[0]
	require.NoError(t, f.deliver(t, ref))

	got := rcv.requests()
	require.Len(t, got, 1)
	r := got[0]
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Equal(t, activities.WebhookUserAgent, r.header.Get("User-Agent"))
	assert.Equal(t, domain.EventClientCreated, r.header.Get(domain.WebhookEventHeader))
	assert.Equal(t, ref.DeliveryID, r.header.Get(domain.WebhookDeliveryHeader))
	var env domain.WebhookEnvelope
	require.NoError(t, json.Unmarshal(r.body, &env))
	assert.Equal(t, ev.EventID, env.ID)
	assert.Equal(t, domain.EventClientCreated, env.Type)
	assert.Equal(t, f.orgID, env.OrganizationID)
	assert.Equal(t, map[string]any{"client": map[string]any{"name": "Acme"}}, env.Data)

	sig := r.header.Get(domain.WebhookSignatureHeader)
	assert.NoError(t, domain.VerifyWebhook(sig, r.body, secret, 5*time.Minute, time.Now()))
	tampered := append([]byte(nil), r.body...)
	tampered[len(tampered)-2] ^= 1
	assert.ErrorIs(t, domain.VerifyWebhook(sig, tampered, secret, 5*time.Minute, time.Now()), domain.ErrWebhookSignatureMismatch)
	assert.ErrorIs(t, domain.VerifyWebhook(sig, r.body, secret, 5*time.Minute, time.Now().Add(10*time.Minute)),
		domain.ErrWebhookSignatureStale)
	assert.ErrorIs(t, domain.VerifyWebhook(sig, r.body, []byte("another secret"), 5*time.Minute, time.Now()),
		domain.ErrWebhookSignatureMismatch)

	assert.Equal(t, 1, f.count(t, `SELECT count(*) FROM webhook_deliveries WHERE id = ? AND status = 'delivered'
		AND attempts = 1 AND last_status_code = 200 AND completed_at IS NOT NULL AND next_attempt_at IS NULL
		AND response_excerpt = '{"ok":true}'`, ref.DeliveryID))
	assert.Equal(t, 1, f.count(t, `SELECT count(*) FROM webhook_delivery_attempts WHERE delivery_id = ? AND attempt = 1
		AND status_code = 200 AND error IS NULL`, ref.DeliveryID))
	require.NoError(t, f.deliver(t, ref), "a delivered delivery is not sent again")
	assert.Len(t, rcv.requests(), 1)

	// Rotation: the new secret and the previous one (still in its grace period) both sign.
	newSecret := []byte("the-rotated-secret-of-32-bytes!!")
	sealed, err := domain.SealWebhookSecret(webhookSessionSecret, newSecret)
	require.NoError(t, err)
	f.exec(t, `UPDATE webhook_endpoints SET previous_secret = secret, secret = ?, previous_secret_expires_at = now() + interval '1 hour'
		WHERE id = ?`, sealed, endpointID)
	rotated := f.delivery(t, endpointID, domain.EventClientCreated)
	require.NoError(t, f.deliver(t, rotated))
	r = rcv.requests()[1]
	sig = r.header.Get(domain.WebhookSignatureHeader)
	assert.NoError(t, domain.VerifyWebhook(sig, r.body, newSecret, 5*time.Minute, time.Now()))
	assert.NoError(t, domain.VerifyWebhook(sig, r.body, secret, 5*time.Minute, time.Now()), "the previous secret still verifies")
	// Once the grace period ended the previous secret no longer signs.
	f.exec(t, "UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = ?", endpointID)
	expired := f.delivery(t, endpointID, domain.EventClientCreated)
	require.NoError(t, f.deliver(t, expired))
	r = rcv.requests()[2]
	sig = r.header.Get(domain.WebhookSignatureHeader)
	assert.NoError(t, domain.VerifyWebhook(sig, r.body, newSecret, 5*time.Minute, time.Now()))
	assert.ErrorIs(t, domain.VerifyWebhook(sig, r.body, secret, 5*time.Minute, time.Now()), domain.ErrWebhookSignatureMismatch)
}

// The fan-out creates one delivery per enabled endpoint subscribed to the event's type and none for a
// disabled or unsubscribed endpoint or an event type webhooks do not carry; dispatching the same batch
// again creates nothing more (it only starts the still pending deliveries again, which is harmless).
func TestDispatchWebhooksOncePerSubscribedEndpoint(t *testing.T) {
	ctx := context.Background()
	f := mustWebhookFixture(t)
	subscribed, _ := f.endpoint(t, "https://a.example.com/hook", true, domain.EventProjectCreated, domain.EventClientCreated)
	also, _ := f.endpoint(t, "https://b.example.com/hook", true, domain.EventClientCreated)
	disabled, _ := f.endpoint(t, "https://c.example.com/hook", false, domain.EventClientCreated)
	other, _ := f.endpoint(t, "https://d.example.com/hook", true, domain.EventTaskCreated)
	client := f.event(t, domain.EventClientCreated, map[string]any{"n": 1})
	comment := f.event(t, domain.EventCommentCreated, map[string]any{"n": 2})
	batch := []domain.EventRef{client, comment}

	require.NoError(t, f.acts.DispatchWebhooks(ctx, batch))
	require.NoError(t, f.acts.DispatchWebhooks(ctx, batch))

	perEndpoint := func(id string) int {
		return f.count(t, "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?", id)
	}
	assert.Equal(t, 1, perEndpoint(subscribed))
	assert.Equal(t, 1, perEndpoint(also))
	assert.Zero(t, perEndpoint(disabled))
	assert.Zero(t, perEndpoint(other))
	assert.Equal(t, 2, f.count(t, "SELECT count(*) FROM webhook_deliveries WHERE event_id = ? AND status = 'pending' AND event_type = ?",
		client.EventID, domain.EventClientCreated))
	started := map[string]bool{}
	for _, r := range f.started.refs {
		assert.Equal(t, f.orgID, r.OrganizationID)
		assert.False(t, r.SingleAttempt)
		started[r.DeliveryID] = true
	}
	assert.Len(t, started, 2, "both pending deliveries started (again on the second dispatch, same ids)")

	// A delivery already delivered is not started again by a repeated dispatch.
	f.exec(t, "UPDATE webhook_deliveries SET status = 'delivered' WHERE endpoint_id = ?", subscribed)
	f.started.refs = nil
	require.NoError(t, f.acts.DispatchWebhooks(ctx, batch))
	require.Len(t, f.started.refs, 1)
	assert.Equal(t, 1, perEndpoint(subscribed))

	// After a downgrade to a plan without api_access, new events reach no endpoint.
	f.exec(t, "UPDATE subscriptions SET plan_id = 'starter' WHERE organization_id = ?", f.orgID)
	f.started.refs = nil
	require.NoError(t, f.acts.DispatchWebhooks(ctx, []domain.EventRef{f.event(t, domain.EventClientCreated, map[string]any{"n": 3})}))
	assert.Empty(t, f.started.refs)
	assert.Equal(t, 1, perEndpoint(also), "no delivery created for the downgraded organization")
}

// How a try's answer decides what happens next: a 4xx other than 408/429 stops at once, a 410 disables the
// endpoint, a disabled endpoint fails the delivery without a request, a 5xx is retried.
func TestDeliverWebhookClassifiesAnswers(t *testing.T) {
	f := mustWebhookFixture(t)
	for _, c := range []struct {
		status    int
		retryable bool
	}{{500, true}, {503, true}, {408, true}, {429, true}, {400, false}, {401, false}, {404, false}, {302, false}} {
		rcv := mustReceiver(t, c.status)
		endpointID, _ := f.endpoint(t, rcv.URL, true, domain.EventClientCreated)
		ref := f.delivery(t, endpointID, domain.EventClientCreated)
		err := f.deliver(t, ref)
		require.Error(t, err, "HTTP %d", c.status)
		assert.Equal(t, !c.retryable, isNonRetryableErr(err), "HTTP %d retryable", c.status)
		assert.Equal(t, 1, f.count(t, `SELECT count(*) FROM webhook_deliveries WHERE id = ? AND status = 'pending'
			AND attempts = 1 AND last_status_code = ? AND last_error LIKE 'HTTP %'`, ref.DeliveryID, c.status))
		assert.Equal(t, c.retryable, f.count(t, "SELECT count(*) FROM webhook_deliveries WHERE id = ? AND next_attempt_at > now()",
			ref.DeliveryID) == 1, "HTTP %d next attempt announced", c.status)
	}

	gone := mustReceiver(t, http.StatusGone)
	endpointID, _ := f.endpoint(t, gone.URL, true, domain.EventClientCreated)
	ref := f.delivery(t, endpointID, domain.EventClientCreated)
	require.NoError(t, f.deliver(t, ref))
	assert.Equal(t, 1, f.count(t, "SELECT count(*) FROM webhook_deliveries WHERE id = ? AND status = 'failed' AND last_status_code = 410", ref.DeliveryID))
	assert.Equal(t, 1, f.count(t, "SELECT count(*) FROM webhook_endpoints WHERE id = ? AND NOT enabled AND disabled_reason = 'gone'", endpointID))

	// The endpoint is disabled now: the next delivery fails without a request.
	next := f.delivery(t, endpointID, domain.EventClientCreated)
	require.NoError(t, f.deliver(t, next))
	assert.Len(t, gone.requests(), 1)
	assert.Equal(t, 1, f.count(t, `SELECT count(*) FROM webhook_deliveries WHERE id = ? AND status = 'failed'
		AND last_error = 'endpoint disabled' AND attempts = 0`, next.DeliveryID))
}

func isNonRetryableErr(err error) bool {
	var ae interface{ NonRetryable() bool }
	for e := err; e != nil; {
		if a, ok := e.(interface{ NonRetryable() bool }); ok {
			ae = a
			break
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			break
		}
		e = u.Unwrap()
	}
	return ae != nil && ae.NonRetryable()
}

// runDelivery runs the WebhookDelivery workflow on the time-skipping test server with the real activities
// and reports the test clock at the start of each DeliverWebhook try.
func (f *webhookFixture) runDelivery(t *testing.T, ref domain.WebhookDeliveryRef) []time.Time {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(workflows.WebhookDelivery, workflow.RegisterOptions{Name: "WebhookDelivery"})
	env.RegisterActivity(f.acts)
	var tries []time.Time
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == workflows.ActivityDeliverWebhook {
			tries = append(tries, env.Now())
		}
	})
	env.ExecuteWorkflow("WebhookDelivery", ref)
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError(), "a failed delivery is no failed workflow")
	return tries
}

func gaps(at []time.Time) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(at); i++ {
		out = append(out, at[i].Sub(at[i-1]).Round(100*time.Millisecond))
	}
	return out
}

// Three failed tries then a success: four requests, retried after 1 s, 2 s and 4 s, each try recorded once,
// the delivery delivered, and the endpoint's run of failures over.
func TestWebhookDeliveryRetriesWithBackoff(t *testing.T) {
	f := mustWebhookFixture(t)
	rcv := mustReceiver(t, 500, 503, 429, 200)
	endpointID, _ := f.endpoint(t, rcv.URL, true, domain.EventClientCreated)
	f.exec(t, "UPDATE webhook_endpoints SET failing_since = now() - interval '1 hour' WHERE id = ?", endpointID)
	ref := f.delivery(t, endpointID, domain.EventClientCreated)

	tries := f.runDelivery(t, ref)

	assert.Len(t, rcv.requests(), 4)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, gaps(tries))
	assert.Equal(t, 1, f.count(t, `SELECT count(*) FROM webhook_deliveries WHERE id = ? AND status = 'delivered' AND attempts = 4
		AND last_status_code = 200 AND last_error IS NULL`, ref.DeliveryID))
	assert.Equal(t, 4, f.count(t, "SELECT count(*) FROM webhook_delivery_attempts WHERE delivery_id = ?", ref.DeliveryID))
	assert.Equal(t, 1, f.count(t, "SELECT count(*) FROM webhook_delivery_attempts WHERE delivery_id = ? AND status_code = 200 AND attempt = 4", ref.DeliveryID))
	assert.Equal(t, 1, f.count(t, "SELECT count(*) FROM webhook_endpoints WHERE id = ? AND failing_since IS NULL", endpointID))
	assert.Zero(t, f.count(t, "SELECT count(*) FROM email_outbox WHERE idempotency_key LIKE 'webhook-%'"))
}

// A receiver that always fails: four tries, then the delivery is failed, the endpoint's run of failures
// starts, and the owner (not the plain member) gets one email, however many deliveries fail that hour. A
// ping failing counts for nothing. A run older than 24 hours disables the endpoint with one more email.
func TestWebhookDeliveryFailsAndTellsTheOwnersOnce(t *testing.T) {
	f := mustWebhookFixture(t)
	rcv := mustReceiver(t, http.StatusInternalServerError)
	// The query's token stays out of the emails.
	endpointID, _ := f.endpoint(t, rcv.URL+"/hook?token=s3cret", true, domain.EventClientCreated)

	ping := f.delivery(t, endpointID, domain.WebhookPing)
	ping.SingleAttempt = true
	assert.Len(t, f.runDelivery(t, ping), 1, "a ping is tried once")
	assert.Equal(t, 1, f.count(t, "SELECT count(*) FROM webhook_deliveries WHERE id = ? AND status = 'failed'", ping.DeliveryID))
	assert.Equal(t, 1, f.count(t, "SELECT count(*) FROM webhook_endpoints WHERE id = ? AND failing_since IS NULL", endpointID),
		"a ping does not count towards failing")

	ref := f.delivery(t, endpointID, domain.EventClientCreated)
	tries := f.runDelivery(t, ref)
	assert.Len(t, tries, 4)
	assert.Len(t, rcv.requests(), 5)
	assert.Equal(t, 1, f.count(t, `SELECT count(*) FROM webhook_deliveries WHERE id = ? AND status = 'failed' AND attempts = 4
		AND last_status_code = 500 AND completed_at IS NOT NULL AND next_attempt_at IS NULL`, ref.DeliveryID))
	assert.Equal(t, 1, f.count(t, "SELECT count(*) FROM webhook_endpoints WHERE id = ? AND enabled AND failing_since IS NOT NULL", endpointID))
	emails := func(prefix string) int {
		return f.count(t, "SELECT count(*) FROM email_outbox WHERE idempotency_key LIKE ?", prefix+"/"+endpointID+"/%")
	}
	assert.Equal(t, 1, emails("webhook-failures"))
	assert.Equal(t, 1, f.count(t, "SELECT count(*) FROM email_outbox WHERE idempotency_key LIKE ? AND idempotency_key LIKE ?",
		"webhook-failures/%", "%/"+f.olga), "to the owner")
	var subject, text string
	require.NoError(t, f.db.Owner.Bun().NewRaw("SELECT subject, text_body FROM email_outbox WHERE idempotency_key LIKE ?",
		"webhook-failures/"+endpointID+"/%").Scan(context.Background(), &subject, &text))
	assert.Equal(t, "Webhook deliveries to "+rcv.URL+"/hook?… are failing", subject)
	assert.NotContains(t, text, "s3cret")
	assert.Contains(t, text, "The last error was: HTTP 500.")
	assert.Contains(t, text, "https://app.clientflow.test/orgs/"+f.orgID+"/webhooks/"+endpointID)

	second := f.delivery(t, endpointID, domain.EventClientCreated)
	f.runDelivery(t, second)
	assert.Equal(t, 1, emails("webhook-failures"), "at most one email per endpoint and hour")

	f.exec(t, "UPDATE webhook_endpoints SET failing_since = now() - interval '25 hours' WHERE id = ?", endpointID)
	third := f.delivery(t, endpointID, domain.EventClientCreated)
	f.runDelivery(t, third)
	assert.Equal(t, 1, f.count(t, "SELECT count(*) FROM webhook_endpoints WHERE id = ? AND NOT enabled AND disabled_reason = 'failing'", endpointID))
	assert.Equal(t, 1, emails("webhook-disabled"))
	assert.Equal(t, 1, emails("webhook-failures"))
}

// A fan-out to an endpoint prunes its finished deliveries past the retention (their tries go with them),
// and keeps younger ones and anything still pending.
func TestDispatchWebhooksPrunesTheLog(t *testing.T) {
	ctx := context.Background()
	f := mustWebhookFixture(t)
	endpoint, _ := f.endpoint(t, "https://a.example.com/hook", true, domain.EventClientCreated)
	old := func(age time.Duration, status string) string {
		id := uuid.Must(uuid.NewV7()).String()
		f.exec(t, `INSERT INTO webhook_deliveries (organization_id, id, endpoint_id, event_id, event_type, body, status, created_at)
			VALUES (?, ?, ?, ?, 'client.created', '{}', ?, now() - ?::interval)`, f.orgID, id, endpoint, uuid.NewString(), status,
			fmt.Sprintf("%d seconds", int(age.Seconds())))
		f.exec(t, `INSERT INTO webhook_delivery_attempts (organization_id, delivery_id, attempt, status_code) VALUES (?, ?, 1, 200)`, f.orgID, id)
		return id
	}
	retention := store.WebhookDeliveryRetention
	expired := old(retention+time.Hour, "delivered")
	expiredFailed := old(retention+time.Hour, "failed")
	young := old(retention-time.Hour, "delivered")
	stuck := old(retention+time.Hour, "pending")

	require.NoError(t, f.acts.DispatchWebhooks(ctx, []domain.EventRef{f.event(t, domain.EventClientCreated, map[string]any{"n": 1})}))

	exists := func(id string) bool {
		return f.count(t, "SELECT count(*) FROM webhook_deliveries WHERE id = ?", id) == 1
	}
	assert.False(t, exists(expired))
	assert.False(t, exists(expiredFailed))
	assert.True(t, exists(young))
	assert.True(t, exists(stuck), "a pending delivery is never pruned")
	assert.Zero(t, f.count(t, "SELECT count(*) FROM webhook_delivery_attempts WHERE delivery_id IN (?, ?)", expired, expiredFailed))
	assert.Equal(t, 3, f.count(t, "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?", endpoint), "young, stuck and the new one")
}
