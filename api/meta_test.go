package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store/storetest"
)

func TestMeta(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("healthz_is_200", func(t *testing.T) {
		t.Parallel()
		res := MustStart(t, db).NewBrowser(t).Do(http.MethodGet, "/healthz", nil)
		MustStatus(t, res, http.StatusOK)
	})

	t.Run("readyz_is_200_when_postgres_answers", func(t *testing.T) {
		t.Parallel()
		res := MustStart(t, db).NewBrowser(t).Do(http.MethodGet, "/readyz", nil)

		MustStatus(t, res, http.StatusOK)
		var body map[string]string
		res.MustJSON(t, &body)
		assert.Equal(t, map[string]string{"postgres": "ok"}, body)
	})

	t.Run("readyz_is_503_naming_the_failing_dependency", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db,
			withReady("redis", func(context.Context) error { return errors.New("dial tcp: connection refused") }),
			withReady("temporal", func(context.Context) error { return nil }))

		res := srv.NewBrowser(t).Do(http.MethodGet, "/readyz", nil)

		MustStatus(t, res, http.StatusServiceUnavailable)
		var body map[string]string
		res.MustJSON(t, &body)
		assert.Equal(t, map[string]string{
			"postgres": "ok", "temporal": "ok", "redis": "dial tcp: connection refused",
		}, body)
	})

	t.Run("metrics_expose_the_request_duration_histogram", func(t *testing.T) {
		t.Parallel()
		b := MustStart(t, db).NewBrowser(t)
		MustStatus(t, b.Do(http.MethodGet, "/healthz", nil), http.StatusOK)

		res := b.Do(http.MethodGet, "/metrics", nil)

		MustStatus(t, res, http.StatusOK)
		assert.Contains(t, string(res.Body), "# TYPE clientflow_http_request_duration_seconds histogram")
		assert.Contains(t, string(res.Body),
			`clientflow_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1`)
	})

	t.Run("openapi_json_is_served_as_openapi_3_1_and_matches_the_generated_document", func(t *testing.T) {
		t.Parallel()
		res := MustStart(t, db).NewBrowser(t).Do(http.MethodGet, "/api/v1/openapi.json", nil)

		MustStatus(t, res, http.StatusOK)
		var served map[string]any
		res.MustJSON(t, &served)
		version, _ := served["openapi"].(string)
		assert.True(t, strings.HasPrefix(version, "3.1"), "openapi %q", version)
		assert.Contains(t, served["paths"], "/api/v1/orgs/{org_id}/clients/{client_id}")
		doc, err := api.OpenAPIDocument()
		require.NoError(t, err)
		var generated map[string]any
		require.NoError(t, json.Unmarshal(doc, &generated))
		assert.Equal(t, generated, served, "the served document is the one `make openapi` writes")
	})

	t.Run("unknown_api_routes_are_404_problems", func(t *testing.T) {
		t.Parallel()
		b := MustStart(t, db).NewBrowser(t)
		for _, tc := range []struct{ method, path string }{
			{http.MethodGet, "/api/v1/nope"},
			{http.MethodPost, "/api/v1/nope"},
			{http.MethodPut, "/api/v1/me"},
			{http.MethodGet, "/api/v2/me"},
		} {
			t.Run(tc.method+tc.path, func(t *testing.T) {
				MustProblem(t, b.Do(tc.method, tc.path, nil), http.StatusNotFound, "not_found")
			})
		}
	})

	t.Run("request_id_is_echoed_when_sane_and_generated_otherwise", func(t *testing.T) {
		t.Parallel()
		b := MustStart(t, db).NewBrowser(t)
		generated := regexp.MustCompile(`^[0-9a-f]{24}$`)
		for _, tc := range []struct {
			name, sent string
			echoed     bool
		}{
			{"sane_id_is_echoed", "req_2026-11-27.abc123", true},
			{"no_id_gets_one", "", false},
			{"too_short_is_replaced", "abc", false},
			{"too_long_is_replaced", strings.Repeat("a", 65), false},
			{"header_injection_is_replaced", "abcdefgh<script>", false},
			{"spaces_are_replaced", "abcd efgh ijkl", false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := b.Do(http.MethodGet, "/api/v1/nope", nil, header{"X-Request-Id", tc.sent})

				got := res.Header.Get("X-Request-Id")
				if tc.echoed {
					assert.Equal(t, tc.sent, got)
				} else {
					assert.Regexp(t, generated, got)
				}
				p := MustProblem(t, res, http.StatusNotFound, "not_found")
				assert.Equal(t, got, p.Instance, "a problem names the request it answers")
			})
		}
		first := b.Do(http.MethodGet, "/healthz", nil).Header.Get("X-Request-Id")
		second := b.Do(http.MethodGet, "/healthz", nil).Header.Get("X-Request-Id")
		assert.NotEqual(t, first, second, "every request gets its own ID")
	})

	t.Run("spa_serves_files_and_index_html_for_client_routes", func(t *testing.T) {
		t.Parallel()
		spa := fstest.MapFS{
			"index.html":       {Data: []byte("<!doctype html><title>ClientFlow</title>")},
			"assets/app-1.js":  {Data: []byte("console.log(1)")},
			"favicon.svg":      {Data: []byte("<svg/>")},
			"assets/style.css": {Data: []byte("body{}")},
		}
		b := MustStart(t, db, func(d *api.Deps) { d.SPA = spa }).NewBrowser(t)

		index := b.Do(http.MethodGet, "/orgs/123/clients", nil)
		MustStatus(t, index, http.StatusOK)
		assert.Equal(t, "<!doctype html><title>ClientFlow</title>", string(index.Body))
		asset := b.Do(http.MethodGet, "/assets/app-1.js", nil)
		MustStatus(t, asset, http.StatusOK)
		assert.Equal(t, "console.log(1)", string(asset.Body))
		assert.Contains(t, asset.Header.Get("Cache-Control"), "immutable")
		MustProblem(t, b.Do(http.MethodGet, "/assets/app-0.js", nil), http.StatusNotFound, "not_found")
		MustProblem(t, b.Do(http.MethodGet, "/api/v1/clients", nil), http.StatusNotFound, "not_found")
	})
}
