package email_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// recorded is one request a peer received.
type recorded struct {
	Method string
	Path   string
	Header http.Header
	Body   map[string]any
}

// peer stands in for a provider's API: it records requests and answers with a canned response.
type peer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recorded
}

// newPeer answers every request with status, contentType and body.
func newPeer(t *testing.T, status int, contentType, body string) *peer {
	t.Helper()
	p := &peer{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var decoded map[string]any
		_ = json.Unmarshal(raw, &decoded)
		p.mu.Lock()
		p.requests = append(p.requests, recorded{r.Method, r.URL.Path, r.Header.Clone(), decoded})
		p.mu.Unlock()
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(p.Close)
	return p
}

// only returns the single request the peer received, failing otherwise.
func (p *peer) only(t *testing.T) recorded {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	require.Len(t, p.requests, 1, "requests to the provider")
	return p.requests[0]
}

// statusCases lists provider answers and whether retrying could change them.
var statusCases = []struct {
	status    int
	permanent bool
}{
	{http.StatusBadRequest, true},
	{http.StatusUnauthorized, true},
	{http.StatusForbidden, true},
	{http.StatusRequestTimeout, false},
	{http.StatusUnprocessableEntity, true},
	{http.StatusTooManyRequests, false},
	{http.StatusInternalServerError, false},
	{http.StatusServiceUnavailable, false},
}
