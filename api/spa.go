package api

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/clientflow/clientflow/domain"
)

// serveSPA serves the built browser app: real files as they are, any other path as index.html so client
// routes survive a reload. Unknown /api paths stay JSON 404s.
func (s *Server) serveSPA(c *gin.Context) {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		writeProblem(c, http.StatusNotFound, domain.ENOTFOUND, "No such endpoint.")
		return
	}
	if s.SPA == nil {
		c.String(http.StatusOK, "ClientFlow API is running. The browser app is not built: run `make run`.")
		return
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if name != "" {
		if st, err := fs.Stat(s.SPA, name); err == nil && !st.IsDir() {
			if strings.HasPrefix(name, "assets/") {
				// Vite puts a content hash in every asset name, so they never change.
				c.Header("Cache-Control", "public, max-age=31536000, immutable")
			}
			c.FileFromFS(name, http.FS(s.SPA))
			return
		}
	}
	// A missing asset (anything with a file extension) is a 404, not the app: a stale hashed bundle must
	// fail loudly instead of being parsed as HTML.
	if path.Ext(name) != "" {
		writeProblem(c, http.StatusNotFound, domain.ENOTFOUND, "No such file.")
		return
	}
	index, err := fs.ReadFile(s.SPA, "index.html")
	if err != nil {
		c.String(http.StatusOK, "ClientFlow API is running. The browser app is not built: run `make run`.")
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", index)
}
