package api

import (
	"context"

	"github.com/gin-gonic/gin"
)

type clientIPKey struct{}

// withClientIP puts the client IP (X-Forwarded-For only from trusted proxies) into the request context,
// where Huma handlers can read it: sessions and security events record it.
func withClientIP() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), clientIPKey{}, c.ClientIP()))
		c.Next()
	}
}

func clientIPFrom(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}
