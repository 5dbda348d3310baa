// Package app wires ClientFlow's programs from configuration: the API server and the Temporal worker.
// cmd/api, cmd/worker and cmd/dev are thin mains over it, and tests start the real program through it.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"go.temporal.io/sdk/client"
	tworker "go.temporal.io/sdk/worker"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/activities/push"
	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/filestore"
	"github.com/clientflow/clientflow/store/ratelimit"
	"github.com/clientflow/clientflow/stream"
	"github.com/clientflow/clientflow/worker"
	"github.com/clientflow/clientflow/workflows"
)

// NewLogger returns the JSON logger every binary uses.
func NewLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: l}))
	slog.SetDefault(logger)
	return logger
}

// API is the running HTTP server and what it holds open.
type API struct {
	Server   *api.Server
	db       *store.DB
	redis    *redis.Client
	temporal client.Client
	http     *http.Server
	ln       net.Listener
	// live publishes the store's change messages; stopStream ends the Redis subscription.
	live       *stream.Async
	stopStream context.CancelFunc
}

// NewAPI connects to Postgres, Redis (when configured) and Temporal and builds the server.
// spa is the built browser app; nil serves a note instead.
func NewAPI(ctx context.Context, cfg config.Config, logger *slog.Logger, spa fs.FS) (*API, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{MaxConns: cfg.DatabaseMaxConns})
	if err != nil {
		return nil, err
	}
	a := &API{db: db}
	ready := map[string]api.Checker{}
	var limiter api.RateLimiter = ratelimit.NewMemory()
	if cfg.RedisURL != "" {
		opt, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			a.Close()
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		a.redis = redis.NewClient(opt)
		// A Redis outage falls back to counting in process (see ratelimit.Fallback) while /readyz reports it.
		limiter = ratelimit.NewFallback(ratelimit.NewRedis(a.redis, "cf:rl:"), logger)
		ready["redis"] = func(ctx context.Context) error { return a.redis.Ping(ctx).Err() }
	}
	if a.temporal, err = worker.Dial(cfg.TemporalAddress, cfg.TemporalNamespace, logger); err != nil {
		a.Close()
		return nil, err
	}
	ready["temporal"] = worker.HealthCheck(a.temporal)
	ready["workflow_outbox"] = worker.BacklogCheck(db, backlogReadyLimit)
	ready["domain_event_queue"] = worker.EventBacklogCheck(db, backlogReadyLimit)
	files, err := NewFileStore(cfg)
	if err != nil {
		a.Close()
		return nil, err
	}
	broker := a.startStream(logger)
	a.Server = api.New(api.Deps{
		Config: cfg, DB: db, Limiter: limiter, Logger: logger, Ready: ready, SPA: spa, TrustedProxies: cfg.TrustedProxies,
		Files: files, Stream: api.StreamConfig{Broker: broker},
		Workflows: worker.Starter{Client: a.temporal, TaskQueue: cfg.TemporalTaskQueue, VerifyReminderAfter: cfg.VerifyReminderAfter},
	})
	a.Server.Registry.MustRegister(worker.BacklogGauge(db), worker.EventBacklogGauge(db), droppedCounter(a.live))
	return a, nil
}

// liveQueue is how many committed transactions' messages may wait for the publisher before new ones are
// dropped (and counted): far more than a burst of writes produces while Redis answers.
const liveQueue = 4096

// startStream starts the live updates broker: Redis pub/sub across API processes when REDIS_URL is set,
// else an in-process hub; the store publishes each commit's changes to it without waiting.
func (a *API) startStream(logger *slog.Logger) stream.Broker {
	var broker stream.Broker = stream.NewHub()
	if a.redis != nil {
		r := stream.NewRedis(a.redis, logger)
		ctx, stop := context.WithCancel(context.Background())
		a.stopStream = stop
		go r.Run(ctx)
		broker = r
	}
	a.live = stream.NewAsync(broker, liveQueue, logger)
	a.db.SetPublisher(a.live)
	return broker
}

// droppedCounter exports how many live messages the publisher dropped because its queue was full.
func droppedCounter(live *stream.Async) prometheus.Collector {
	return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "clientflow_stream_dropped_total",
		Help: "Live update messages dropped because the publish queue was full."},
		func() float64 { return float64(live.Dropped()) })
}

// backlogReadyLimit is how long a workflow start may wait for Temporal before /readyz reports the backlog:
// well past the relay's first retries, short enough that ops hear of an outage within minutes.
const backlogReadyLimit = time.Minute

// NewFileStore returns Cloudinary when its keys are configured, else local disk under FILES_DIR
// (default DATA_DIR/files).
func NewFileStore(cfg config.Config) (filestore.Store, error) {
	if cfg.UsesCloudinary() {
		return filestore.NewCloudinary(filestore.CloudinaryOptions{CloudName: cfg.CloudinaryCloudName,
			APIKey: cfg.CloudinaryAPIKey, APISecret: cfg.CloudinaryAPISecret})
	}
	return filestore.NewLocal(cfg.FilesDirectory())
}

// Listen binds the address (":0" picks a free port).
func (a *API) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	a.ln = ln
	a.http = &http.Server{Handler: a.Server.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	// Open live streams never finish on their own: end them, or Shutdown waits its full timeout.
	a.http.RegisterOnShutdown(a.Server.EndStreams)
	return nil
}

// Addr is the bound address, once Listen succeeded.
func (a *API) Addr() string { return a.ln.Addr().String() }

// Serve serves HTTP until Close; it returns nil after a clean shutdown.
func (a *API) Serve() error {
	if err := a.http.Serve(a.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close drains in-flight requests for up to 10 s and releases every connection.
func (a *API) Close() error {
	var errs []error
	if a.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errs = append(errs, a.http.Shutdown(ctx))
		cancel()
	}
	if a.temporal != nil {
		a.temporal.Close()
	}
	if a.stopStream != nil {
		a.stopStream()
	}
	if a.live != nil {
		a.live.Close()
	}
	if a.redis != nil {
		errs = append(errs, a.redis.Close())
	}
	if a.db != nil {
		errs = append(errs, a.db.Close())
	}
	return errors.Join(errs...)
}

// Worker is the running Temporal worker and the workflow outbox's relay.
type Worker struct {
	db       *store.DB
	temporal client.Client
	w        tworker.Worker
	relay    *worker.Relay
	starter  worker.Starter
	logger   *slog.Logger
	stop     context.CancelFunc
	relayed  chan struct{}
	// redis and live carry the worker's live messages (new notifications, changes it commits) to the
	// API processes' streams; nil without REDIS_URL.
	redis *redis.Client
	live  *stream.Async
}

// NewWorker connects and registers every workflow and activity on the task queue.
func NewWorker(ctx context.Context, cfg config.Config, logger *slog.Logger) (*Worker, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{MaxConns: cfg.DatabaseMaxConns})
	if err != nil {
		return nil, err
	}
	c, err := worker.Dial(cfg.TemporalAddress, cfg.TemporalNamespace, logger)
	if err != nil {
		db.Close()
		return nil, err
	}
	provider := email.NewProvider(email.Config{
		From: cfg.EmailFrom, ReplyTo: cfg.ResendReplyTo, ResendAPIKey: cfg.ResendAPIKey, ResendBaseURL: cfg.ResendAPIBase,
		EmailJSPublicKey: cfg.EmailJSPublicKey, EmailJSPrivateKey: cfg.EmailJSPrivateKey,
		EmailJSServiceID: cfg.EmailJSServiceID, EmailJSTemplateID: cfg.EmailJSTemplateID,
	}, &http.Client{Timeout: 20 * time.Second}, logger)
	logger.Info("email provider", "provider", provider.Name())
	files, err := NewFileStore(cfg)
	if err != nil {
		c.Close()
		db.Close()
		return nil, err
	}
	pushSender, err := newPushSender(cfg)
	if err != nil {
		c.Close()
		db.Close()
		return nil, err
	}
	acts := &activities.Activities{
		DB: db, Email: email.NewSender(provider, activities.Outbox{DB: db}, logger),
		AppURL: cfg.AppURL, SessionSecret: cfg.SessionSecret, Files: files, Stripe: api.NewStripeClient(cfg),
		Push: pushSender, WebhookAllowLoopback: cfg.WebhookAllowLoopback,
	}
	rdb, live, err := workerStream(cfg, db, logger)
	if err != nil {
		c.Close()
		db.Close()
		return nil, err
	}
	if rdb != nil {
		// Activities may wait on Redis (they run off the request path); the store's after-commit
		// publication goes through the queue like the API's.
		acts.Stream = stream.NewRedis(rdb, logger)
	}
	starter := worker.Starter{Client: c, TaskQueue: cfg.TemporalTaskQueue, VerifyReminderAfter: cfg.VerifyReminderAfter,
		NotifyEmailWindow: cfg.NotifyEmailWindow}
	acts.EmailDigests = starter
	acts.Webhooks = starter
	acts.Subscriptions = starter
	relay := &worker.Relay{DB: db, Logger: logger, Healthy: worker.HealthCheck(c), Starter: starter,
		Delays: &worker.DelayWatch{DB: db, Send: acts.SendTemplatedEmail, To: cfg.OpsEmail,
			Threshold: cfg.OpsDelayThreshold, Logger: logger}}
	return &Worker{db: db, temporal: c, w: worker.New(c, cfg.TemporalTaskQueue, acts), relay: relay, logger: logger,
		redis: rdb, live: live, starter: starter}, nil
}

// workerStream connects the worker to the API processes' streams through Redis. Without REDIS_URL the
// worker cannot reach them (an in-process hub would have no listeners): new notifications then appear in
// the browser on its next fetch.
func workerStream(cfg config.Config, db *store.DB, logger *slog.Logger) (*redis.Client, *stream.Async, error) {
	if cfg.RedisURL == "" {
		return nil, nil, nil
	}
	opt, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(opt)
	live := stream.NewAsync(stream.NewRedis(rdb, logger), liveQueue, logger)
	db.SetPublisher(live)
	return rdb, live, nil
}

// newPushSender returns the web push sender, or nil when no VAPID keys are configured (push deliveries are
// then recorded as skipped).
func newPushSender(cfg config.Config) (*push.Sender, error) {
	if !cfg.UsesPush() {
		return nil, nil
	}
	return push.NewSender(push.Config{PublicKey: cfg.VAPIDPublicKey, PrivateKey: cfg.VAPIDPrivateKey, Subject: cfg.VAPIDSubject})
}

// WaitForTemporal returns once the Temporal frontend answers its health check, or ctx's error. A worker
// started during a Temporal outage waits for it (warning once) instead of exiting: its polling and the
// outbox relay need Temporal anyway, and a supervisor restart loop would only add noise.
func (w *Worker) WaitForTemporal(ctx context.Context) error {
	healthy, delay := worker.HealthCheck(w.temporal), 250*time.Millisecond
	for warned := false; ; warned = true {
		checkCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := healthy(checkCtx)
		cancel()
		if err == nil {
			if warned {
				w.logger.Info("worker: Temporal is reachable")
			}
			return nil
		}
		if !warned {
			w.logger.Warn("worker: waiting for Temporal", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, 10*time.Second)
	}
}

// Start begins polling and relaying the workflow outbox without blocking.
func (w *Worker) Start() error {
	if err := w.w.Start(); err != nil {
		return err
	}
	ctx, stop := context.WithCancel(context.Background())
	w.stop, w.relayed = stop, make(chan struct{})
	go w.startBackfill(ctx)
	go func() {
		defer close(w.relayed)
		w.relay.Run(ctx)
	}()
	return nil
}

// startBackfill starts the one-off subscription backfill (a no-op once it has completed). It runs beside
// polling so a slow Temporal never holds the start-up; a failure is logged and the next start-up tries again.
func (w *Worker) startBackfill(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := w.starter.StartSubscriptionBackfill(ctx, workflows.SubscriptionBackfillInput{}); err != nil {
		w.logger.Warn("worker: start the subscription backfill", "err", err)
	}
}

// Close stops the relay and polling (letting running activities finish) and releases connections.
func (w *Worker) Close() error {
	if w.stop != nil {
		w.stop()
		<-w.relayed
	}
	w.w.Stop()
	w.temporal.Close()
	if w.live != nil {
		w.live.Close()
		w.redis.Close()
	}
	return w.db.Close()
}
