package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/clientflow/clientflow/domain"
)

type requestIDKey struct{}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID accepts a sane X-Request-Id from a proxy or mints one, and echoes it on the response.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-Id")
		if !validRequestID.MatchString(id) {
			b := make([]byte, 12)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Header("X-Request-Id", id)
		c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), requestIDKey{}, id))
		c.Next()
	}
}

func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// metrics are the Prometheus series every request feeds.
type metrics struct {
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "clientflow_http_request_duration_seconds",
		Help:    "HTTP request latency by route and status.",
		Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5},
	}, []string{"method", "route", "status"})}
	reg.MustRegister(m.duration)
	return m
}

// logAndMeasure writes one structured log line and one histogram sample per request.
func logAndMeasure(m *metrics, logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		elapsed := time.Since(start)
		m.duration.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		logger.LogAttrs(c.Request.Context(), level, "request",
			slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
			slog.String("route", route), slog.Int("status", status),
			slog.Float64("ms", float64(elapsed.Microseconds())/1000),
			slog.String("ip", c.ClientIP()), slog.String("request_id", requestIDFrom(c.Request.Context())))
	}
}

// recoverPanics turns a panic into a logged 500 problem instead of a dropped connection.
func recoverPanics(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				logger.ErrorContext(c.Request.Context(), "panic", "panic", fmt.Sprint(r), "request_id", requestIDFrom(c.Request.Context()))
				writeProblem(c, http.StatusInternalServerError, domain.EINTERNAL, "internal error")
			}
		}()
		c.Next()
	}
}

// writeProblem answers outside Huma (middleware, unmatched routes) with the same problem+json shape.
func writeProblem(c *gin.Context, status int, code, detail string) {
	p := ErrorModel{Status: status, Title: http.StatusText(status), Detail: detail, Code: code,
		Instance: requestIDFrom(c.Request.Context())}
	b, _ := json.Marshal(p)
	c.Data(status, "application/problem+json", b)
	c.Abort()
}

// Rate-limit windows from the product spec; the counts come from config (10 and 120 by default).
const (
	authWindow = 10 * time.Second
	apiWindow  = 60 * time.Second
)

// rateLimit applies the auth limit per IP to /api/v1/auth/* and the API limit per principal elsewhere.
// A principal is the bearer API key, else the session cookie (both hashed), or, for anonymous calls, the
// client IP: each key has its own budget, so one busy integration never throttles its creator's browser.
// A session's budget is the session limit, larger than a key's: the app makes several requests per page.
func (s *Server) rateLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		path := c.Request.URL.Path
		// Webhooks come from a provider's few IPs in bursts and are authenticated by their signature.
		if !strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/api/v1/webhooks/") {
			c.Next()
			return
		}
		key, limit, window := "api:ip:"+c.ClientIP(), s.apiLimit, apiWindow
		if strings.HasPrefix(path, "/api/v1/auth/") {
			key, limit, window = "auth:ip:"+c.ClientIP(), s.authLimit, authWindow
		} else if bearer, ok := bearerToken(c.GetHeader("Authorization")); ok && domain.LooksLikeAPIKey(bearer) &&
			strings.HasPrefix(path, "/api/v1/orgs/") {
			// Only where a key works: elsewhere any made-up bearer string would buy a fresh budget. A made-up
			// key-shaped one on an organization route is counted against its IP as well (authenticateKey).
			key = "api:key:" + hex.EncodeToString(domain.HashAPIKey(bearer)[:12])
		} else if tok, err := c.Cookie(sessionCookie); err == nil && tok != "" {
			// The app's own session: one page load makes several requests (the page, its lists, the
			// notifications, the live stream), so a person clicking through pages gets a larger budget than a
			// script with a key (RATE_LIMIT_SESSION_PER_MINUTE against RATE_LIMIT_API_PER_MINUTE).
			key, limit = "api:session:"+hex.EncodeToString(s.tokenHash(tok)[:12]), s.sessionLimit
		}
		d, err := s.limiter.Allow(c.Request.Context(), key, limit, window)
		if err != nil {
			// Redis outages never get here: ratelimit.Fallback (wired in cmd) counts in process meanwhile.
			// What is left is a limiter without that fallback or a bad limit; failing open keeps the
			// product up, and the error is visible in the logs.
			s.logger.WarnContext(c.Request.Context(), "rate limiter unavailable", "err", err)
			c.Next()
			return
		}
		c.Header("RateLimit-Limit", strconv.Itoa(d.Limit))
		c.Header("RateLimit-Remaining", strconv.Itoa(d.Remaining))
		if !d.Allowed {
			secs := int(math.Ceil(d.RetryAfter.Seconds()))
			if secs < 1 {
				secs = 1
			}
			c.Header("Retry-After", strconv.Itoa(secs))
			if tok, err := c.Cookie(sessionCookie); err == nil && strings.HasPrefix(key, "api:session:") {
				s.noteThrottled(c.Request.Context(), key, tok)
			}
			writeProblem(c, http.StatusTooManyRequests, domain.ERATELIMITED,
				fmt.Sprintf("Too many requests. Try again in %d s.", secs))
			return
		}
		c.Next()
	}
}

// checkOrigin refuses cookie-authenticated unsafe requests that a browser sent from another site (CSRF).
// A request without the cookie (an API key's, or anonymous) carries no ambient credential a forged page could
// borrow, so any Origin is fine: a bearer key is something the caller must hold, not something the browser adds.
func (s *Server) checkOrigin() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		if _, err := c.Cookie(sessionCookie); err != nil {
			c.Next()
			return
		}
		if origin := c.GetHeader("Origin"); origin != "" {
			if !s.sameOrigin(origin, c.Request) {
				writeProblem(c, http.StatusForbidden, domain.EFORBIDDEN, "Cross-site request refused.")
				return
			}
		} else if site := c.GetHeader("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
			writeProblem(c, http.StatusForbidden, domain.EFORBIDDEN, "Cross-site request refused.")
			return
		}
		c.Next()
	}
}

// sameOrigin accepts the configured APP_URL origin and the origin the request itself was addressed to
// (so a dev server on another port or a test on port 0 still works).
func (s *Server) sameOrigin(origin string, r *http.Request) bool {
	o, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if app, err := url.Parse(s.cfg.AppURL); err == nil && o.Scheme == app.Scheme && o.Host == app.Host {
		return true
	}
	return o.Host == r.Host
}

// securityHeaders tells browsers not to sniff types, frame the app, or leak full URLs in Referer.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		c.Next()
	}
}
