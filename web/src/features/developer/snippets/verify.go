// Package webhook receives ClientFlow webhooks: it checks the X-ClientFlow-Signature of each request
// before trusting its body. Copy this file into your receiver and mount the handler:
//
//	secret := os.Getenv("CLIENTFLOW_WEBHOOK_SECRET") // the endpoint's whsec_… secret
//	http.Handle("POST /webhooks/clientflow", webhook.Handler(secret, func(ctx context.Context, e webhook.Event) error {
//		log.Printf("%s %s", e.Type, e.ID) // store or queue the event, skipping ids already seen
//		return nil
//	}))
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Tolerance is how far a signature's timestamp may be from now. Older requests are refused, so a captured
// request cannot be replayed later.
const Tolerance = 5 * time.Minute

// ErrInvalidSignature means the request was not signed with the secret, was changed on the way, or is stale.
var ErrInvalidSignature = errors.New("webhook: invalid signature")

// Verify checks the X-ClientFlow-Signature header ("t=<unix>,v1=<hex>[,v1=<hex>]") against the raw
// request body and the endpoint's secret. One v1 must equal the hex HMAC-SHA256 of "<t>.<body>" keyed
// with the whole secret string; while a rotated secret is in its grace period there are two v1 values.
func Verify(header string, body []byte, secret string, now time.Time) error {
	var timestamp string
	var signatures []string
	for _, part := range strings.Split(header, ",") {
		key, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch key {
		case "t":
			timestamp = value
		case "v1":
			signatures = append(signatures, value)
		}
	}
	unix, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil || len(signatures) == 0 {
		return ErrInvalidSignature
	}
	if age := now.Sub(time.Unix(unix, 0)); age > Tolerance || age < -Tolerance {
		return ErrInvalidSignature
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "."))
	mac.Write(body)
	expected := mac.Sum(nil)
	for _, s := range signatures {
		if got, err := hex.DecodeString(s); err == nil && hmac.Equal(got, expected) {
			return nil
		}
	}
	return ErrInvalidSignature
}

// Event is the body of every delivery. ID is the same on a retry or replay of the event: de-duplicate on it.
type Event struct {
	ID             string          `json:"id"`
	Type           string          `json:"type"`
	CreatedAt      time.Time       `json:"created_at"`
	OrganizationID string          `json:"organization_id"`
	Data           json.RawMessage `json:"data"`
}

// Handler verifies each delivery and passes its event to handle. It answers 204 when handle succeeds and
// 500 when it fails, so ClientFlow retries. handle should store or queue the event and return quickly:
// ClientFlow waits 10 seconds for the answer.
func Handler(secret string, handle func(context.Context, Event) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		// Verify the bytes as received, before decoding them.
		if err := Verify(r.Header.Get("X-ClientFlow-Signature"), body, secret, time.Now()); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var e Event
		if err := json.Unmarshal(body, &e); err != nil {
			http.Error(w, "malformed event", http.StatusBadRequest)
			return
		}
		if err := handle(r.Context(), e); err != nil {
			http.Error(w, "not processed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
