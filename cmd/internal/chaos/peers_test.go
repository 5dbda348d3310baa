package chaos_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// emailPeer stands in for Resend's API the way Resend behaves: the first request with an idempotency key
// delivers the message; a repeat of the key answers the same message id without delivering again. It can
// hold the first request whose key starts with a prefix until the caller goes away, which is where a test
// kills the worker.
type emailPeer struct {
	*httptest.Server
	holdPrefix string
	held       chan struct{}

	mu        sync.Mutex
	holding   bool
	keys      []string          // the idempotency key of every request, in arrival order
	delivered map[string]string // key → message id of its one delivery
}

func newEmailPeer(t *testing.T, holdPrefix string) *emailPeer {
	t.Helper()
	p := &emailPeer{holdPrefix: holdPrefix, held: make(chan struct{}), delivered: map[string]string{}}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

func (p *emailPeer) serve(w http.ResponseWriter, r *http.Request) {
	// Reading the whole body lets the server notice the client hanging up (r.Context is then canceled).
	io.Copy(io.Discard, r.Body)
	key := r.Header.Get("Idempotency-Key")
	p.mu.Lock()
	p.keys = append(p.keys, key)
	id, ok := p.delivered[key]
	if !ok {
		id = fmt.Sprintf("msg_%d", len(p.delivered)+1)
		p.delivered[key] = id
	}
	hold := p.holdPrefix != "" && !p.holding && strings.HasPrefix(key, p.holdPrefix)
	p.holding = p.holding || hold
	p.mu.Unlock()
	if hold {
		// Accepted and delivered, but the answer never reaches the worker: it dies waiting for it.
		close(p.held)
		select {
		case <-r.Context().Done():
			return
		case <-time.After(2 * time.Minute):
		}
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"id":%q}`, id)
}

// waitHeld waits until the request to hold has arrived.
func (p *emailPeer) waitHeld(t *testing.T) {
	t.Helper()
	select {
	case <-p.held:
	case <-time.After(60 * time.Second):
		t.Fatal("the email provider never received the request to hold")
	}
}

// requests counts the requests that carried key.
func (p *emailPeer) requests(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, k := range p.keys {
		if k == key {
			n++
		}
	}
	return n
}

// deliveredKeys lists the delivered keys that start with prefix.
func (p *emailPeer) deliveredKeys(prefix string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for k := range p.delivered {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out
}

// messageID is the id the peer answered for key.
func (p *emailPeer) messageID(key string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.delivered[key]
}

// stripePeer is stripe-mock behind a recording proxy that can hold the first subscription cancel until the
// caller goes away.
type stripePeer struct {
	URL  string
	held chan struct{}

	mu       sync.Mutex
	holding  bool
	requests []string // "METHOD path idempotency-key"
}

// startStripePeer runs the pinned stripe-mock (STRIPE_MOCK, else .bin/stripe-mock) behind the proxy.
func startStripePeer(t *testing.T) *stripePeer {
	t.Helper()
	bin := os.Getenv("STRIPE_MOCK")
	if bin == "" {
		bin = filepath.Join("..", "..", "..", ".bin", "stripe-mock")
	}
	addr, httpsAddr := freeAddr(t), freeAddr(t)
	cmd := exec.Command(bin, "-http-addr", addr, "-https-addr", httpsAddr)
	must(t, cmd.Start(), "start stripe-mock %s", bin)
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	eventually(t, 20*time.Second, "stripe-mock listening", func() bool {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	target, _ := url.Parse("http://" + addr)
	proxy := httputil.NewSingleHostReverseProxy(target)
	p := &stripePeer{held: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.requests = append(p.requests, r.Method+" "+r.URL.Path+" "+r.Header.Get("Idempotency-Key"))
		hold := !p.holding && r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/v1/subscriptions/")
		p.holding = p.holding || hold
		p.mu.Unlock()
		if hold {
			// Stripe has the request; the worker dies before it hears back.
			close(p.held)
			<-r.Context().Done()
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// seen returns the requests the proxy received.
func (p *stripePeer) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}
