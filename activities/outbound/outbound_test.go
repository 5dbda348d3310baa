package outbound_test

import (
	"context"
	"encoding/binary"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientflow/clientflow/activities/outbound"
)

// countingListener is an HTTP server's listener on 127.0.0.1 that counts the connections it accepted, so a
// test can prove that a refused request never reached it (not merely that the client reported an error).
type countingListener struct {
	net.Listener
	accepted atomic.Int32
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepted.Add(1)
	}
	return c, err
}

func mustListen(t *testing.T) *countingListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &countingListener{Listener: ln}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }),
		ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l
}

func (l *countingListener) port() string {
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

func get(t *testing.T, c *http.Client, url string) (*http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err == nil {
		_, _ = outbound.ReadBody(resp)
	}
	return resp, err
}

// Every address a webhook must not reach is refused by the dialer, after resolution and before connect: IP
// literals of every private, loopback, link-local, metadata, shared, unspecified and multicast range, an
// IPv4-mapped IPv6 loopback, and a host name that resolves to loopback. The loopback listener the local ones
// point at never sees a connection.
func TestClientRefusesNonPublicAddresses(t *testing.T) {
	ln := mustListen(t)
	c := outbound.NewClient(outbound.Options{})
	p := ln.port()
	for _, url := range []string{
		"http://127.0.0.1:" + p + "/",
		"http://127.1.2.3:" + p + "/",
		"http://localhost:" + p + "/",
		"http://0.0.0.0:" + p + "/",
		"http://[::ffff:127.0.0.1]:" + p + "/",
		"http://[::1]:" + p + "/",
		"http://10.0.0.1/",
		"http://10.255.255.254/",
		"http://172.16.0.1/",
		"http://172.31.255.254/",
		"http://192.168.1.1/",
		"http://169.254.169.254/latest/meta-data/",
		"http://100.64.0.1/",
		"http://100.127.255.254/",
		"http://[fd00:ec2::254]/",
		"http://[fc00::1]/",
		"http://[fe80::1]/",
		"http://224.0.0.1/",
		"http://239.255.255.250/",
		"http://[ff02::1]/",
		"http://[::]:" + p + "/",
		"https://127.0.0.1:" + p + "/",
	} {
		t.Run(url, func(t *testing.T) {
			resp, err := get(t, c, url)
			if err == nil {
				t.Fatalf("request reached %s (HTTP %d)", url, resp.StatusCode)
			}
			if !outbound.Refused(err) {
				t.Fatalf("refused for the wrong reason: %v", err)
			}
		})
	}
	if n := ln.accepted.Load(); n != 0 {
		t.Fatalf("the loopback listener accepted %d connections", n)
	}
	// The listener does count: with loopback allowed (local development) the same request reaches it.
	resp, err := get(t, outbound.NewClient(outbound.Options{AllowLoopback: true}), "http://127.0.0.1:"+p+"/")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("allowed loopback request: %v", err)
	}
	if n := ln.accepted.Load(); n != 1 {
		t.Fatalf("accepted %d connections, want 1", n)
	}
}

// A host name is judged by what it resolves to at dial time, not by its spelling: a name whose DNS answer
// is a loopback address (DNS rebinding: the name looked public when the endpoint was saved) is refused like
// the literal, and so is localhost.
func TestClientChecksTheResolvedAddress(t *testing.T) {
	ln := mustListen(t)
	dns := mustDNS(t, net.IPv4(127, 0, 0, 1))
	resolver := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", dns)
	}}
	addrs, err := resolver.LookupHost(context.Background(), "hooks.rebind.example")
	if err != nil || len(addrs) != 1 || addrs[0] != "127.0.0.1" {
		t.Fatalf("the test resolver answered %v (%v)", addrs, err)
	}
	c := outbound.NewClient(outbound.Options{Resolver: resolver})
	for _, url := range []string{"http://hooks.rebind.example:" + ln.port() + "/", "http://localhost:" + ln.port() + "/"} {
		if _, err := get(t, c, url); !outbound.Refused(err) {
			t.Fatalf("%s: %v, want refused", url, err)
		}
	}
	if n := ln.accepted.Load(); n != 0 {
		t.Fatalf("the loopback listener accepted %d connections", n)
	}
	// The same name reaches the listener where loopback is allowed: the refusal was the guard's.
	allowed := outbound.NewClient(outbound.Options{Resolver: resolver, AllowLoopback: true})
	if resp, err := get(t, allowed, "http://hooks.rebind.example:"+ln.port()+"/"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("allowed: %v", err)
	}
}

// mustDNS runs a UDP DNS server on 127.0.0.1 that answers every A question with ip and every other question
// with no answer, and returns its address.
func mustDNS(t *testing.T, ip net.IP) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			q := buf[:n]
			if len(q) < 12 {
				continue
			}
			end := 12 // the question: labels up to the root, then type and class
			for end < len(q) && q[end] != 0 {
				end += int(q[end]) + 1
			}
			end += 5
			if end > len(q) {
				continue
			}
			qtype := binary.BigEndian.Uint16(q[end-4:])
			resp := append([]byte{q[0], q[1], 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0}, q[12:end]...)
			if qtype == 1 {
				resp[7] = 1
				resp = append(resp, 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4)
				resp = append(resp, ip.To4()...)
			}
			_, _ = pc.WriteTo(resp, from)
		}
	}()
	return pc.LocalAddr().String()
}

// A redirect is answered, not followed: a receiver on an allowed address cannot send the request on to a
// private one (nor to a loopback listener, even where loopback is allowed).
func TestClientDoesNotFollowRedirects(t *testing.T) {
	ln := mustListen(t)
	for _, target := range []string{"http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:" + ln.port() + "/"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target, http.StatusTemporaryRedirect)
		}))
		resp, err := get(t, outbound.NewClient(outbound.Options{AllowLoopback: true}), srv.URL)
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != target {
			t.Fatalf("redirect to %s: got HTTP %d, want the 307 itself", target, resp.StatusCode)
		}
	}
	if n := ln.accepted.Load(); n != 0 {
		t.Fatalf("the redirect target accepted %d connections", n)
	}
}

// The client ignores proxy settings: a proxy would connect on our behalf to an address the dialer never checks.
func TestClientUsesNoProxy(t *testing.T) {
	ln := mustListen(t)
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:"+ln.port())
	t.Setenv("http_proxy", "http://127.0.0.1:"+ln.port())
	_, err := get(t, outbound.NewClient(outbound.Options{}), "http://10.0.0.1/")
	if !outbound.Refused(err) {
		t.Fatalf("got %v, want the 10/8 address refused", err)
	}
	if n := ln.accepted.Load(); n != 0 {
		t.Fatalf("the proxy accepted %d connections", n)
	}
}

// An answer is read up to 64 KiB and no further.
func TestReadBodyIsBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(make([]byte, 1<<20))
	}))
	defer srv.Close()
	resp, err := outbound.NewClient(outbound.Options{AllowLoopback: true}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, err := outbound.ReadBody(resp)
	if err != nil || len(b) != outbound.MaxBody {
		t.Fatalf("read %d bytes (%v), want %d", len(b), err, outbound.MaxBody)
	}
}
