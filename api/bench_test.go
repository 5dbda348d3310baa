package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/store/ratelimit"
	"github.com/clientflow/clientflow/store/storetest"
)

// BenchmarkListClients measures the server side of GET /clients?limit=50 (auth, tenant transaction, JSON)
// without the network, so a CPU profile of it shows where a request's time goes.
func BenchmarkListClients(b *testing.B) {
	db := storetest.MustOpen(b)
	h := api.New(api.Deps{
		Config:    config.Config{Env: config.EnvTest, AppURL: "http://bench.test", SessionSecret: "s", RateLimitAPI: 1 << 30, RateLimitSession: 1 << 30, RateLimitAuth: 1 << 30},
		DB:        db.App,
		Limiter:   ratelimit.NewMemory(),
		Workflows: &recordingWorkflows{},
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	}).Handler()
	do := func(method, path, cookie, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := do("POST", "/api/v1/auth/sign-up", "", `{"name":"Bench","email":"bench@example.com","password":"password123"}`)
	cookie := strings.Split(rec.Header().Get("Set-Cookie"), ";")[0]
	rec = do("POST", "/api/v1/orgs", cookie, `{"name":"Bench"}`)
	orgID := strings.Split(strings.Split(rec.Body.String(), `"id":"`)[1], `"`)[0]
	for i := 0; i < 200; i++ {
		if r := do("POST", "/api/v1/orgs/"+orgID+"/clients", cookie, fmt.Sprintf(`{"name":"Client %d","company":"Globex","email":"c%d@globex.example"}`, i, i)); r.Code != http.StatusCreated {
			b.Fatal(r.Code, r.Body.String())
		}
	}
	path := "/api/v1/orgs/" + orgID + "/clients?limit=50"
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if r := do("GET", path, cookie, ""); r.Code != http.StatusOK {
				b.Fatal(r.Code, r.Body.String())
			}
		}
	})
}
