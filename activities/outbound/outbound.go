// Package outbound is the one HTTP client the worker uses to reach addresses chosen by users: webhook
// endpoints and browser push services. Its guard sits in the dialer, on the address actually connected to
// after DNS resolution, so a host name that resolves (or re-resolves, DNS rebinding) to a private address
// is refused just like an IP literal; a URL check before the request could not see that.
package outbound

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/clientflow/clientflow/domain"
)

// Limits of one outbound request.
const (
	// Timeout bounds a whole request: connecting, sending, and reading the answer's head and body.
	Timeout = 10 * time.Second
	// MaxBody is how much of an answer is read: enough for any error message, never a receiver's whole page.
	MaxBody = 64 << 10
)

// AddressError is the refusal of a connection to an address domain.WebhookAddressAllowed forbids.
type AddressError struct{ Addr string }

func (e *AddressError) Error() string {
	return "outbound: refusing to connect to non-public address " + e.Addr
}

// Refused reports whether err (from a request through a Client) is the guard refusing the address.
func Refused(err error) bool {
	var ae *AddressError
	return errors.As(err, &ae)
}

// Options tunes a client.
type Options struct {
	// AllowLoopback admits 127.0.0.0/8 and ::1 (WEBHOOK_ALLOW_LOOPBACK: local development and tests only).
	AllowLoopback bool
	// Timeout replaces the default 10 s when set.
	Timeout time.Duration
	// Resolver resolves host names; nil means the system's. Tests pass one that answers what they need.
	Resolver *net.Resolver
}

// Transport dials allowed addresses only and never uses a proxy (a proxy would connect on our behalf to an
// address the dialer never sees). Every address the dialer tries (each of a name's A and AAAA answers)
// passes the check in Control, which runs after resolution and before connect(2).
func Transport(o Options) *http.Transport {
	dialer := &net.Dialer{Timeout: Timeout, Resolver: o.Resolver,
		Control: func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			addr, err := netip.ParseAddr(host)
			if err != nil || !domain.WebhookAddressAllowed(addr, o.AllowLoopback) {
				return &AddressError{Addr: host}
			}
			return nil
		}}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = dialer.DialContext
	t.DialTLSContext = nil
	t.MaxIdleConnsPerHost = 4
	t.ResponseHeaderTimeout = Timeout
	return t
}

// NewClient returns a client over Transport that does not follow redirects (the answer to the request is
// the 3xx itself: following it would let a receiver point us at an address of its choosing, and a
// delivery's body was signed for its endpoint only) and gives up after the timeout.
func NewClient(o Options) *http.Client {
	timeout := o.Timeout
	if timeout == 0 {
		timeout = Timeout
	}
	return &http.Client{Transport: Transport(o), Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// ReadBody reads at most MaxBody bytes of resp's body and closes it. A body cut short by the limit is no
// error; a body the receiver stopped sending (the timeout) returns what arrived with the error.
func ReadBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	if err != nil {
		return b, fmt.Errorf("outbound: reading the answer: %w", err)
	}
	return b, nil
}
