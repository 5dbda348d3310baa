package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/filestore"
	"github.com/clientflow/clientflow/store/ratelimit"
	"github.com/clientflow/clientflow/store/storetest"
)

// testPassword is the password every simulated user signs up with.
const testPassword = "correct horse battery staple"

// recordingWorkflows is a fake of api.Workflows that remembers what the API asked it to start.
type recordingWorkflows struct {
	emails  []domain.EmailRequest
	deleted []string
	// invitationSignals records expiry workflow starts and signals as "started/<id>", "accepted/<id>", "revoked/<id>".
	invitationSignals []string
	mu                sync.Mutex
	purges            []string
	welcomed          []string
	// subscriptions and stripeEvents record the billing workflows started and signalled.
	subscriptions []string
	stripeEvents  []domain.StripeEvent
	// invoiceWatches and settledInvoices record the invoice overdue workflows started and ended.
	invoiceWatches  []domain.InvoiceWatch
	settledInvoices []string
	// replacedLinks records the new links handed to overdue workflows, as "<invoice id> <link>".
	replacedLinks []string
	// dueReminders records the organizations whose due-date reminders were started.
	dueReminders []string
	// webhookDeliveries and webhookTests record the webhook workflows started; failWebhookStarts makes
	// them fail, and webhookTestRun stands in for the worker's single try of a ping.
	webhookDeliveries []domain.WebhookDeliveryRef
	webhookTests      []domain.WebhookDeliveryRef
	failWebhookStarts bool
	webhookTestRun    func(context.Context, domain.WebhookDeliveryRef) error
	// exports records the export workflows started.
	exports []domain.ExportRef
}

func (w *recordingWorkflows) StartWelcome(_ context.Context, userID string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.welcomed = append(w.welcomed, userID)
	return nil
}

// Welcomed returns the user IDs StartWelcome was called with, in order.
func (w *recordingWorkflows) Welcomed() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.welcomed...)
}

// testServer is the real api.Server on a real HTTP listener, backed by a throwaway database.
type testServer struct {
	URL       string
	DB        *storetest.DB
	Workflows *recordingWorkflows
	// FilesDir is where the server's local file store keeps uploads.
	FilesDir string
}

// option adjusts the server's dependencies before it starts.
type option func(*api.Deps)

func withLimiter(l api.RateLimiter) option { return func(d *api.Deps) { d.Limiter = l } }

// withAPILimit sets the per-principal API rate limit, for API keys and browser sessions alike: raised for
// suites that call every route as one person, lowered to reach a 429 quickly.
func withAPILimit(perMinute int) option {
	return func(d *api.Deps) { d.Config.RateLimitAPI, d.Config.RateLimitSession = perMinute, perMinute }
}

// withAuthLimit sets the sign-in rate limit (attempts per 10 s window).
func withAuthLimit(perWindow int) option {
	return func(d *api.Deps) { d.Config.RateLimitAuth = perWindow }
}

// withTrustedProxies trusts X-Forwarded-For from these peers, so a test can vary the client IP.
func withTrustedProxies(cidrs ...string) option {
	return func(d *api.Deps) { d.TrustedProxies = cidrs }
}

func withReady(name string, check api.Checker) option {
	return func(d *api.Deps) {
		if d.Ready == nil {
			d.Ready = map[string]api.Checker{}
		}
		d.Ready[name] = check
	}
}

// MustStart serves a fresh api.Server (its own in-memory rate limiter unless told otherwise) on db.
// Each subtest gets its own server so rate limits keyed by the shared loopback IP never leak between them.
func MustStart(t *testing.T, db *storetest.DB, opts ...option) *testServer {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	url := "http://" + ts.Listener.Addr().String()
	wf := &recordingWorkflows{}
	deps := api.Deps{
		Config:    config.Config{Env: config.EnvTest, AppURL: url, SessionSecret: "test-session-secret"},
		DB:        db.App,
		Limiter:   ratelimit.NewMemory(),
		Workflows: wf,
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	filesDir := t.TempDir()
	files, err := filestore.NewLocal(filesDir)
	require.NoError(t, err)
	deps.Files = files
	for _, o := range opts {
		o(&deps)
	}
	ts.Config.Handler = api.New(deps).Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	return &testServer{URL: url, DB: db, Workflows: wf, FilesDir: filesDir}
}

// browser is one simulated person: an HTTP client with its own cookie jar that sends Origin like a browser.
type browser struct {
	t      *testing.T
	srv    *testServer
	client *http.Client
	User   userJSON
}

// NewBrowser returns a browser with an empty cookie jar.
func (s *testServer) NewBrowser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, srv: s, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// MustSignUp creates a new account with a unique email and returns the signed-in browser.
func (s *testServer) MustSignUp(t *testing.T, name string) *browser {
	t.Helper()
	b := s.NewBrowser(t)
	res := b.Do(http.MethodPost, "/api/v1/auth/sign-up", map[string]string{
		"name": name, "email": uniqueEmail(), "password": testPassword,
	})
	MustStatus(t, res, http.StatusCreated)
	var body struct{ User userJSON }
	res.MustJSON(t, &body)
	b.User = body.User
	return b
}

// header is one extra request header.
type header struct{ Name, Value string }

// response is what came back, with the body already read.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a request. body may be nil, a string or []byte (sent as is), or a value encoded as JSON.
// Unsafe methods carry Origin: the server URL, as a browser on the app's own page would send.
func (b *browser) Do(method, path string, body any, headers ...header) *response {
	b.t.Helper()
	var r io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(v)
	case []byte:
		r = bytes.NewReader(v)
	default:
		raw, err := json.Marshal(v)
		require.NoError(b.t, err)
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.srv.URL+path, r)
	require.NoError(b.t, err)
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("Origin", b.srv.URL)
	}
	for _, h := range headers {
		if h.Value == "" {
			req.Header.Del(h.Name)
		} else {
			req.Header.Set(h.Name, h.Value)
		}
	}
	resp, err := b.client.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// SessionCookie returns the cf_session cookie the jar holds, or "" when there is none.
func (b *browser) SessionCookie() string {
	b.t.Helper()
	u, err := http.NewRequest(http.MethodGet, b.srv.URL, nil)
	require.NoError(b.t, err)
	for _, c := range b.client.Jar.Cookies(u.URL) {
		if c.Name == "cf_session" {
			return c.Value
		}
	}
	return ""
}

// MustCreateOrg creates an organization the browser's user owns.
func (b *browser) MustCreateOrg(name string) orgJSON {
	b.t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/orgs", map[string]string{"name": name})
	MustStatus(b.t, res, http.StatusCreated)
	var org orgJSON
	res.MustJSON(b.t, &org)
	return org
}

// MustCreateClient creates a client in orgID from body.
func (b *browser) MustCreateClient(orgID string, body map[string]any) clientJSON {
	b.t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/clients", body)
	MustStatus(b.t, res, http.StatusCreated)
	var c clientJSON
	res.MustJSON(b.t, &c)
	return c
}

// MustJSON decodes the body into v.
func (r *response) MustJSON(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.Body, v), "body: %s", r.Body)
}

// MustStatus fails the test unless the response has the wanted status.
func MustStatus(t *testing.T, r *response, want int) {
	t.Helper()
	require.Equal(t, want, r.Status, "body: %s", r.Body)
}

// problemJSON is an RFC 9457 problem document as the API writes it.
type problemJSON struct {
	Status   int    `json:"status"`
	Title    string `json:"title"`
	Detail   string `json:"detail"`
	Code     string `json:"code"`
	Instance string `json:"instance"`
	// Permission is the needed permission of a forbidden refusal.
	Permission string `json:"permission"`
	Errors     []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}

// Locations lists the errors[].location values.
func (p problemJSON) Locations() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return out
}

// MustProblem asserts a problem+json response with the status and code, and every required member set.
func MustProblem(t *testing.T, r *response, status int, code string) problemJSON {
	t.Helper()
	require.Equal(t, status, r.Status, "body: %s", r.Body)
	assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
	var p problemJSON
	r.MustJSON(t, &p)
	assert.Equal(t, status, p.Status, "problem status")
	assert.Equal(t, code, p.Code, "problem code (detail %q)", p.Detail)
	assert.NotEmpty(t, p.Title, "problem title")
	assert.NotEmpty(t, p.Detail, "problem detail")
	var raw map[string]json.RawMessage
	r.MustJSON(t, &raw)
	for _, member := range []string{"status", "title", "detail", "code"} {
		assert.Contains(t, raw, member, "problem member %q", member)
	}
	return p
}

// userJSON, orgJSON, clientJSON and pageJSON are the API's bodies as a client decodes them.
type userJSON struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	Email            string    `json:"email"`
	EmailVerified    bool      `json:"email_verified"`
	TwoFactorEnabled bool      `json:"two_factor_enabled"`
	CreatedAt        time.Time `json:"created_at"`
}

type orgJSON struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Slug      string    `json:"slug"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type clientJSON struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Phone     string    `json:"phone"`
	Company   string    `json:"company"`
	Website   string    `json:"website"`
	Notes     string    `json:"notes"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type pageJSON struct {
	Data       []clientJSON `json:"data"`
	NextCursor *string      `json:"next_cursor"`
}

// uniqueEmail returns an address no other test uses (users are global, and tests share a database).
func uniqueEmail() string { return "u-" + strings.ToLower(rand.Text()[:16]) + "@example.com" }

// uniqueName returns name with a random suffix, for values that must be globally unique (e.g. slugs).
func uniqueName(name string) string { return name + " " + strings.ToLower(rand.Text()[:10]) }

// MustCountClients counts orgID's client rows, read as the schema owner (no RLS in the way).
func MustCountClients(t *testing.T, db *storetest.DB, orgID string) int {
	t.Helper()
	var n int
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM clients WHERE organization_id = ?", orgID).
		Scan(context.Background(), &n))
	return n
}

// MustSnapshotOrg renders every row an organization owns (clients, idempotency keys, memberships, settings,
// invitations, role sets, permission overrides, projects with their members and columns, templates, domain
// events, usage counters, time entries, invoices, notifications with their preferences and push
// subscriptions, webhook endpoints and deliveries, exports, the SSO connection, identities, claimed domains
// and used assertions, the IP allowlist, and the organization itself) as text, read as the schema
// owner, so two snapshots compare byte for byte.
func MustSnapshotOrg(t *testing.T, db *storetest.DB, orgID string) string {
	t.Helper()
	var rows []string
	err := db.Owner.Bun().NewRaw(`
		SELECT 'organization ' || row_to_json(o)::text FROM organizations o WHERE o.id = ?0
		UNION ALL SELECT 'settings ' || row_to_json(s)::text FROM organization_settings s WHERE s.organization_id = ?0
		UNION ALL SELECT 'member ' || row_to_json(m)::text FROM organization_memberships m WHERE m.organization_id = ?0
		UNION ALL SELECT 'client ' || row_to_json(c)::text FROM clients c WHERE c.organization_id = ?0
		UNION ALL SELECT 'idempotency ' || row_to_json(k)::text FROM api_idempotency_keys k WHERE k.organization_id = ?0
		UNION ALL SELECT 'invitation ' || row_to_json(i)::text FROM organization_invitations i WHERE i.organization_id = ?0
		UNION ALL SELECT 'role set ' || row_to_json(r)::text FROM role_permission_sets r WHERE r.organization_id = ?0
		UNION ALL SELECT 'override ' || row_to_json(p)::text FROM member_permission_overrides p WHERE p.organization_id = ?0
		UNION ALL SELECT 'project ' || row_to_json(pr)::text FROM projects pr WHERE pr.organization_id = ?0
		UNION ALL SELECT 'project member ' || row_to_json(pm)::text FROM project_members pm WHERE pm.organization_id = ?0
		UNION ALL SELECT 'board column ' || row_to_json(bc)::text FROM task_board_columns bc WHERE bc.organization_id = ?0
		UNION ALL SELECT 'task ' || row_to_json(tk)::text FROM tasks tk WHERE tk.organization_id = ?0
		UNION ALL SELECT 'subtask ' || row_to_json(st)::text FROM subtasks st WHERE st.organization_id = ?0
		UNION ALL SELECT 'task audit ' || row_to_json(ta)::text FROM task_audit_logs ta WHERE ta.organization_id = ?0
		UNION ALL SELECT 'comment ' || row_to_json(cm)::text FROM task_comments cm WHERE cm.organization_id = ?0
		UNION ALL SELECT 'file ' || row_to_json(fl)::text FROM files fl WHERE fl.organization_id = ?0
		UNION ALL SELECT 'template ' || row_to_json(tp)::text FROM project_templates tp WHERE tp.organization_id = ?0
		UNION ALL SELECT 'event ' || row_to_json(ev)::text FROM domain_events ev WHERE ev.organization_id = ?0
		UNION ALL SELECT 'usage ' || row_to_json(uc)::text FROM usage_counters uc WHERE uc.organization_id = ?0
		UNION ALL SELECT 'time entry ' || row_to_json(te)::text FROM time_entries te WHERE te.organization_id = ?0
		UNION ALL SELECT 'invoice ' || row_to_json(iv)::text FROM invoices iv WHERE iv.organization_id = ?0
		UNION ALL SELECT 'invoice line ' || row_to_json(il)::text FROM invoice_lines il WHERE il.organization_id = ?0
		UNION ALL SELECT 'invoice payment ' || row_to_json(ip)::text FROM invoice_payments ip WHERE ip.organization_id = ?0
		UNION ALL SELECT 'invoice counter ' || row_to_json(ic)::text FROM invoice_counters ic WHERE ic.organization_id = ?0
		UNION ALL SELECT 'notification ' || row_to_json(nt)::text FROM notifications nt WHERE nt.organization_id = ?0
		UNION ALL SELECT 'notification preference ' || row_to_json(np)::text FROM notification_preferences np WHERE np.organization_id = ?0
		UNION ALL SELECT 'push subscription ' || row_to_json(ps)::text FROM push_subscriptions ps WHERE ps.organization_id = ?0
		UNION ALL SELECT 'api key ' || row_to_json(ak)::text FROM api_keys ak WHERE ak.organization_id = ?0
		UNION ALL SELECT 'webhook endpoint ' || row_to_json(we)::text FROM webhook_endpoints we WHERE we.organization_id = ?0
		UNION ALL SELECT 'webhook delivery ' || row_to_json(wd)::text FROM webhook_deliveries wd WHERE wd.organization_id = ?0
		UNION ALL SELECT 'export ' || row_to_json(ex)::text FROM exports ex WHERE ex.organization_id = ?0
		UNION ALL SELECT 'sso connection ' || row_to_json(sc)::text FROM sso_connections sc WHERE sc.organization_id = ?0
		UNION ALL SELECT 'sso identity ' || row_to_json(si)::text FROM sso_identities si WHERE si.organization_id = ?0
		UNION ALL SELECT 'sso domain ' || row_to_json(sd)::text FROM sso_domains sd WHERE sd.organization_id = ?0
		UNION ALL SELECT 'sso assertion ' || row_to_json(sa)::text FROM sso_used_assertions sa WHERE sa.organization_id = ?0
		UNION ALL SELECT 'ip allowlist ' || row_to_json(al)::text FROM ip_allowlist_entries al WHERE al.organization_id = ?0
		ORDER BY 1`, orgID).Scan(context.Background(), &rows)
	require.NoError(t, err)
	return strings.Join(rows, "\n")
}

// EmailVerified implements api.Workflows; the verification signal is covered by the worker tests.
func (w *recordingWorkflows) EmailVerified(context.Context, string) error { return nil }

// SendEmail implements api.Workflows by remembering the request.
func (w *recordingWorkflows) SendEmail(_ context.Context, req domain.EmailRequest) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.emails = append(w.emails, req)
	return nil
}

// Emails returns the email requests the API made, in order.
func (w *recordingWorkflows) Emails() []domain.EmailRequest {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]domain.EmailRequest(nil), w.emails...)
}

// StartOrganizationDeletion implements api.Workflows by remembering the organization; the workflow itself
// is covered by the workflows and worker tests.
func (w *recordingWorkflows) StartOrganizationDeletion(_ context.Context, orgID string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.deleted = append(w.deleted, orgID)
	return nil
}

// DeletionsStarted returns the organizations whose deletion workflow the API started, in order.
func (w *recordingWorkflows) DeletionsStarted() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.deleted...)
}

// StartPurgeFiles implements api.Workflows by remembering the organization; the purge itself is covered
// by the workflows and worker tests.
func (w *recordingWorkflows) StartPurgeFiles(_ context.Context, orgID string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.purges = append(w.purges, orgID)
	return nil
}

// PurgesStarted returns the organizations whose file purge the API started, in order.
func (w *recordingWorkflows) PurgesStarted() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.purges...)
}

// StartInvitationExpiry implements api.Workflows by remembering the invitation; the workflow itself is
// covered by the workflows and worker tests.
func (w *recordingWorkflows) StartInvitationExpiry(_ context.Context, inv domain.Invitation) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.invitationSignals = append(w.invitationSignals, "started/"+inv.ID)
	return nil
}

// InvitationAccepted implements api.Workflows by remembering the signal.
func (w *recordingWorkflows) InvitationAccepted(_ context.Context, invitationID string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.invitationSignals = append(w.invitationSignals, "accepted/"+invitationID)
	return nil
}

// InvitationRevoked implements api.Workflows by remembering the signal.
func (w *recordingWorkflows) InvitationRevoked(_ context.Context, invitationID string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.invitationSignals = append(w.invitationSignals, "revoked/"+invitationID)
	return nil
}

// InvitationSignals returns "started/<id>", "accepted/<id>" and "revoked/<id>" in the order the API sent them.
func (w *recordingWorkflows) InvitationSignals() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.invitationSignals...)
}

// StartWebhookDelivery implements api.Workflows by remembering the delivery, or failing while
// failWebhookStarts is set (Temporal unreachable).
func (w *recordingWorkflows) StartWebhookDelivery(_ context.Context, ref domain.WebhookDeliveryRef) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failWebhookStarts {
		return errors.New("temporal unreachable")
	}
	w.webhookDeliveries = append(w.webhookDeliveries, ref)
	return nil
}

// SendWebhookTest implements api.Workflows: it remembers the ping and, when webhookTestRun is set, runs
// it in the worker's place (e.g. records a try on the row) before returning.
func (w *recordingWorkflows) SendWebhookTest(ctx context.Context, ref domain.WebhookDeliveryRef) error {
	w.mu.Lock()
	if w.failWebhookStarts {
		w.mu.Unlock()
		return errors.New("temporal unreachable")
	}
	w.webhookTests = append(w.webhookTests, ref)
	run := w.webhookTestRun
	w.mu.Unlock()
	if run != nil {
		return run(ctx, ref)
	}
	return nil
}

// WebhookDeliveriesStarted returns the deliveries whose workflow the API started, in order.
func (w *recordingWorkflows) WebhookDeliveriesStarted() []domain.WebhookDeliveryRef {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]domain.WebhookDeliveryRef(nil), w.webhookDeliveries...)
}

// WebhookTestsSent returns the pings the API asked the worker to deliver, in order.
func (w *recordingWorkflows) WebhookTestsSent() []domain.WebhookDeliveryRef {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]domain.WebhookDeliveryRef(nil), w.webhookTests...)
}

// FailWebhookStarts makes every webhook start fail (true) or succeed again (false).
func (w *recordingWorkflows) FailWebhookStarts(fail bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.failWebhookStarts = fail
}

// RunWebhookTests sets what SendWebhookTest does in the worker's place.
func (w *recordingWorkflows) RunWebhookTests(run func(context.Context, domain.WebhookDeliveryRef) error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.webhookTestRun = run
}

// StartExport implements api.Workflows: it records the export; tests run its activity themselves.
func (w *recordingWorkflows) StartExport(_ context.Context, ref domain.ExportRef) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.exports = append(w.exports, ref)
	return nil
}
