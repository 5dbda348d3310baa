package api

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/clientflow/clientflow/domain"
)

type clientIPKey struct{}

// withClientIP puts the client IP (X-Forwarded-For only from trusted proxies) into the request context,
// where Huma handlers can read it: sessions and security events record it.
func withClientIP() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := context.WithValue(c.Request.Context(), clientIPKey{}, c.ClientIP())
		// Audit rows a request writes carry where it came from; authentication adds who (withPrincipal).
		ctx = domain.WithAuditOrigin(ctx, domain.AuditOrigin{IP: c.ClientIP(),
			UserAgent: c.Request.UserAgent(), RequestID: requestIDFrom(ctx)})
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

func clientIPFrom(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}
