// Command api runs ClientFlow's HTTP API and serves the embedded browser app.
//
//	api            serve on HTTP_ADDR
//	api openapi    print the OpenAPI 3.1 document
package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/cmd/internal/app"
	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/web"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "openapi" {
		doc, err := api.OpenAPIDocument()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Stdout.Write(doc)
		return
	}
	cfg := config.MustLoad()
	logger := app.NewLogger(cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	spa, _ := fs.Sub(web.Dist, "dist")
	a, err := app.NewAPI(ctx, cfg, logger, spa)
	if err == nil {
		err = a.Listen(cfg.HTTPAddr)
	}
	if err != nil {
		logger.Error("api: start", "err", err)
		os.Exit(1)
	}
	go func() {
		<-ctx.Done()
		a.Close()
	}()
	logger.Info("api: listening", "addr", a.Addr(), "app_url", cfg.AppURL)
	if err := a.Serve(); err != nil {
		logger.Error("api: serve", "err", err)
		os.Exit(1)
	}
}
