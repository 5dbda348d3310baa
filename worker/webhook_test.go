package worker_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
	"github.com/clientflow/clientflow/worker"
	"github.com/clientflow/clientflow/worker/temporaltest"
	"github.com/clientflow/clientflow/workflows"
)

const webhookSecretKey = "worker-webhook-secret"

// holdingReceiver is a loopback webhook receiver that holds its first request without answering until the
// client goes away (the worker that sent it is stopped), and answers every later one with status.
type holdingReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	n      int
	bodies [][]byte
	held   chan struct{}
}

func mustHoldingReceiver(t *testing.T, status int) *holdingReceiver {
	t.Helper()
	r := &holdingReceiver{held: make(chan struct{})}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.n++
		first := r.n == 1
		r.bodies = append(r.bodies, body)
		r.mu.Unlock()
		if first {
			close(r.held)
			select {
			case <-req.Context().Done():
			case <-time.After(30 * time.Second):
			}
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *holdingReceiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

func webhookActivities(db *storetest.DB, starter worker.Starter) *activities.Activities {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &activities.Activities{DB: db.App, AppURL: "http://app.test", SessionSecret: webhookSecretKey,
		Email:    email.NewSender(email.NewProvider(email.Config{}, nil, logger), activities.Outbox{DB: db.App}, logger),
		Webhooks: starter, WebhookAllowLoopback: true}
}

// TestWebhookDeliveryAcrossAWorkerRestartOnDevServer: a domain event goes through the real fan-out to a
// subscribed endpoint; the worker is stopped while the receiver holds the request, and a new worker takes
// over. The delivery ends delivered, with exactly one success recorded. Then the "Send test" path: a ping
// makes a single try and SendWebhookTest returns once it is over; starting a finished delivery again sends
// nothing.
func TestWebhookDeliveryAcrossAWorkerRestartOnDevServer(t *testing.T) {
	srv := temporaltest.MustStart(t)
	db := storetest.MustOpen(t)
	ctx := context.Background()
	const queue = "webhook-test"
	starter := worker.Starter{Client: srv.Client(), TaskQueue: queue}
	o := mustFanOutOrg(t, db.App, db.Owner)
	exec := func(q string, args ...any) {
		t.Helper()
		_, err := db.Owner.Bun().NewRaw(q, args...).Exec(ctx)
		require.NoError(t, err)
	}
	exec("DELETE FROM domain_event_queue")

	rcv := mustHoldingReceiver(t, http.StatusNoContent)
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	sealed, err := domain.SealWebhookSecret(webhookSecretKey, secret)
	require.NoError(t, err)
	endpointID := uuid.Must(uuid.NewV7()).String()
	exec(`INSERT INTO webhook_endpoints (organization_id, id, url, events, secret) VALUES (?, ?, ?, '{client.created}', ?)`,
		o.orgID, endpointID, rcv.URL+"/hook", sealed)
	eventID := uuid.Must(uuid.NewV7()).String()
	exec(`INSERT INTO domain_events (id, organization_id, type, entity_type, entity_id, actor_id, payload)
		VALUES (?, ?, 'client.created', 'client', ?, ?, '{"client":{"name":"Acme"}}')`, eventID, o.orgID, uuid.NewString(), o.olga.ID)
	exec("DELETE FROM domain_event_queue")

	first := worker.New(srv.Client(), queue, webhookActivities(db, starter))
	require.NoError(t, first.Start())
	refs := []domain.EventRef{{OrganizationID: o.orgID, EventID: eventID}}
	require.NoError(t, starter.StartFanOut(ctx, refs))
	select {
	case <-rcv.held:
	case <-time.After(45 * time.Second):
		t.Fatal("the delivery never reached the receiver")
	}
	first.Stop() // the worker dies with the request in flight

	second := worker.New(srv.Client(), queue, webhookActivities(db, starter))
	require.NoError(t, second.Start())
	defer second.Stop()
	var deliveryID string
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT id::text FROM webhook_deliveries WHERE event_id = ?", eventID).Scan(ctx, &deliveryID))
	waitCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	require.NoError(t, srv.Client().GetWorkflow(ctx, workflows.WebhookDeliveryWorkflowID(deliveryID), "").Get(waitCtx, nil))

	assert.Equal(t, 1, countRows(t, db, `SELECT count(*) FROM webhook_deliveries WHERE id = ? AND status = 'delivered'
		AND last_status_code = 204`, deliveryID))
	assert.Equal(t, 1, countRows(t, db, `SELECT count(*) FROM webhook_delivery_attempts WHERE delivery_id = ?
		AND status_code BETWEEN 200 AND 299`, deliveryID), "exactly one success recorded")
	assert.Equal(t, 1, countRows(t, db, "SELECT count(*) FROM webhook_deliveries WHERE event_id = ?", eventID))
	assert.GreaterOrEqual(t, rcv.count(), 2)
	var env domain.WebhookEnvelope
	require.NoError(t, json.Unmarshal(rcv.bodies[len(rcv.bodies)-1], &env))
	assert.Equal(t, eventID, env.ID)
	desc, err := srv.Client().DescribeWorkflowExecution(ctx, workflows.WebhookDeliveryWorkflowID(deliveryID), "")
	require.NoError(t, err)
	assert.Contains(t, desc.WorkflowExecutionInfo.SearchAttributes.GetIndexedFields(), "OrganizationId")
	recordHistory(t, srv.Client(), workflows.WebhookDeliveryWorkflowID(deliveryID), "", "webhook_delivery")
	recordHistory(t, srv.Client(), workflows.FanOutWorkflowID([]string{eventID}), "", "fan_out_webhooks")

	// Starting the finished delivery again is harmless and sends nothing.
	before := rcv.count()
	require.NoError(t, starter.StartWebhookDelivery(ctx, domain.WebhookDeliveryRef{OrganizationID: o.orgID, DeliveryID: deliveryID}))
	time.Sleep(500 * time.Millisecond)
	assert.Equal(t, before, rcv.count())

	// "Send test": one try against a failing receiver, over by the time SendWebhookTest returns.
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer failing.Close()
	exec("UPDATE webhook_endpoints SET url = ? WHERE id = ?", failing.URL, endpointID)
	pingID := uuid.Must(uuid.NewV7()).String()
	exec(`INSERT INTO webhook_deliveries (organization_id, id, endpoint_id, event_id, event_type, body)
		VALUES (?, ?, ?, ?, 'ping', '{"type":"ping"}')`, o.orgID, pingID, endpointID, uuid.NewString())
	require.NoError(t, starter.SendWebhookTest(ctx, domain.WebhookDeliveryRef{OrganizationID: o.orgID, DeliveryID: pingID}))
	assert.Equal(t, 1, countRows(t, db, `SELECT count(*) FROM webhook_deliveries WHERE id = ? AND status = 'failed'
		AND attempts = 1 AND last_status_code = 500`, pingID))
	assert.Equal(t, 1, countRows(t, db, "SELECT count(*) FROM webhook_endpoints WHERE id = ? AND enabled AND failing_since IS NULL", endpointID),
		"a failed ping does not count against the endpoint")
	recordHistory(t, srv.Client(), workflows.WebhookDeliveryWorkflowID(pingID), "", "webhook_delivery_failed")

	// The caller leaving while the test runs is no failed start: the workflow goes on and records the try.
	// The caller goes once the try has reached the receiver (not after a fixed time, which a loaded machine
	// can spend on the start alone), and the held try is released however the test ends, or the server's
	// Close would wait for it forever.
	release, arrived := make(chan struct{}), make(chan struct{}, 1)
	releaseOnce := sync.OnceFunc(func() { close(release) })
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		select { // holds the try until the caller has gone
		case <-release:
		case <-r.Context().Done():
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer slow.Close()
	defer releaseOnce()
	exec("UPDATE webhook_endpoints SET url = ? WHERE id = ?", slow.URL, endpointID)
	leftID := uuid.Must(uuid.NewV7()).String()
	exec(`INSERT INTO webhook_deliveries (organization_id, id, endpoint_id, event_id, event_type, body)
		VALUES (?, ?, ?, ?, 'ping', '{"type":"ping"}')`, o.orgID, leftID, endpointID, uuid.NewString())
	gone, leave := context.WithCancel(ctx)
	defer leave()
	go func() {
		select {
		case <-arrived:
		case <-time.After(60 * time.Second):
		}
		leave()
	}()
	require.NoError(t, starter.SendWebhookTest(gone, domain.WebhookDeliveryRef{OrganizationID: o.orgID, DeliveryID: leftID}))
	require.Error(t, gone.Err(), "the caller left while the try was held")
	releaseOnce()
	require.Eventually(t, func() bool {
		return countRows(t, db, "SELECT count(*) FROM webhook_deliveries WHERE id = ? AND status = 'delivered'", leftID) == 1
	}, 20*time.Second, 100*time.Millisecond, "the ping is delivered after its caller left")
}
