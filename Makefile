# ClientFlow — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
TEMPORAL := .bin/temporal
TEMPORAL_PKG := github.com/temporalio/cli/cmd/temporal
# stripe-mock answers the Stripe API for the billing tests (they start it on free 127.0.0.1 ports).
STRIPE_MOCK := .bin/stripe-mock
STRIPE_MOCK_VERSION := v0.203.0

.PHONY: run test test-go test-web chaos e2e vet bench bench-smoke soak openapi check-openapi build clean deps-web deps-test

## run: build what is missing and start the whole product locally (API, worker, Temporal, demo data)
run:
	$(GO) run ./cmd/dev

## test: install what the tests need and run every test
test: deps-test vet check-openapi test-web test-go bench-smoke

## build: the api, worker and migrate binaries in bin/ (with the browser app embedded)
build: web/dist/index.html
	$(GO) build -o bin/ ./cmd/api ./cmd/worker ./cmd/migrate

# The pinned Temporal CLI lives in its own module (its server needs an older go.temporal.io/api).
$(TEMPORAL): tools/temporal/go.mod tools/temporal/go.sum
	@echo "Building the Temporal CLI v1.5.1 (the first build takes several minutes)…"
	$(GO) build -modfile=tools/temporal/go.mod -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=1.5.1" -o $(TEMPORAL) $(TEMPORAL_PKG)

$(STRIPE_MOCK):
	GOBIN=$(CURDIR)/.bin $(GO) install github.com/stripe/stripe-mock@$(STRIPE_MOCK_VERSION)

web/node_modules: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch web/node_modules

web/dist/index.html: web/node_modules $(shell find web/src -type f 2>/dev/null) web/index.html
	cd web && npm run build

deps-web: web/node_modules

## deps-test: Chromium for browser tests, the Temporal CLI, stripe-mock, web packages, a built SPA
deps-test: $(TEMPORAL) $(STRIPE_MOCK) deps-web web/dist/index.html
	@command -v chromium >/dev/null || { echo "Installing Chromium for browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

## openapi: regenerate web/openapi.json and the SPA's TypeScript types from the Go handlers
openapi:
	$(GO) run ./cmd/api openapi > web/openapi.json
	cd web && npm run gen:api

## check-openapi: fail when the committed OpenAPI document or the SPA types drift from the code
check-openapi: deps-web
	@$(GO) run ./cmd/api openapi | diff -q - web/openapi.json >/dev/null || { echo "web/openapi.json is stale: run make openapi"; exit 1; }
	cd web && npm run check:api

test-web: deps-web
	cd web && npm run typecheck && npm test

# Go tests include the whole-program browser test (cmd/internal/app), which needs Chromium and the built SPA.
test-go: $(TEMPORAL) $(STRIPE_MOCK)
	CLIENTFLOW_E2E=1 TEMPORAL_CLI=$(CURDIR)/$(TEMPORAL) STRIPE_MOCK=$(CURDIR)/$(STRIPE_MOCK) $(GO) test -race -count=1 -timeout 20m ./...

## bench-smoke: every hot-path benchmark once (-benchtime=1x), so none rots between `make bench` runs; part of `make test`
bench-smoke:
	$(GO) test -count=1 -run '^$$' -bench . -benchtime 1x ./api/ ./store/ratelimit/
	$(GO) test -count=1 -run '^$$' -bench 'BenchmarkClients|BenchmarkDashboard|BenchmarkSearch|BenchmarkSweepDueTasks' -benchtime 1x -timeout 15m ./store/

## chaos: process-level fault tests on the real binaries (worker SIGKILL mid-activity, Postgres cut under load, two APIs + two workers); about 5 minutes, run by CI after `make test`
chaos: $(TEMPORAL) $(STRIPE_MOCK)
	CLIENTFLOW_CHAOS=1 TEMPORAL_CLI=$(CURDIR)/$(TEMPORAL) STRIPE_MOCK=$(CURDIR)/$(STRIPE_MOCK) $(GO) test -count=1 -v -timeout 15m ./cmd/internal/chaos/

## bench: seed 100 orgs × 2,000 clients and 50 projects × 2,000 tasks; load-test client list, board, task list, move and detail (16 connections); fan-out on/off write latency, 2,000 SSE streams (RSS) and move-to-event delay at 1,000 clients
bench:
	$(GO) run ./cmd/bench
	$(GO) test -count=1 -run '^$$' -bench BenchmarkExportTimeEntries -benchtime 1x -timeout 15m ./activities/

## soak: the real api and worker binaries under steady mixed traffic (DURATION=10m RATE=50 req/s); fails on any 5xx, ≥ 0.1 % errors or > 10 % RSS growth
soak: $(TEMPORAL)
	TEMPORAL_CLI=$(CURDIR)/$(TEMPORAL) $(GO) run ./cmd/soak -duration $(or $(DURATION),10m) -rate $(or $(RATE),50)

clean:
	rm -rf bin .bin web/dist/assets web/dist/index.html
