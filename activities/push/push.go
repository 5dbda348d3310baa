// Package push sends Web Push messages: the payload encrypted for the browser (RFC 8291, aes128gcm) and the
// request signed for the push service with the server's VAPID key (RFC 8292), through webpush-go.
package push

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	webpush "github.com/SherClockHolmes/webpush-go"

	"github.com/clientflow/clientflow/activities/outbound"
	"github.com/clientflow/clientflow/domain"
)

// ErrGone means the push service no longer knows the subscription (404 or 410): the browser unsubscribed or
// the subscription expired, so it should be deleted and never tried again.
var ErrGone = errors.New("push: subscription is gone")

// ServiceError is any other refusal by the push service.
type ServiceError struct {
	StatusCode int
	// Body is the start of the service's answer, for the delivery's last error.
	Body string
}

func (e *ServiceError) Error() string {
	return fmt.Sprintf("push service answered %d: %s", e.StatusCode, e.Body)
}

// Temporary reports whether trying again later may succeed: the service is overloaded (429) or failing (5xx).
// Any other 4xx (a bad VAPID signature, a payload too large) will fail the same way every time.
func (e *ServiceError) Temporary() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// Temporary reports whether a Send that failed with err may succeed later: the service refused for now, or
// it could not be reached (a timeout, a refused connection). An unusable subscription or payload will not.
func Temporary(err error) bool {
	var se *ServiceError
	if errors.As(err, &se) {
		return se.Temporary()
	}
	var ue *url.Error
	return errors.As(err, &ue)
}

// Config holds the server's VAPID identity.
type Config struct {
	// PublicKey and PrivateKey are the VAPID pair, base64url: the uncompressed P-256 point (what browsers
	// get as applicationServerKey) and the 32-byte private scalar.
	PublicKey  string
	PrivateKey string
	// Subject is how the push service can reach the operator: a mailto: or https: URL.
	Subject string
	// Client sends the requests; nil means a client with the timeouts below. Tests pass one trusting their
	// TLS server.
	Client *http.Client
}

// Delivery settings. A notification older than a day is stale (the inbox has it anyway), so the push service
// may drop it after TTL. Normal urgency lets a phone on low battery wait instead of waking for it.
const (
	TTL         = 24 * 60 * 60
	sendTimeout = 15 * time.Second
)

// Sender sends push messages with one VAPID identity.
type Sender struct {
	cfg Config
}

// NewSender checks the VAPID pair (a malformed or mismatched pair would only show as 403s from every push
// service) and returns a Sender.
func NewSender(cfg Config) (*Sender, error) {
	cfg.PublicKey, cfg.PrivateKey = strings.TrimSpace(cfg.PublicKey), strings.TrimSpace(cfg.PrivateKey)
	if err := checkKeys(cfg.PublicKey, cfg.PrivateKey); err != nil {
		return nil, err
	}
	subject := strings.TrimSpace(cfg.Subject)
	if !strings.HasPrefix(subject, "mailto:") && !strings.HasPrefix(subject, "https://") {
		return nil, fmt.Errorf("push: VAPID_SUBJECT must be a mailto: or https:// URL, got %q", cfg.Subject)
	}
	// webpush-go adds "mailto:" to any subject that is not an https URL, so it gets the bare address.
	cfg.Subject = strings.TrimPrefix(subject, "mailto:")
	if cfg.Client == nil {
		cfg.Client = &http.Client{Transport: publicOnlyTransport()}
	}
	client := *cfg.Client
	if client.Timeout == 0 {
		client.Timeout = sendTimeout
	}
	// Only the subscription's endpoint is contacted: a redirect elsewhere is refused, not followed.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cfg.Client = &client
	return &Sender{cfg: cfg}, nil
}

// Send delivers payload to one subscription. topic, when not empty, lets the push service replace a still
// undelivered message with the same topic (at most 32 base64url characters), so a retried send does not
// queue a second copy. Errors: ErrGone, *ServiceError, or the transport's error.
func (s *Sender) Send(ctx context.Context, sub domain.PushSubscription, topic string, payload []byte) error {
	u, err := url.Parse(sub.Endpoint)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("push: endpoint %q is not an https URL", sub.Endpoint)
	}
	// webpush-go pads the message by appending to the slice it is given, which would write into the
	// caller's array (shared by concurrent sends) when it has spare capacity: it gets a copy with none.
	message := make([]byte, len(payload))
	copy(message, payload)
	resp, err := webpush.SendNotificationWithContext(ctx, message,
		&webpush.Subscription{Endpoint: sub.Endpoint, Keys: webpush.Keys{P256dh: sub.P256dh, Auth: sub.Auth}},
		&webpush.Options{HTTPClient: s.cfg.Client, Subscriber: s.cfg.Subject, Topic: topic, TTL: TTL,
			Urgency: webpush.UrgencyNormal, VAPIDPublicKey: s.cfg.PublicKey, VAPIDPrivateKey: s.cfg.PrivateKey})
	if err != nil {
		return fmt.Errorf("push: send: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return ErrGone
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return &ServiceError{StatusCode: resp.StatusCode, Body: strings.TrimSpace(string(body))}
	}
	return nil
}

// checkKeys verifies that the private key derives the public one.
func checkKeys(public, private string) error {
	pub, err := decodeKey(public)
	if err != nil {
		return fmt.Errorf("push: VAPID_PUBLIC_KEY is not base64url: %w", err)
	}
	priv, err := decodeKey(private)
	if err != nil {
		return fmt.Errorf("push: VAPID_PRIVATE_KEY is not base64url: %w", err)
	}
	key, err := ecdh.P256().NewPrivateKey(priv)
	if err != nil {
		return fmt.Errorf("push: VAPID_PRIVATE_KEY is not a P-256 private key: %w", err)
	}
	if string(key.PublicKey().Bytes()) != string(pub) {
		return errors.New("push: VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY")
	}
	return nil
}

// decodeKey reads base64url with or without padding, the two forms VAPID keys are shared in.
func decodeKey(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// publicOnlyTransport dials public addresses only. A subscription's endpoint is chosen by the browser, so
// a member could register a host name that resolves to a private address (the API refuses IP literals and
// localhost at subscribe time, but DNS can change afterwards); the outbound guard checks the address
// actually dialled, the same one webhook deliveries go through, with loopback never allowed.
func publicOnlyTransport() *http.Transport {
	return outbound.Transport(outbound.Options{})
}
