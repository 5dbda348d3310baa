package api_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// dbLink is a TCP link between the API's pool and Postgres that a test can break: refuse (the server is
// down) or stall (connections accepted, nothing ever answered, as with a hung server or a dropped route).
type dbLink struct {
	target string
	ln     net.Listener
	mu     sync.Mutex
	mode   string // "up", "refuse" or "stall"
	conns  []net.Conn
}

func newDBLink(t *testing.T, target string) *dbLink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	l := &dbLink{target: target, ln: ln, mode: "up"}
	t.Cleanup(func() { ln.Close(); l.set("refuse") })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go l.handle(c)
		}
	}()
	return l
}

func (l *dbLink) handle(c net.Conn) {
	l.mu.Lock()
	mode := l.mode
	l.conns = append(l.conns, c)
	l.mu.Unlock()
	switch mode {
	case "refuse":
		c.Close()
	case "stall": // held open, never answered, until the link changes mode
	default:
		s, err := net.Dial("tcp", l.target)
		if err != nil {
			c.Close()
			return
		}
		l.mu.Lock()
		l.conns = append(l.conns, s)
		l.mu.Unlock()
		go func() { io.Copy(s, c); s.Close() }()
		io.Copy(c, s)
		c.Close()
	}
}

// set switches the mode and drops every open connection, as a restart would.
func (l *dbLink) set(mode string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.mode = mode
	for _, c := range l.conns {
		c.Close()
	}
	l.conns = nil
}

func withRequestTimeout(d time.Duration) option {
	return func(deps *api.Deps) { deps.Config.RequestTimeout = d }
}

// TestPostgresUnavailable: while Postgres cannot be reached a request answers 503 "unavailable" with
// Retry-After, never 500; a database that accepts connections and never answers is cut off by the request
// deadline instead of hanging; when Postgres is back the same server answers again (the pool heals).
func TestPostgresUnavailable(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	dsn, err := url.Parse(db.URL)
	require.NoError(t, err)
	link := newDBLink(t, dsn.Host)
	dsn.Host = link.ln.Addr().String()
	app, err := store.Open(context.Background(), dsn.String(), store.Options{MaxConns: 4})
	require.NoError(t, err)
	t.Cleanup(func() { app.Close() })
	// The deadline leaves room for sign-up's password hash under -race on a loaded machine (500 ms did not).
	srv := MustStart(t, &storetest.DB{URL: dsn.String(), App: app, Owner: db.Owner}, withRequestTimeout(2*time.Second))
	b := srv.MustSignUp(t, "Ann")

	for _, mode := range []string{"refuse", "stall"} {
		t.Run(mode, func(t *testing.T) {
			link.set(mode)
			start := time.Now()
			res := b.Do(http.MethodGet, "/api/v1/me", nil)
			took := time.Since(start)
			MustProblem(t, res, http.StatusServiceUnavailable, "unavailable")
			require.Equal(t, "5", res.Header.Get("Retry-After"))
			require.Less(t, took, 5*time.Second, "the request deadline (2 s) bounds the wait")

			link.set("up")
			require.Eventually(t, func() bool {
				return b.Do(http.MethodGet, "/api/v1/me", nil).Status == http.StatusOK
			}, 10*time.Second, 50*time.Millisecond, "the server answers again once Postgres is back")
		})
	}
}
