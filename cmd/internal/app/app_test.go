package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/clientflow/clientflow/api/dnstest"
	"github.com/clientflow/clientflow/cmd/internal/app"
	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker/temporaltest"
)

// stack is the whole program (API + worker) on a throwaway database and a real Temporal dev server.
type stack struct {
	URL string
	DB  *storetest.DB
}

// mustRunStack starts the real program the way cmd/dev does, on a free port, and stops it at cleanup.
// tweaks change the configuration before it is validated.
func mustRunStack(t *testing.T, spaDir string, tweaks ...func(*config.Config)) *stack {
	t.Helper()
	srv := temporaltest.MustStart(t)
	db := storetest.MustOpen(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Env, cfg.AppURL, cfg.HTTPAddr = config.EnvDevelopment, "http://"+addr, addr
	cfg.DatabaseURL, cfg.RedisURL = db.URL, ""
	cfg.DataDir, cfg.FilesDir = t.TempDir(), "" // uploads land in the test's own directory
	cfg.TemporalAddress, cfg.TemporalNamespace = srv.FrontendHostPort(), temporaltest.Namespace
	cfg.TemporalTaskQueue = "e2e-" + filepath.Base(t.Name())
	// Every browser signs in from 127.0.0.1; the auth limit (10 per 10 s per IP, tested in package api)
	// would otherwise throttle the journeys of several people run back to back.
	cfg.RateLimitAuth = 1000
	for _, tweak := range tweaks {
		tweak(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	ctx := context.Background()

	w, err := app.NewWorker(ctx, cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })

	a, err := app.NewAPI(ctx, cfg, logger, os.DirFS(spaDir))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Listen(addr); err != nil {
		t.Fatal(err)
	}
	go a.Serve()
	t.Cleanup(func() { a.Close() })
	return &stack{URL: cfg.AppURL, DB: db}
}

func TestStackIsReady(t *testing.T) {
	s := mustRunStack(t, t.TempDir())
	res, err := http.Get(s.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/readyz = %d %s; want 200 with postgres and temporal ok", res.StatusCode, body)
	}
}

// TestBrowser drives the built SPA in Debian's Chromium through the whole stack: sign up, create an
// organization, create, find, edit and delete a client, sign out and sign in (web/e2e). It needs the
// SPA built and Chromium installed, which `make test` guarantees; a plain `go test` skips it.
func TestBrowser(t *testing.T) {
	if os.Getenv("CLIENTFLOW_E2E") != "1" {
		t.Skip("browser test runs under `make test` (CLIENTFLOW_E2E=1)")
	}
	webDir, err := filepath.Abs("../../../web")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(webDir, "dist", "index.html")); err != nil {
		t.Fatal("web/dist is not built: run `make test` (it builds the SPA)")
	}
	// A real OIDC provider on loopback (it signs in its default user, jane.doe@example.com, without a form):
	// the SSO journey points an organization's connection at it, and "Sign in with Google" uses it too.
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Shutdown() })
	// The customers' DNS: every claimed domain has published its verification TXT record (see publishClaims).
	dns := dnstest.Start(t)
	s := mustRunStack(t, filepath.Join(webDir, "dist"), func(cfg *config.Config) {
		cfg.DNSResolver = dns.Addr
		cfg.GoogleClientID, cfg.GoogleClientSecret, cfg.GoogleIssuer = idp.ClientID, idp.ClientSecret, idp.Issuer()
		// The worker's new notifications reach the browsers' streams through Redis, as under make run.
		cfg.RedisURL = localRedis(t)
		// Notification emails coalesce for seconds, not minutes: the journeys look for them in the mailbox.
		cfg.NotifyEmailWindow = 2 * time.Second
		// The webhooks journey's receiver listens on 127.0.0.1, as a developer's would under make run.
		cfg.WebhookAllowLoopback = true
	})

	publishClaims(dns, s.DB)

	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	// One journey at a time: on two cores, parallel browsers mostly measure contention.
	// CLIENTFLOW_E2E_ONLY (e.g. "e2e/notifications.test.mjs") runs some journeys while working on them.
	args := []string{"--test", "--test-concurrency=1"}
	if only := strings.Fields(os.Getenv("CLIENTFLOW_E2E_ONLY")); len(only) > 0 {
		args = append(args, only...)
	} else {
		args = append(args, "e2e/")
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = webDir
	cmd.Env = append(os.Environ(), "BASE_URL="+s.URL, "OIDC_ISSUER="+idp.Issuer(), "OIDC_CLIENT_ID="+idp.ClientID,
		"OIDC_CLIENT_SECRET="+idp.ClientSecret)
	out, err := cmd.CombinedOutput()
	t.Logf("browser test output:\n%s", out)
	if err != nil {
		t.Fatalf("browser test failed: %v", err)
	}

	// The sign-up in the browser started the welcome workflow on the real worker: its email arrives.
	deadline := time.Now().Add(30 * time.Second)
	for {
		box, err := s.DB.App.Mailbox(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		// Later journeys send other emails too (notifications): any sent welcome email will do.
		if slices.ContainsFunc(box, func(m store.OutboxEmail) bool { return m.Tag == "welcome" && m.Sent }) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no welcome email in the dev mailbox after sign-up: %+v", box)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// publishClaims answers the TXT record of every claimed domain of the stack with its verification value, as
// the domain's DNS host does once its owner published the record the Security page shows.
func publishClaims(dns *dnstest.Server, db *storetest.DB) {
	dns.PublishFunc(func(name string) []string {
		claimed, ok := strings.CutPrefix(name, "_clientflow-verification.")
		if !ok {
			return nil
		}
		var tokens []string
		if err := db.Owner.Bun().NewRaw("SELECT verification_token FROM sso_domains WHERE domain = ?", claimed).
			Scan(context.Background(), &tokens); err != nil {
			return nil
		}
		for i, tok := range tokens {
			tokens[i] = domain.SSODomainTXTValue(tok)
		}
		return tokens
	})
}

// localRedis is REDIS_URL, else the local Redis when one answers on its default port. Without Redis the
// worker's notifications reach no browser stream (only the API's own changes do); the test says so.
func localRedis(t *testing.T) string {
	t.Helper()
	if url := os.Getenv("REDIS_URL"); url != "" {
		return url
	}
	c, err := net.DialTimeout("tcp", "127.0.0.1:6379", time.Second)
	if err != nil {
		t.Log("no Redis on 127.0.0.1:6379: live notifications from the worker will not reach the browsers")
		return ""
	}
	c.Close()
	return "redis://127.0.0.1:6379/0"
}
