package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/clientflow/clientflow/cmd/internal/app"
	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker/temporaltest"
)

// TestSoakMix keeps `make soak` from rotting: every operation of its mix must succeed against the real API
// and worker (in-process here, on a throwaway database and a Temporal dev server), then a few seconds of
// open-loop traffic at a low rate must answer no error at all. A route or body the soak no longer matches
// fails here with the server's answer, not ten minutes into a soak.
func TestSoakMix(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	fix, err := seed(ctx, db.Owner)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := newTraffic(ctx, mustStartProgram(t, db.URL), fix, 2)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("every_operation_succeeds", func(t *testing.T) {
		for _, op := range mix {
			if status, err := op.do(ctx, tr); err != nil || status < 200 || status > 299 {
				t.Errorf("%s: status %d: %v", op.name, status, err)
			}
		}
	})

	t.Run("steady_traffic_answers_no_error", func(t *testing.T) {
		s := drive(ctx, tr, 10, 8*time.Second)
		total := s.totals()
		// Open loop: the arrivals follow the clock, not the server's answers.
		if total.requests != 80 {
			t.Errorf("sent %d requests in 8 s at 10 req/s, want 80", total.requests)
		}
		for name, o := range s.ops {
			if o.errors > 0 {
				t.Errorf("%s: %d of %d requests failed, %d with 5xx; first: %s", name, o.errors, o.count, o.serverErrors, o.firstError)
			}
		}
	})

	t.Run("the_worker_purges_deleted_files", func(t *testing.T) {
		queued, err := waitPurged(ctx, db.Owner.Bun().DB, 30*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if queued > 0 {
			t.Errorf("%d deleted files still queued for purging after 30 s", queued)
		}
	})
}

// mustStartProgram runs the API and the worker in-process against dsn and a fresh Temporal dev server, with
// the soak's raised rate limits, and returns the API's base URL.
func mustStartProgram(t *testing.T, dsn string) string {
	t.Helper()
	srv := temporaltest.MustStart(t)
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
	cfg.Env, cfg.AppURL, cfg.DatabaseURL, cfg.RedisURL = config.EnvTest, "http://"+addr, dsn, ""
	cfg.DataDir, cfg.FilesDir = t.TempDir(), ""
	cfg.TemporalAddress, cfg.TemporalNamespace, cfg.TemporalTaskQueue = srv.FrontendHostPort(), temporaltest.Namespace, "soak-test"
	cfg.RateLimitAPI, cfg.RateLimitSession, cfg.RateLimitAuth = 1<<30, 1<<30, 1<<30
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	w, err := app.NewWorker(context.Background(), cfg, logger)
	if err == nil {
		err = w.Start()
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	a, err := app.NewAPI(context.Background(), cfg, logger, nil)
	if err == nil {
		err = a.Listen(addr)
	}
	if err != nil {
		t.Fatal(err)
	}
	go a.Serve()
	t.Cleanup(func() { a.Close() })
	return cfg.AppURL
}
