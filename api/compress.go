package api

import (
	"mime"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// compressMinSize is the smallest API answer worth gzipping: below about 1 KiB the gzip header and the
// CPU cost outweigh the bytes saved (an ID or a problem document), while a list or a board shrinks 5-10×.
const compressMinSize = 1024

// compressAPI gzips the JSON answers of /api/ for clients that accept gzip (gzhttp: it buffers up to
// compressMinSize before deciding, adds Vary: Accept-Encoding, leaves HEAD, bodiless answers and answers
// that already carry a Content-Encoding alone). The SPA's files are not touched: they are sent
// precompressed (serveSPA). Event streams are never compressed: a gzip writer holds events back until its
// buffer fills, and gzhttp's buffering would hold the stream's headers until the first event, so a request
// that asks for text/event-stream skips the wrapper altogether and a response typed so is refused by the
// content filter.
func compressAPI(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(compressMinSize),
		// gzip only: every client accepts it, and zstd would be a second coding to support for a few percent.
		gzhttp.EnableZstd(false),
		gzhttp.ContentTypeFilter(isJSONType),
	)
	if err != nil {
		// The options are constants: an error is a programming mistake caught by any test.
		panic(err)
	}
	compressed := wrap(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			next.ServeHTTP(w, r)
			return
		}
		compressed.ServeHTTP(w, r)
	})
}

// isJSONType reports whether a Content-Type is JSON (application/json, problem+json and other +json
// types): what is gzipped and tagged. Never an event stream.
func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt == "text/event-stream" {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}
