package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/clientflow/clientflow/store"
)

const (
	// defaultRequestTimeout bounds a request when REQUEST_TIMEOUT is not configured.
	defaultRequestTimeout = 30 * time.Second
	// retryAfterUnavailable is the Retry-After every 503 carries: about as long as a Postgres restart or
	// failover takes, so a client that waits this long usually succeeds on its next try.
	retryAfterUnavailable = 5 * time.Second
)

// requestTimeout gives every request a deadline, so a request waiting on a database that does not answer
// (a blackholed connection, a pool that cannot connect) ends with a 503 instead of holding its client and
// a goroutine forever.
func requestTimeout(d time.Duration) gin.HandlerFunc {
	if d <= 0 {
		d = defaultRequestTimeout
	}
	return func(c *gin.Context) {
		// The event stream stays open for as long as the client listens.
		if c.Request.URL.Path == streamPath {
			c.Next()
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// unavailable reports whether err is a dependency outage rather than a fault of the request or a bug: the
// database unreachable or going away, or the request's deadline passed while waiting for it.
func unavailable(err error) bool {
	return store.IsUnavailable(err) || errors.Is(err, context.DeadlineExceeded)
}

// retryAfterOn503 adds Retry-After to every 503 that does not set its own, whichever layer wrote it
// (a Huma handler, a Huma middleware, /readyz), so clients and load balancers know when to come back.
func retryAfterOn503() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Writer = retryAfterWriter{c.Writer}
		c.Next()
	}
}

// retryAfterWriter is the response writer retryAfterOn503 installs.
type retryAfterWriter struct{ gin.ResponseWriter }

// WriteHeader sets Retry-After on a 503 before the status goes out.
func (w retryAfterWriter) WriteHeader(status int) {
	if status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfterUnavailable.Seconds())))
	}
	w.ResponseWriter.WriteHeader(status)
}

// unavailableProblem is the 503 answered for a dependency outage; it is logged as a warning, since the
// fault is the dependency's and the client is told to retry.
func unavailableProblem(ctx context.Context, err error) *ErrorModel {
	slog.WarnContext(ctx, "dependency unavailable", "err", err, "request_id", requestIDFrom(ctx))
	p := newProblem(http.StatusServiceUnavailable, "The service is briefly unavailable; try again in a few seconds.").(*ErrorModel)
	p.Instance = requestIDFrom(ctx) // newProblem took the code "unavailable" from codeByStatus
	return p
}
