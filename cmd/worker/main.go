// Command worker runs ClientFlow's Temporal workflows and activities. Run as many replicas as needed.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/clientflow/clientflow/cmd/internal/app"
	"github.com/clientflow/clientflow/config"
)

func main() {
	cfg := config.MustLoad()
	logger := app.NewLogger(cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	w, err := app.NewWorker(ctx, cfg, logger)
	if err == nil {
		err = w.WaitForTemporal(ctx)
	}
	if err == nil {
		err = w.Start()
	}
	if err != nil {
		logger.Error("worker: start", "err", err)
		os.Exit(1)
	}
	logger.Info("worker: polling", "task_queue", cfg.TemporalTaskQueue, "namespace", cfg.TemporalNamespace)
	<-ctx.Done()
	w.Close()
}
