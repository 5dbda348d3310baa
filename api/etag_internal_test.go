package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestETagAPI serves handlers through compressAPI(etagAPI(...)) as the server does: a 200 JSON GET is
// tagged and revalidates to a bodiless 304, gzipped or not; a changed body gets a new tag; errors, other
// methods, files and event streams are passed through untagged.
func TestETagAPI(t *testing.T) {
	t.Parallel()
	board := `{"columns":["` + strings.Repeat("a card ", 300) + `"]}`
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/board", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, board)
	})
	mux.HandleFunc("/api/v1/missing", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"status":404}`)
	})
	mux.HandleFunc("/api/v1/file", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		_, _ = io.WriteString(w, "a,b\n")
	})
	mux.HandleFunc("/api/v1/stream", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"first":true}`)
		w.(http.Flusher).Flush()
		_, _ = io.WriteString(w, `{"second":true}`)
	})
	srv := httptest.NewServer(compressAPI(etagAPI(mux)))
	t.Cleanup(srv.Close)
	get := func(method, path, encoding, ifNoneMatch string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, nil)
		require.NoError(t, err)
		req.Header["Accept-Encoding"] = []string{encoding}
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res, string(body)
	}

	res, body := get(http.MethodGet, "/api/v1/board", "", "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	tag := res.Header.Get("ETag")
	assert.Regexp(t, `^W/"[0-9a-z]+"$`, tag)
	assert.Equal(t, "private, no-cache", res.Header.Get("Cache-Control"))
	assert.Equal(t, board, body)

	for _, encoding := range []string{"", "gzip"} {
		res, body = get(http.MethodGet, "/api/v1/board", encoding, `"other", `+tag)
		assert.Equal(t, http.StatusNotModified, res.StatusCode, "revalidated with encoding %q", encoding)
		assert.Empty(t, body)
		assert.Equal(t, tag, res.Header.Get("ETag"))
		assert.Empty(t, res.Header.Get("Content-Encoding"))
	}
	res, _ = get(http.MethodGet, "/api/v1/board", "gzip", "")
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	assert.Equal(t, tag, res.Header.Get("ETag"), "the same weak tag, gzipped or not")

	board = `{"columns":["moved"]}`
	res, body = get(http.MethodGet, "/api/v1/board", "", tag)
	assert.Equal(t, http.StatusOK, res.StatusCode, "a changed board is sent again")
	assert.Equal(t, board, body)
	assert.NotEqual(t, tag, res.Header.Get("ETag"))

	for _, tc := range []struct{ name, method, path string }{
		{"an error", http.MethodGet, "/api/v1/missing"},
		{"a file", http.MethodGet, "/api/v1/file"},
		{"a flushed stream", http.MethodGet, "/api/v1/stream"},
		{"a HEAD", http.MethodHead, "/api/v1/board"},
	} {
		res, _ := get(tc.method, tc.path, "", "*")
		assert.Empty(t, res.Header.Get("ETag"), tc.name)
		assert.NotEqual(t, http.StatusNotModified, res.StatusCode, tc.name)
	}
	_, body = get(http.MethodGet, "/api/v1/stream", "", "")
	assert.Equal(t, `{"first":true}{"second":true}`, body, "what was held before the flush is sent first")
}
