// Package pushtest runs a local push service for tests: an HTTPS server that, like a browser vendor's push
// service, checks the VAPID signature of every request and, like the browser, decrypts its payload with the
// subscription's keys (RFC 8291), so a test sees exactly what a user's device would show.
package pushtest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientflow/clientflow/domain"
)

// Message is one push the service accepted, decrypted.
type Message struct {
	Endpoint string
	Payload  []byte
	TTL      int
	Urgency  string
	Topic    string
	// Subject is the VAPID JWT's sub claim.
	Subject string
}

// Service is the local push service.
type Service struct {
	server   *httptest.Server
	vapidKey *ecdsa.PublicKey
	vapidRaw string

	mu       sync.Mutex
	keys     map[string]receiver // endpoint path → the browser side of the subscription
	statuses map[string]int      // endpoint path → status to answer instead of 201
	messages []Message
	refusals []string
}

// receiver is what a browser keeps for one subscription: its ECDH private key and the auth secret.
type receiver struct {
	private *ecdh.PrivateKey
	auth    []byte
}

// MustStart starts a service accepting pushes signed with the VAPID public key vapidPublic (base64url)
// and stops it when the test ends.
func MustStart(tb testing.TB, vapidPublic string) *Service {
	tb.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(vapidPublic)
	if err != nil {
		tb.Fatalf("pushtest: VAPID public key: %v", err)
	}
	key, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		tb.Fatalf("pushtest: VAPID public key: %v", err)
	}
	s := &Service{vapidKey: key, vapidRaw: vapidPublic, keys: map[string]receiver{}, statuses: map[string]int{}}
	s.server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.server.Close)
	return s
}

// Client is an HTTP client that trusts the service's certificate.
func (s *Service) Client() *http.Client { return s.server.Client() }

// Origin is the service's scheme and host: the audience its VAPID tokens must name.
func (s *Service) Origin() string { return s.server.URL }

// Subscribe creates a subscription the way a browser does: a fresh P-256 key pair and a 16-byte auth secret.
func (s *Service) Subscribe() domain.PushSubscription {
	private, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	auth := make([]byte, 16)
	rand.Read(auth)
	path := "/push/" + uuid.NewString()
	s.mu.Lock()
	s.keys[path] = receiver{private: private, auth: auth}
	s.mu.Unlock()
	return domain.PushSubscription{Endpoint: s.server.URL + path,
		P256dh: base64.RawURLEncoding.EncodeToString(private.PublicKey().Bytes()),
		Auth:   base64.RawURLEncoding.EncodeToString(auth)}
}

// Answer makes the service answer status for endpoint from now on (404 or 410: the subscription is gone).
func (s *Service) Answer(endpoint string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statuses[strings.TrimPrefix(endpoint, s.server.URL)] = status
}

// Messages returns the pushes accepted so far, in arrival order.
func (s *Service) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Refusals returns why requests were refused (bad signature, undecryptable body), in arrival order.
func (s *Service) Refusals() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.refusals...)
}

func (s *Service) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	rcv, known := s.keys[r.URL.Path]
	status, answer := s.statuses[r.URL.Path]
	s.mu.Unlock()
	if !known {
		http.NotFound(w, r)
		return
	}
	if answer {
		w.WriteHeader(status)
		return
	}
	m, err := s.accept(r, rcv)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.refusals = append(s.refusals, err.Error())
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.messages = append(s.messages, m)
	w.WriteHeader(http.StatusCreated)
}

// accept checks what a push service checks and decrypts what the browser would.
func (s *Service) accept(r *http.Request, rcv receiver) (Message, error) {
	if r.Method != http.MethodPost {
		return Message{}, fmt.Errorf("method %s, want POST", r.Method)
	}
	subject, err := s.verifyVAPID(r.Header.Get("Authorization"))
	if err != nil {
		return Message{}, err
	}
	if ce := r.Header.Get("Content-Encoding"); ce != "aes128gcm" {
		return Message{}, fmt.Errorf("Content-Encoding %q, want aes128gcm", ce)
	}
	ttl, err := strconv.Atoi(r.Header.Get("TTL"))
	if err != nil || ttl < 0 {
		return Message{}, fmt.Errorf("TTL header %q is not a number of seconds", r.Header.Get("TTL"))
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 4097))
	if err != nil {
		return Message{}, err
	}
	// RFC 8030 §7.2: a push service need not accept more than 4096 bytes.
	if len(body) > 4096 {
		return Message{}, errors.New("body over 4096 bytes")
	}
	payload, err := decrypt(body, rcv)
	if err != nil {
		return Message{}, fmt.Errorf("decrypt: %w", err)
	}
	return Message{Endpoint: s.server.URL + r.URL.Path, Payload: payload, TTL: ttl,
		Urgency: r.Header.Get("Urgency"), Topic: r.Header.Get("Topic"), Subject: subject}, nil
}

// verifyVAPID checks an RFC 8292 header, "vapid t=<JWT>, k=<public key>": the key is the server's, the JWT is
// ES256-signed by it, names this service's origin as audience, expires within 24 hours and has a contact.
func (s *Service) verifyVAPID(header string) (string, error) {
	rest, ok := strings.CutPrefix(header, "vapid ")
	if !ok {
		return "", fmt.Errorf("Authorization %q is not a vapid scheme", header)
	}
	var token, key string
	for _, part := range strings.Split(rest, ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch name {
		case "t":
			token = value
		case "k":
			key = value
		}
	}
	if key != s.vapidRaw {
		return "", fmt.Errorf("VAPID key %q is not the server's", key)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", errors.New("VAPID token is not a JWT")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return "", errors.New("VAPID token signature is not an ES256 signature")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(s.vapidKey, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return "", errors.New("VAPID token signature does not verify")
	}
	var head struct{ Alg string }
	var claims struct {
		Aud string
		Exp int64
		Sub string
	}
	if err := decodeSegment(parts[0], &head); err != nil || head.Alg != "ES256" {
		return "", fmt.Errorf("VAPID token header alg %q, want ES256", head.Alg)
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return "", fmt.Errorf("VAPID token claims: %w", err)
	}
	exp := time.Unix(claims.Exp, 0)
	switch {
	case claims.Aud != s.server.URL:
		return "", fmt.Errorf("VAPID audience %q, want %q", claims.Aud, s.server.URL)
	case time.Until(exp) <= 0 || time.Until(exp) > 24*time.Hour:
		return "", fmt.Errorf("VAPID expiry %s is not within the next 24 hours", exp)
	case !strings.HasPrefix(claims.Sub, "mailto:") && !strings.HasPrefix(claims.Sub, "https://"):
		return "", fmt.Errorf("VAPID subject %q is not a mailto: or https: URL", claims.Sub)
	}
	return claims.Sub, nil
}

func decodeSegment(seg string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// decrypt reverses RFC 8291's aes128gcm encoding as the browser does. The body is a header (salt, record
// size, the sender's one-time public key) and one record; the keys come from ECDH between that public key
// and the subscription's private key, mixed with the auth secret through HKDF-SHA256.
func decrypt(body []byte, rcv receiver) ([]byte, error) {
	if len(body) < 21 {
		return nil, errors.New("body shorter than the aes128gcm header")
	}
	salt, rs, idLen := body[:16], binary.BigEndian.Uint32(body[16:20]), int(body[20])
	if idLen != 65 || len(body) < 21+idLen {
		return nil, fmt.Errorf("key id of %d bytes, want a 65-byte P-256 public key", idLen)
	}
	senderKey, record := body[21:21+idLen], body[21+idLen:]
	if uint32(len(record)) > rs {
		return nil, fmt.Errorf("record of %d bytes exceeds the record size %d", len(record), rs)
	}
	senderPublic, err := ecdh.P256().NewPublicKey(senderKey)
	if err != nil {
		return nil, err
	}
	shared, err := rcv.private.ECDH(senderPublic)
	if err != nil {
		return nil, err
	}
	info := "WebPush: info\x00" + string(rcv.private.PublicKey().Bytes()) + string(senderKey)
	ikm, err := hkdf.Key(sha256.New, shared, rcv.auth, info, 32)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, nonce, record, nil)
	if err != nil {
		return nil, err
	}
	// The last record ends with the delimiter 0x02 followed by zero padding.
	end := len(plain) - 1
	for end >= 0 && plain[end] == 0 {
		end--
	}
	if end < 0 || plain[end] != 2 {
		return nil, errors.New("no last-record delimiter")
	}
	return plain[:end], nil
}
