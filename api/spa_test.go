package api_test

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store/storetest"
)

// TestCompression runs the whole server: SPA files go out as their precompressed copies by Accept-Encoding,
// API JSON is gzipped above the threshold.
func TestCompression(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	// The copies' bytes are markers: the server must pick a file, not compress or decode anything itself.
	spa := fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html><title>ClientFlow</title>")},
		"index.html.br":      {Data: []byte("index-br")},
		"index.html.gz":      {Data: []byte("index-gz")},
		"assets/app-1.js":    {Data: []byte("console.log(1)")},
		"assets/app-1.js.br": {Data: []byte("app-br")},
		"assets/app-1.js.gz": {Data: []byte("app-gz")},
		"assets/style.css":   {Data: []byte("body{}")},
		"favicon.svg":        {Data: []byte("<svg/>")},
		"sw.js":              {Data: []byte("self.addEventListener('push', () => {})")},
		"sw.js.br":           {Data: []byte("sw-br")},
	}
	srv := MustStart(t, db, func(d *api.Deps) { d.SPA = spa })
	b := srv.NewBrowser(t)

	t.Run("spa_files_are_sent_precompressed", func(t *testing.T) {
		for _, tc := range []struct {
			name, path, accept, wantEncoding, wantBody, wantType, wantCache string
		}{
			{"brotli_preferred", "/assets/app-1.js", "gzip, deflate, br, zstd", "br", "app-br", "text/javascript; charset=utf-8", "immutable"},
			{"gzip_when_no_brotli", "/assets/app-1.js", "gzip", "gzip", "app-gz", "text/javascript; charset=utf-8", "immutable"},
			{"brotli_refused_with_q0", "/assets/app-1.js", "br;q=0, gzip;q=0.5", "gzip", "app-gz", "text/javascript; charset=utf-8", "immutable"},
			{"everything_refused", "/assets/app-1.js", "br;q=0, gzip;q=0", "", "console.log(1)", "text/javascript; charset=utf-8", "immutable"},
			{"star_accepts_brotli", "/assets/app-1.js", "*", "br", "app-br", "text/javascript; charset=utf-8", "immutable"},
			{"star_q0_but_gzip_named", "/assets/app-1.js", "gzip, *;q=0", "gzip", "app-gz", "text/javascript; charset=utf-8", "immutable"},
			{"identity", "/assets/app-1.js", "identity", "", "console.log(1)", "text/javascript; charset=utf-8", "immutable"},
			{"no_copy_sends_the_file", "/assets/style.css", "br, gzip", "", "body{}", "text/css; charset=utf-8", "immutable"},
			{"client_route_gets_index_brotli", "/orgs/123/clients", "br", "br", "index-br", "text/html; charset=utf-8", "no-cache"},
			{"client_route_gets_index_gzip", "/orgs/123/clients", "gzip", "gzip", "index-gz", "text/html; charset=utf-8", "no-cache"},
			{"index_itself", "/index.html", "br", "br", "index-br", "text/html; charset=utf-8", ""},
			{"service_worker_is_revalidated", "/sw.js", "br", "br", "sw-br", "text/javascript; charset=utf-8", "no-cache"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := b.Do(http.MethodGet, tc.path, nil, header{"Accept-Encoding", tc.accept})
				MustStatus(t, res, http.StatusOK)
				assert.Equal(t, tc.wantEncoding, res.Header.Get("Content-Encoding"))
				assert.Equal(t, tc.wantBody, string(res.Body))
				assert.Equal(t, tc.wantType, res.Header.Get("Content-Type"), "the original file's type, not .br's")
				assert.Contains(t, res.Header.Values("Vary"), "Accept-Encoding")
				if tc.wantCache == "" {
					assert.Empty(t, res.Header.Get("Cache-Control"))
				} else {
					assert.Contains(t, res.Header.Get("Cache-Control"), tc.wantCache)
				}
			})
		}
		head := b.Do(http.MethodHead, "/assets/app-1.js", nil, header{"Accept-Encoding", "br"})
		MustStatus(t, head, http.StatusOK)
		assert.Equal(t, "br", head.Header.Get("Content-Encoding"))
		assert.Empty(t, head.Body)
	})

	t.Run("api_json_is_gzipped_above_the_threshold", func(t *testing.T) {
		// The OpenAPI document is the largest JSON answer that needs no sign-in.
		plain := b.Do(http.MethodGet, "/api/v1/openapi.json", nil, header{"Accept-Encoding", "identity"})
		MustStatus(t, plain, http.StatusOK)
		require.Greater(t, len(plain.Body), 100_000)
		assert.Empty(t, plain.Header.Get("Content-Encoding"))

		gz := b.Do(http.MethodGet, "/api/v1/openapi.json", nil, header{"Accept-Encoding", "gzip, deflate, br"})
		MustStatus(t, gz, http.StatusOK)
		require.Equal(t, "gzip", gz.Header.Get("Content-Encoding"))
		assert.Contains(t, gz.Header.Values("Vary"), "Accept-Encoding")
		zr, err := gzip.NewReader(strings.NewReader(string(gz.Body)))
		require.NoError(t, err)
		decoded, err := io.ReadAll(zr)
		require.NoError(t, err)
		assert.Equal(t, plain.Body, decoded)
		assert.Less(t, len(gz.Body), len(plain.Body)/5)
		assert.True(t, json.Valid(decoded))

		small := b.Do(http.MethodGet, "/healthz", nil, header{"Accept-Encoding", "gzip"})
		MustStatus(t, small, http.StatusOK)
		assert.Empty(t, small.Header.Get("Content-Encoding"))
		problem := b.Do(http.MethodGet, "/api/v1/nope", nil, header{"Accept-Encoding", "gzip"})
		MustProblem(t, problem, http.StatusNotFound, "not_found")
		assert.Empty(t, problem.Header.Get("Content-Encoding"), "a small answer is not worth gzipping")
		assert.Contains(t, problem.Header.Values("Vary"), "Accept-Encoding")
	})

	t.Run("a_large_json_list_is_gzipped_a_small_one_not", func(t *testing.T) {
		owner := srv.MustSignUp(t, "Compression Owner")
		org := owner.MustCreateOrg("Compression Agency")
		list := "/api/v1/orgs/" + org.ID + "/clients"
		owner.MustCreateClient(org.ID, map[string]any{"name": "Client 0"})
		small := owner.Do(http.MethodGet, list, nil, header{"Accept-Encoding", "gzip"})
		MustStatus(t, small, http.StatusOK)
		require.Less(t, len(small.Body), 1024)
		assert.Empty(t, small.Header.Get("Content-Encoding"), "one client is under the threshold")

		for i := 1; i < 20; i++ {
			owner.MustCreateClient(org.ID, map[string]any{"name": fmt.Sprintf("Client %d", i)})
		}
		plain := owner.Do(http.MethodGet, list, nil, header{"Accept-Encoding", "identity"})
		MustStatus(t, plain, http.StatusOK)
		require.Greater(t, len(plain.Body), 1024)
		large := owner.Do(http.MethodGet, list, nil, header{"Accept-Encoding", "gzip"})
		MustStatus(t, large, http.StatusOK)
		require.Equal(t, "gzip", large.Header.Get("Content-Encoding"))
		zr, err := gzip.NewReader(strings.NewReader(string(large.Body)))
		require.NoError(t, err)
		decoded, err := io.ReadAll(zr)
		require.NoError(t, err)
		assert.Equal(t, plain.Body, decoded)
	})
}
