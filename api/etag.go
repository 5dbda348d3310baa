package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
)

// etagAPI gives every successful JSON answer to a GET of /api/ a weak ETag (a hash of the body) and
// answers 304 Not Modified, without the body, when the request's If-None-Match names it. A browser
// revalidates what it has (Cache-Control: private, no-cache: always asked, never reused unasked, never
// kept by a shared cache), so polling an unchanged board or list moves a few hundred bytes instead of the
// whole payload, and the SPA's fetches need no change. The query still runs: the saving is the transfer
// and the client's parsing, not the database's work. The tag is weak because the same JSON is sent
// gzipped or not. Anything else (another method or status, a file, an event stream) passes untouched.
func etagAPI(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.URL.Path, "/api/") ||
			strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			next.ServeHTTP(w, r)
			return
		}
		ew := &etagWriter{ResponseWriter: w}
		next.ServeHTTP(ew, r)
		ew.finish(r)
	})
}

// etagWriter holds a 200 JSON body until the handler returns; any other answer is passed through as it
// is written (decided at WriteHeader, from the status and Content-Type).
type etagWriter struct {
	http.ResponseWriter
	status  int  // the status the handler wrote; 0 until then
	passing bool // the answer is not tagged: writes go straight through
	body    bytes.Buffer
}

func (w *etagWriter) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	if status != http.StatusOK || !isJSONType(w.Header().Get("Content-Type")) {
		w.passing = true
		w.ResponseWriter.WriteHeader(status)
	}
}

func (w *etagWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.passing {
		return w.ResponseWriter.Write(p)
	}
	return w.body.Write(p)
}

// Flush sends what is held: a handler that flushes is streaming, so the answer goes out untagged.
func (w *etagWriter) Flush() {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !w.passing {
		w.passing = true
		w.ResponseWriter.WriteHeader(w.status)
		_, _ = w.ResponseWriter.Write(w.body.Bytes())
		w.body.Reset()
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *etagWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish tags and sends a held body, or answers 304 when the client already has it.
func (w *etagWriter) finish(r *http.Request) {
	if w.passing || w.status == 0 {
		return
	}
	tag := `W/"` + strconv.FormatUint(xxhash.Sum64(w.body.Bytes()), 36) + `"`
	h := w.Header()
	h.Set("ETag", tag)
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "private, no-cache")
	}
	if etagMatches(r.Header.Get("If-None-Match"), tag) {
		h.Del("Content-Type")
		h.Del("Content-Length")
		w.ResponseWriter.WriteHeader(http.StatusNotModified)
		return
	}
	w.ResponseWriter.WriteHeader(http.StatusOK)
	_, _ = w.ResponseWriter.Write(w.body.Bytes())
}

// etagMatches is If-None-Match's weak comparison: any listed tag equal to tag once "W/" is set aside.
func etagMatches(header, tag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(tag, "W/")
	for candidate := range strings.SplitSeq(header, ",") {
		candidate = strings.TrimSpace(candidate)
		if candidate == "*" || strings.TrimPrefix(candidate, "W/") == want {
			return true
		}
	}
	return false
}
