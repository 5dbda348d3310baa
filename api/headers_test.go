package api_test

import (
	"net/http"
	"testing"

	"github.com/clientflow/clientflow/store/storetest"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	srv := MustStart(t, storetest.MustOpen(t))
	b := srv.NewBrowser(t)
	for _, path := range []string{"/healthz", "/api/v1/config", "/", "/api/v1/nope"} {
		res := b.Do(http.MethodGet, path, nil)
		for name, want := range map[string]string{
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
			"Content-Security-Policy": "frame-ancestors 'none'",
		} {
			if got := res.Header.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
	}
}
