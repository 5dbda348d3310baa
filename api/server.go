// Package api is ClientFlow's HTTP layer: a Gin router with Huma operations (OpenAPI 3.1 generated from the
// Go types), middleware for request IDs, logs, metrics, rate limits and CSRF, and the embedded browser app.
package api

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humagin"
	"github.com/gin-gonic/gin"
	gojson "github.com/goccy/go-json"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/stripe/stripe-go/v82"

	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/filestore"
	"github.com/clientflow/clientflow/store/ratelimit"
)

// RateLimiter admits or refuses one request for a key (Redis in production, in-process locally).
type RateLimiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (ratelimit.Decision, error)
	// Peek answers like Allow without recording (for limits that count only failures).
	Peek(ctx context.Context, key string, limit int, window time.Duration) (ratelimit.Decision, error)
}

// Workflows starts the durable processes the API hands work to.
type Workflows interface {
	// StartWelcome starts the sign-up workflow (welcome email, then a reminder while unverified).
	StartWelcome(ctx context.Context, userID string) error
	// EmailVerified tells the user's welcome workflow that no reminder is needed.
	EmailVerified(ctx context.Context, userID string) error
	// SendEmail durably sends one templated email, at most once per req.Key.
	SendEmail(ctx context.Context, req domain.EmailRequest) error
	// StartOrganizationDeletion starts the durable removal of an organization already marked as deleting.
	StartOrganizationDeletion(ctx context.Context, orgID string) error
	// StartPurgeFiles starts (or wakes) the organization's purge of stored files whose rows were deleted.
	StartPurgeFiles(ctx context.Context, orgID string) error
	// StartInvitationExpiry starts the timer that expires a pending invitation at inv.ExpiresAt.
	StartInvitationExpiry(ctx context.Context, inv domain.Invitation) error
	// InvitationAccepted and InvitationRevoked end an invitation's expiry timer early.
	InvitationAccepted(ctx context.Context, invitationID string) error
	InvitationRevoked(ctx context.Context, invitationID string) error
	// StartSubscription starts the organization's Subscription workflow (trial reminder and end); starting
	// it again joins the running one.
	StartSubscription(ctx context.Context, orgID string) error
	// DeliverStripeEvent signal-with-starts the organization's Subscription workflow with ev, and the
	// invoice's Dunning workflow for payment failures and payments.
	DeliverStripeEvent(ctx context.Context, ev domain.StripeEvent) error
	// StartInvoiceOverdue starts a sent invoice's overdue workflow (overdue at w.DueAt, then reminders).
	StartInvoiceOverdue(ctx context.Context, w domain.InvoiceWatch) error
	// InvoiceSettled ends an invoice's overdue workflow early: it was paid or voided.
	InvoiceSettled(ctx context.Context, invoiceID string) error
	// InvoiceLinkReplaced hands an invoice's overdue workflow the client's new link for its reminders.
	InvoiceLinkReplaced(ctx context.Context, invoiceID, link string) error
	// StartDueReminders starts the organization's due-date reminders (one sweep workflow per organization);
	// starting it again joins the running one.
	StartDueReminders(ctx context.Context, orgID string) error
	// StartWebhookDelivery starts the delivery workflow of one pending webhook_deliveries row (a replay);
	// starting it again joins the run that has it.
	StartWebhookDelivery(ctx context.Context, ref domain.WebhookDeliveryRef) error
	// SendWebhookTest delivers one pending ping row with a single try and waits (at most 15 s) for the try,
	// so the row holds its outcome when it returns nil.
	SendWebhookTest(ctx context.Context, ref domain.WebhookDeliveryRef) error
	// StartExport starts the workflow that writes one export's CSV; starting it again joins that run.
	StartExport(ctx context.Context, ref domain.ExportRef) error
}

// Checker reports whether a dependency is reachable, for /readyz.
type Checker func(ctx context.Context) error

// Deps are the Server's collaborators, wired in cmd.
type Deps struct {
	Config    config.Config
	DB        *store.DB
	Limiter   RateLimiter
	Workflows Workflows
	// Files keeps uploaded file contents (local disk or Cloudinary).
	Files  filestore.Store
	Logger *slog.Logger
	// Ready names the dependencies /readyz checks besides Postgres (e.g. "redis", "temporal").
	Ready map[string]Checker
	// SPA is the built browser app (web/dist); nil serves a short note instead.
	SPA fs.FS
	// Registry receives the Prometheus metrics; nil means a fresh registry.
	Registry *prometheus.Registry
	// TrustedProxies are the IPs or CIDRs of reverse proxies whose X-Forwarded-For names the client IP
	// (rate limits, logs). Empty trusts none, so a client can never pick the IP it is limited under.
	TrustedProxies []string
	// Stream is what GET /api/v1/stream subscribes to (see StreamConfig).
	Stream StreamConfig
}

// Server is the HTTP API.
type Server struct {
	Deps
	cfg     config.Config
	db      *store.DB
	limiter RateLimiter
	logger  *slog.Logger
	router  *gin.Engine
	api     huma.API
	// stripe is the payment provider's client; nil in self-hosted mode (no STRIPE_SECRET_KEY).
	stripe *stripe.Client
	// apiLimit, sessionLimit and authLimit are the rate-limit counts (defaults 120/min per API key or IP,
	// 600/min per browser session, 10/10 s per IP on auth).
	apiLimit, sessionLimit, authLimit int
	// startBreaker pauses the workflow outbox's fast path while Temporal is failing (see startNow).
	startBreaker startBreaker
	// handler is the router behind compressAPI: what Handler serves.
	handler http.Handler
	// exposureInFlight holds the revoked keys whose exposure claim is running (see noteRevokedKeyUse), so a
	// burst of uses of one key costs one goroutine and transaction at a time, not one each.
	exposureInFlight sync.Map
}

// New builds the router with every route registered.
func New(d Deps) *Server {
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
		d.Registry.MustRegister(prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true
	// Gin trusts every peer's X-Forwarded-For by default, which would let anyone reset the sign-in limit.
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		d.Logger.Error("api: invalid trusted proxies, trusting none", "err", err)
	}
	s := &Server{Deps: d, cfg: d.Config, db: d.DB, limiter: d.Limiter, logger: d.Logger, router: r,
		apiLimit: orDefault(d.Config.RateLimitAPI, 120), sessionLimit: orDefault(d.Config.RateLimitSession, 600), authLimit: orDefault(d.Config.RateLimitAuth, 10),
		stripe: NewStripeClient(d.Config)}
	r.Use(requestID(), requestTimeout(d.Config.RequestTimeout), retryAfterOn503(), securityHeaders(), logAndMeasure(newMetrics(d.Registry), d.Logger), recoverPanics(d.Logger), s.rateLimit(), s.checkOrigin(), withClientIP())

	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", s.ready)
	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(d.Registry, promhttp.HandlerOpts{})))

	s.api = humagin.New(r, apiConfig())
	s.api.UseMiddleware(s.checkInput, s.authenticate, s.enforceSubscription)
	s.registerAuth()
	s.registerAccount()
	s.registerOrganizations()
	s.registerOrganizationSettings()
	s.registerOrganizationLifecycle()
	s.registerMembers()
	s.registerInvitations()
	s.registerRoles()
	s.registerClients()
	s.registerClientContacts()
	s.registerComments()
	s.registerFiles()
	s.registerClientOverview()
	s.registerDashboard()
	s.registerProjects()
	s.registerProjectMembers()
	s.registerTemplates()
	s.registerColumns()
	s.registerTasks()
	s.registerSubtasks()
	s.registerBoard()
	s.registerActivity()
	s.registerSearch()
	s.registerAudit()
	s.registerTimer()
	s.registerMyWork()
	s.registerTimeEntries()
	s.registerTimeSummary()
	s.registerInvoices()
	s.registerPortal()
	s.registerBilling()
	s.registerStripe()
	s.registerUnsubscribe()
	s.registerNotifications()
	s.registerNotificationPreferences()
	s.registerPushSubscriptions()
	s.registerWebhooks()
	s.registerDev()
	s.registerStream()
	s.registerAPIKeys()
	s.registerExports()
	s.registerSSORoutes()
	s.registerSecurity()
	documentAPI(s.api.OpenAPI())
	r.NoRoute(s.serveSPA)
	s.handler = compressAPI(etagAPI(r))
	return s
}

// apiConfig is the Huma configuration shared by the server and the OpenAPI export.
func apiConfig() huma.Config {
	cfg := huma.DefaultConfig("ClientFlow API", "1.0.0")
	cfg.Info.Description = "Clients, projects, tasks, time, files and billing for agencies. " +
		"Authenticate with the session cookie set by sign-in, or on organization routes with an API key: " +
		"`Authorization: Bearer <key>`."
	cfg.OpenAPIPath = "/api/v1/openapi"
	cfg.DocsPath = ""
	cfg.SchemasPath = "/api/v1/schemas"
	// No "$schema" links in bodies: they bloat every payload and the SPA has generated types.
	cfg.CreateHooks = nil
	// Responses are encoded with goccy/go-json (already in the module graph through Gin): the same output
	// as encoding/json for these types at about half the CPU, which is most of a 500-card board's cost.
	// Requests are still decoded by encoding/json, whose errors the validation messages are built on.
	jsonFormat := huma.Format{Marshal: func(w io.Writer, v any) error {
		enc := gojson.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}, Unmarshal: json.Unmarshal}
	cfg.Formats = map[string]huma.Format{"application/json": jsonFormat, "json": jsonFormat}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"cookieAuth": {Type: "apiKey", In: "cookie", Name: sessionCookie},
		// An organization's API key (cf_live_… / cf_test_…); it works on that organization's routes only.
		"bearerAuth": {Type: "http", Scheme: "bearer",
			Description: "An API key of the organization in the path, as `Authorization: Bearer <key>`."},
	}
	return cfg
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// OpenAPI returns the generated OpenAPI 3.1 document.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

// ready answers 200 when Postgres and every configured dependency respond, else 503 naming the failures.
func (s *Server) ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]Checker{"postgres": s.db.Ping}
	for name, check := range s.Ready {
		checks[name] = check
	}
	result, status := gin.H{}, http.StatusOK
	for name, check := range checks {
		if err := check(ctx); err != nil {
			result[name] = err.Error()
			status = http.StatusServiceUnavailable
		} else {
			result[name] = "ok"
		}
	}
	c.JSON(status, result)
}

// security marks an operation as needing a signed-in user: each requirement is an alternative, the session
// cookie or (on organization routes) an API key.
var security = []map[string][]string{{"cookieAuth": {}}, {"bearerAuth": {}}}

// OpenAPIDocument renders the OpenAPI 3.1 document without connecting to anything.
func OpenAPIDocument() ([]byte, error) {
	s := New(Deps{})
	b, err := json.MarshalIndent(s.OpenAPI(), "", "  ")
	return append(b, '\n'), err
}

func orDefault(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}
