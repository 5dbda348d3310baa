package api

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompressAPI serves handlers of each kind through compressAPI over real HTTP: JSON above the threshold is
// gzipped, anything small, event-streamed, already encoded, bodiless or HEAD goes out as written.
func TestCompressAPI(t *testing.T) {
	t.Parallel()
	big := `{"items":["` + strings.Repeat("a task title ", 200) + `"]}`
	mux := http.NewServeMux()
	serve := func(pattern, ctype, body string, status int, extra ...string) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			for i := 0; i+1 < len(extra); i += 2 {
				w.Header().Set(extra[i], extra[i+1])
			}
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
	}
	serve("/api/v1/big", "application/json", big, http.StatusOK)
	serve("/api/v1/small", "application/json", `{"id":"x"}`, http.StatusOK)
	serve("/api/v1/problem", "application/problem+json", `{"detail":"`+strings.Repeat("x", 2000)+`"}`, http.StatusBadRequest)
	serve("/api/v1/events", "text/event-stream", strings.Repeat("data: {}\n\n", 300), http.StatusOK)
	serve("/api/v1/encoded", "application/json", big, http.StatusOK, "Content-Encoding", "br")
	serve("/api/v1/none", "application/json", "", http.StatusNoContent)
	serve("/big.json", "application/json", big, http.StatusOK)
	srv := httptest.NewServer(compressAPI(mux))
	t.Cleanup(srv.Close)

	for _, tc := range []struct {
		name, method, path, accept, wantEncoding string
	}{
		{"large_json_is_gzipped", http.MethodGet, "/api/v1/big", "gzip, br", "gzip"},
		{"large_problem_is_gzipped", http.MethodGet, "/api/v1/problem", "gzip", "gzip"},
		{"small_json_is_not", http.MethodGet, "/api/v1/small", "gzip", ""},
		{"gzip_refused_with_q0", http.MethodGet, "/api/v1/big", "gzip;q=0, br", ""},
		{"no_accept_encoding", http.MethodGet, "/api/v1/big", "", ""},
		{"event_stream_is_never_gzipped", http.MethodGet, "/api/v1/events", "gzip", ""},
		{"already_encoded_is_left_alone", http.MethodGet, "/api/v1/encoded", "gzip", "br"},
		{"no_content_is_left_alone", http.MethodGet, "/api/v1/none", "gzip", ""},
		{"head_is_left_alone", http.MethodHead, "/api/v1/big", "gzip", ""},
		{"spa_paths_are_not_wrapped", http.MethodGet, "/big.json", "gzip", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			require.NoError(t, err)
			// Set explicitly (even empty) so the client transport neither asks for gzip nor decodes it.
			req.Header["Accept-Encoding"] = []string{tc.accept}
			res, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer res.Body.Close()
			raw, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.wantEncoding, res.Header.Get("Content-Encoding"))
			if tc.path != "/big.json" {
				assert.Contains(t, res.Header.Values("Vary"), "Accept-Encoding")
			}
			if tc.wantEncoding != "gzip" {
				return
			}
			zr, err := gzip.NewReader(strings.NewReader(string(raw)))
			require.NoError(t, err)
			plain, err := io.ReadAll(zr)
			require.NoError(t, err)
			assert.Less(t, len(raw), len(plain)/4, "the body is really compressed")
			assert.True(t, strings.HasPrefix(string(plain), `{"`), "decodes to the JSON written")
		})
	}
}

// TestCompressAPIStreamsEvents checks that an event stream's headers reach the client as soon as the handler
// flushes them, before any event: the compressor's buffering must not hold a live stream back.
func TestCompressAPIStreamsEvents(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(compressAPI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-release
		_, _ = io.WriteString(w, "data: {}\n\n")
	})))
	t.Cleanup(srv.Close)
	defer close(release)

	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/events", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Accept-Encoding", "gzip")
	client := &http.Client{Timeout: 5 * time.Second}
	res, err := client.Do(req)
	require.NoError(t, err, "the headers arrive while the handler still waits")
	defer res.Body.Close()
	assert.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
	assert.Empty(t, res.Header.Get("Content-Encoding"))
}
