// Package temporaltest starts a real Temporal dev server for tests, from the pinned CLI (never a download).
package temporaltest

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
)

// Namespace is the namespace the test server registers, as in production.
const Namespace = "clientflow"

// CLIPath finds the pinned Temporal CLI: $TEMPORAL_CLI, else .bin/temporal in the repository root.
func CLIPath(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("TEMPORAL_CLI"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		p := filepath.Join(dir, ".bin", "temporal")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("temporaltest: the Temporal CLI is not built; run `make .bin/temporal` (or set TEMPORAL_CLI)")
		}
		dir = parent
	}
}

// MustStart runs a dev server on a free loopback port for the test's lifetime. dynamicConfig holds
// KEY=VALUE server settings, e.g. "limit.historyCount.suggestContinueAsNew=40" to make Temporal suggest
// continue-as-new after a few events instead of thousands.
func MustStart(tb testing.TB, dynamicConfig ...string) *testsuite.DevServer {
	tb.Helper()
	var extra []string
	for _, kv := range dynamicConfig {
		extra = append(extra, "--dynamic-config-value", kv)
	}
	srv, err := testsuite.StartDevServer(context.Background(), testsuite.DevServerOptions{
		ExistingPath:  CLIPath(tb),
		ClientOptions: &client.Options{HostPort: freeAddr(tb), Namespace: Namespace},
		LogLevel:      "error",
		ExtraArgs:     extra,
		SearchAttributes: temporal.NewSearchAttributes(
			temporal.NewSearchAttributeKeyKeyword("OrganizationId").ValueSet("")),
	})
	if err != nil {
		tb.Fatalf("temporaltest: start dev server: %v", err)
	}
	tb.Cleanup(func() { srv.Stop() })
	return srv
}

// freeAddr picks a free loopback port (bound to 127.0.0.1 only, never a public interface).
func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
