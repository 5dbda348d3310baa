package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/testsuite"

	"github.com/clientflow/clientflow/cmd/internal/app"
	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker/temporaltest"
	"github.com/clientflow/clientflow/workflows"
)

// TestTemporalOutage runs the API against a Temporal frontend that is not there. Sign-up, a new
// organization, forgot-password, an invitation and an invoice send all answer success and commit; their
// workflow starts wait in the outbox while /readyz reports Temporal. Then Temporal and a worker come up,
// and the worker's relay starts every pending workflow exactly once.
func TestTemporalOutage(t *testing.T) {
	db := storetest.MustOpen(t)
	cfg := mustConfig(t, db, closedAddr(t))
	api := mustRunAPI(t, cfg)
	c := newClient(t, api)

	c.mustCall(http.MethodPost, "/api/v1/auth/sign-up", map[string]string{"name": "Outage Owner",
		"email": "owner@example.com", "password": "correct horse battery staple"}, http.StatusCreated, nil)
	var org struct{ ID string }
	c.mustCall(http.MethodPost, "/api/v1/orgs", map[string]string{"name": "Outage Agency"}, http.StatusCreated, &org)
	c.mustCall(http.MethodPost, "/api/v1/auth/forgot-password", map[string]string{"email": "owner@example.com"}, 0, nil)
	// Inviting needs a verified address, and the verification email is exactly what is stuck in the outbox.
	_, err := db.Owner.Bun().ExecContext(context.Background(), "UPDATE users SET email_verified_at = now()")
	require.NoError(t, err)
	c.mustCall(http.MethodPost, "/api/v1/orgs/"+org.ID+"/invitations", map[string]string{"email": "invitee@example.com",
		"role": "member"}, http.StatusCreated, nil)
	var client, invoice struct{ ID string }
	c.mustCall(http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients", map[string]string{"name": "Client Co",
		"email": "client@example.com"}, http.StatusCreated, &client)
	c.mustCall(http.MethodPost, "/api/v1/orgs/"+org.ID+"/invoices", map[string]any{"client_id": client.ID,
		"issue_date": "2026-01-01", "due_date": "2026-12-31",
		"lines": []map[string]any{{"description": "Work", "quantity_milli": 1000, "unit_price": 10000}}}, http.StatusCreated, &invoice)
	c.mustCall(http.MethodPost, "/api/v1/orgs/"+org.ID+"/invoices/"+invoice.ID+"/send", nil, http.StatusOK, nil)

	pending := mustPendingStarts(t, db)
	assert.ElementsMatch(t, []string{domain.StartKindWelcome, domain.StartKindSubscription, domain.StartKindDueReminders,
		domain.StartKindEmail, domain.StartKindInvitationExpiry, domain.StartKindEmail, domain.StartKindInvoiceOverdue,
		domain.StartKindEmail},
		kinds(pending), "every start committed with its change, none started")
	ready := c.mustReady()
	assert.NotEqual(t, "ok", ready["temporal"], "/readyz reports Temporal: %v", ready)

	srv := temporaltest.MustStart(t)
	cfg.TemporalAddress = srv.FrontendHostPort()
	mustRunWorker(t, cfg)

	mustAllStarted(t, db)
	for _, ws := range pending {
		mustRunOnce(t, srv, workflowID(ws))
	}
	for _, prefix := range []string{"password-reset/", "invitation/", "invoice-available/"} {
		mustEmailOnce(t, db, prefix)
	}
}

// TestAPIKilledBetweenCommitAndStart commits a sign-up with its outbox row exactly as the API does, but
// never runs the fast path, as if the process died right after the commit. Two fresh workers (two relays
// sharing the outbox) then start the welcome workflow once, and it sends one welcome email.
func TestAPIKilledBetweenCommitAndStart(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := temporaltest.MustStart(t)
	cfg := mustConfig(t, db, srv.FrontendHostPort())
	ctx := context.Background()

	u := &domain.User{Name: "Crash Test", Email: "crash@example.com", PasswordHash: "x"}
	require.NoError(t, db.App.Atomically(ctx, "", "", func(ctx context.Context) error {
		if err := db.App.CreateUser(ctx, u); err != nil {
			return err
		}
		ws := domain.WelcomeStart(u.ID)
		return db.App.EnqueueStarts(ctx, &ws)
	}))

	mustRunWorker(t, cfg)
	mustRunWorker(t, cfg)

	mustAllStarted(t, db)
	mustRunOnce(t, srv, workflows.WelcomeWorkflowID(u.ID))
	require.Eventually(t, func() bool {
		box, err := db.App.Mailbox(ctx, 10)
		return err == nil && len(box) == 1 && box[0].Tag == domain.EmailWelcome && box[0].Sent
	}, 30*time.Second, 200*time.Millisecond, "one welcome email")
}

// mustConfig is the development configuration on db and the Temporal frontend at temporalAddr.
func mustConfig(t *testing.T, db *storetest.DB, temporalAddr string) config.Config {
	t.Helper()
	cfg, err := config.Load()
	require.NoError(t, err)
	cfg.Env, cfg.DatabaseURL, cfg.RedisURL = config.EnvDevelopment, db.URL, ""
	cfg.DataDir, cfg.FilesDir = t.TempDir(), ""
	cfg.TemporalAddress, cfg.TemporalNamespace = temporalAddr, temporaltest.Namespace
	cfg.TemporalTaskQueue = "outage-" + filepath.Base(t.Name())
	cfg.RateLimitAuth = 1000
	return cfg
}

// closedAddr is a loopback address nothing listens on: a Temporal frontend that is down.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func quietLogger() *slog.Logger { return slog.New(slog.NewJSONHandler(io.Discard, nil)) }

// mustRunAPI serves the real API program on a free port until the test ends and returns its base URL.
func mustRunAPI(t *testing.T, cfg config.Config) string {
	t.Helper()
	a, err := app.NewAPI(context.Background(), cfg, quietLogger(), nil)
	require.NoError(t, err)
	require.NoError(t, a.Listen("127.0.0.1:0"))
	go a.Serve()
	t.Cleanup(func() { a.Close() })
	return "http://" + a.Addr()
}

// mustRunWorker runs the real worker program (and so the outbox relay) until the test ends.
func mustRunWorker(t *testing.T, cfg config.Config) {
	t.Helper()
	w, err := app.NewWorker(context.Background(), cfg, quietLogger())
	require.NoError(t, err)
	require.NoError(t, w.Start())
	t.Cleanup(func() { w.Close() })
}

// pendingStart is one workflow_starts row as the tests read it.
type pendingStart struct {
	Kind        string `bun:"kind"`
	BusinessKey string `bun:"business_key"`
}

func mustPendingStarts(t *testing.T, db *storetest.DB) []pendingStart {
	t.Helper()
	var rows []pendingStart
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT kind, business_key FROM workflow_starts WHERE started_at IS NULL").
		Scan(context.Background(), &rows))
	return rows
}

func kinds(starts []pendingStart) []string {
	out := make([]string, len(starts))
	for i, s := range starts {
		out[i] = s.Kind
	}
	return out
}

// mustAllStarted waits until the relay has handed every outbox row to Temporal.
func mustAllStarted(t *testing.T, db *storetest.DB) {
	t.Helper()
	require.Eventually(t, func() bool { return len(mustPendingStarts(t, db)) == 0 }, 60*time.Second, 250*time.Millisecond,
		"the relay starts every pending workflow")
}

// workflowID is the ID the starter gives the workflow an outbox row asks for.
func workflowID(ws pendingStart) string {
	switch ws.Kind {
	case domain.StartKindWelcome:
		return workflows.WelcomeWorkflowID(ws.BusinessKey)
	case domain.StartKindSubscription:
		return workflows.SubscriptionWorkflowID(ws.BusinessKey)
	case domain.StartKindInvitationExpiry:
		return workflows.InvitationWorkflowID(ws.BusinessKey)
	case domain.StartKindInvoiceOverdue:
		return workflows.InvoiceOverdueWorkflowID(ws.BusinessKey)
	case domain.StartKindOrganizationDeletion:
		return workflows.OrganizationDeleteWorkflowID(ws.BusinessKey)
	case domain.StartKindPurgeFiles:
		return workflows.PurgeFilesWorkflowID(ws.BusinessKey)
	case domain.StartKindDueReminders:
		return workflows.DueRemindersWorkflowID(ws.BusinessKey)
	}
	return workflows.EmailWorkflowID(ws.BusinessKey)
}

// mustRunOnce asserts that Temporal holds exactly one run of the workflow with this ID.
func mustRunOnce(t *testing.T, srv *testsuite.DevServer, id string) {
	t.Helper()
	var runs int
	require.Eventually(t, func() bool {
		res, err := srv.Client().ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: temporaltest.Namespace, Query: "WorkflowId = '" + id + "'"})
		if err != nil {
			return false
		}
		runs = len(res.Executions)
		return runs > 0
	}, 30*time.Second, 200*time.Millisecond, "workflow %s exists", id)
	time.Sleep(2 * time.Second) // a second start, if any, would have had a relay pass to show up
	res, err := srv.Client().ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
		Namespace: temporaltest.Namespace, Query: "WorkflowId = '" + id + "'"})
	require.NoError(t, err)
	assert.Len(t, res.Executions, 1, "workflow %s runs once", id)
}

// mustEmailOnce waits for the email whose idempotency key starts with prefix and asserts there is one.
func mustEmailOnce(t *testing.T, db *storetest.DB, prefix string) {
	t.Helper()
	var n int
	require.Eventually(t, func() bool {
		err := db.Owner.Bun().NewRaw("SELECT count(*) FROM email_outbox WHERE idempotency_key LIKE ? AND status = 'sent'",
			prefix+"%").Scan(context.Background(), &n)
		return err == nil && n > 0
	}, 30*time.Second, 200*time.Millisecond, "an email %s… is sent", prefix)
	assert.Equal(t, 1, n, "one %s… email", prefix)
}

// httpClient is one signed-in browser-like client of the API (cookie jar, same-origin header).
type httpClient struct {
	t    *testing.T
	base string
	http *http.Client
}

func newClient(t *testing.T, base string) *httpClient {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &httpClient{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// mustCall sends body as JSON and requires status (any 2xx when status is 0); out, when set, gets the answer.
func (c *httpClient) mustCall(method, path string, body any, status int, out any) {
	c.t.Helper()
	b, err := json.Marshal(body)
	require.NoError(c.t, err)
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(b))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.base)
	res, err := c.http.Do(req)
	require.NoError(c.t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(c.t, err)
	if status == 0 {
		require.Less(c.t, res.StatusCode, 300, "%s %s: %s", method, path, raw)
	} else {
		require.Equal(c.t, status, res.StatusCode, "%s %s: %s", method, path, raw)
	}
	if out != nil {
		require.NoError(c.t, json.Unmarshal(raw, out))
	}
}

func (c *httpClient) mustReady() map[string]string {
	c.t.Helper()
	res, err := c.http.Get(c.base + "/readyz")
	require.NoError(c.t, err)
	defer res.Body.Close()
	assert.Equal(c.t, http.StatusServiceUnavailable, res.StatusCode)
	var body map[string]string
	require.NoError(c.t, json.NewDecoder(res.Body).Decode(&body))
	return body
}

// TestWorkerWaitsForTemporal: a worker started during a Temporal outage waits for the frontend (until its
// context ends) instead of failing, and goes on as soon as the frontend answers.
func TestWorkerWaitsForTemporal(t *testing.T) {
	db := storetest.MustOpen(t)
	cfg := mustConfig(t, db, closedAddr(t))
	down, err := app.NewWorker(context.Background(), cfg, quietLogger())
	require.NoError(t, err)
	t.Cleanup(func() { down.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, down.WaitForTemporal(ctx), context.DeadlineExceeded, "still waiting while Temporal is down")

	cfg.TemporalAddress = temporaltest.MustStart(t).FrontendHostPort()
	up, err := app.NewWorker(context.Background(), cfg, quietLogger())
	require.NoError(t, err)
	t.Cleanup(func() { up.Close() })
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, up.WaitForTemporal(ctx))
}
