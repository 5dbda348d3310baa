package email

import (
	"context"
	"fmt"
	"net/http"
)

// PermanentError is a failure that retrying cannot fix: a provider 4xx other than 408/429, or an invalid message.
// The Temporal activity turns it into a non-retryable error.
type PermanentError struct {
	// Provider is the provider's Name, or "" when the message was rejected before sending.
	Provider string
	// Status is the provider's HTTP status, or 0 when none was received.
	Status int
	// Err is the underlying error.
	Err error
}

// Error implements error.
func (e *PermanentError) Error() string {
	if e.Provider == "" {
		return "email: " + e.Err.Error()
	}
	return fmt.Sprintf("email via %s: status %d: %v", e.Provider, e.Status, e.Err)
}

// Unwrap exposes the underlying error to errors.Is and errors.As.
func (e *PermanentError) Unwrap() error { return e.Err }

// classify wraps a failed send: permanent for client errors the provider will
// repeat, retryable for timeouts, throttling, server errors and network errors.
func classify(provider string, status int, err error) error {
	permanent := status >= 400 && status < 500 &&
		status != http.StatusRequestTimeout && status != http.StatusTooManyRequests
	if permanent {
		return &PermanentError{Provider: provider, Status: status, Err: err}
	}
	if status != 0 {
		return fmt.Errorf("email via %s: status %d: %w", provider, status, err)
	}
	return fmt.Errorf("email via %s: %w", provider, err)
}

// statusKey finds the *int a statusRecorder writes the response status into.
type statusKey struct{}

// withStatus returns a context whose HTTP responses report their status into *status.
func withStatus(ctx context.Context, status *int) context.Context {
	return context.WithValue(ctx, statusKey{}, status)
}

// statusRecorder is an http.RoundTripper that reports each response's status
// to the request's context. The Resend SDK flattens HTTP errors into strings,
// and the status is what decides whether a failure is permanent.
type statusRecorder struct{ next http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (r statusRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if status, ok := req.Context().Value(statusKey{}).(*int); ok && err == nil {
		*status = resp.StatusCode
	}
	return resp, err
}
