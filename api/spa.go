package api

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

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
			cache := ""
			if strings.HasPrefix(name, "assets/") {
				// Vite puts a content hash in every asset name, so they never change.
				cache = "public, max-age=31536000, immutable"
			} else if name == "sw.js" {
				// The service worker keeps its name across releases: browsers must revalidate it to update it.
				cache = "no-cache"
			}
			s.sendFile(c, name, cache)
			return
		}
	}
	// A missing asset (anything with a file extension) is a 404, not the app: a stale hashed bundle must
	// fail loudly instead of being parsed as HTML.
	if path.Ext(name) != "" {
		writeProblem(c, http.StatusNotFound, domain.ENOTFOUND, "No such file.")
		return
	}
	if _, err := fs.Stat(s.SPA, "index.html"); err != nil {
		c.String(http.StatusOK, "ClientFlow API is running. The browser app is not built: run `make run`.")
		return
	}
	if s.sendBrandedIndex(c) {
		return
	}
	s.sendFile(c, "index.html", "no-cache")
}

// brandedPath matches the app's organization pages: the workspace (/orgs/{org}/…) and the client portal
// (/client-portal/{org}/…).
var brandedPath = regexp.MustCompile(`^/(?:orgs|client-portal)/([0-9a-fA-F-]{36})(?:/|$)`)

// sendBrandedIndex answers an organization page with index.html carrying the organization's palette as
// CSS variables, so the first paint is already in its colours (no flash of ClientFlow's): only when the
// session cookie belongs to an active member and the plan includes custom_branding (one query). It reports
// whether it answered; otherwise the plain, shared index.html is sent.
func (s *Server) sendBrandedIndex(c *gin.Context) bool {
	m := brandedPath.FindStringSubmatch(c.Request.URL.Path)
	if m == nil {
		return false
	}
	cookie, err := c.Request.Cookie(sessionCookie)
	if err != nil || cookie.Value == "" {
		return false
	}
	color, err := s.db.SessionBrandColor(c.Request.Context(), s.tokenHash(cookie.Value), strings.ToLower(m[1]))
	if err != nil {
		// The page still works in ClientFlow's colours; the app loads the brand itself.
		s.logger.WarnContext(c.Request.Context(), "spa: read the brand colour", "err", err)
		return false
	}
	if color == "" {
		return false
	}
	index, err := fs.ReadFile(s.SPA, "index.html")
	if err != nil {
		return false
	}
	page := injectBrandStyle(index, domain.DerivePalette(color))
	h := c.Writer.Header()
	// The page depends on the cookie: no shared cache may keep it, and none may hand it to another user.
	h.Set("Cache-Control", "private, no-cache")
	h.Add("Vary", "Cookie")
	c.Data(http.StatusOK, "text/html; charset=utf-8", page)
	return true
}

// injectBrandStyle puts <style id="brand"> with the palette's CSS variables (and the theme's primary
// colours, so buttons are branded before the app runs) at the end of the page's head. The values are
// #rrggbb from DerivePalette, nothing a tenant typed; the Content-Security-Policy sets no style-src, so
// the inline style needs no nonce.
func injectBrandStyle(index []byte, p domain.Palette) []byte {
	style := fmt.Sprintf(`<style id="brand">:root{--brand:%s;--on-brand:%s;--brand-text:%s;--brand-soft:%s;`+
		`--primary:%[1]s;--primary-foreground:%[2]s;--ring:%[1]s}</style>`, p.Brand, p.OnBrand, p.BrandText, p.BrandSoft)
	i := bytes.Index(index, []byte("</head>"))
	if i < 0 {
		return append([]byte(style), index...)
	}
	out := make([]byte, 0, len(index)+len(style))
	out = append(out, index[:i]...)
	out = append(out, style...)
	return append(out, index[i:]...)
}

// precompressed lists the copies the web build writes beside each text file (web/scripts/compress.mjs),
// in the order the server prefers them: brotli is about 15% smaller than gzip on our bundles.
var precompressed = []struct{ coding, suffix string }{{"br", ".br"}, {"gzip", ".gz"}}

// sendFile answers with the SPA file name, or with its precompressed copy in the first coding the request
// accepts. The Content-Type is always the original file's; cache is the Cache-Control value ("" for none).
func (s *Server) sendFile(c *gin.Context, name, cache string) {
	h := c.Writer.Header()
	// Caches must key on Accept-Encoding: the same URL answers brotli, gzip or identity bytes.
	h.Add("Vary", "Accept-Encoding")
	if cache != "" {
		h.Set("Cache-Control", cache)
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h.Set("Content-Type", ctype)
	sent := name
	accept := c.Request.Header.Get("Accept-Encoding")
	for _, pc := range precompressed {
		if acceptsCoding(accept, pc.coding) {
			if st, err := fs.Stat(s.SPA, name+pc.suffix); err == nil && !st.IsDir() {
				h.Set("Content-Encoding", pc.coding)
				sent = name + pc.suffix
				break
			}
		}
	}
	f, err := s.SPA.Open(sent)
	if err != nil {
		writeProblem(c, http.StatusNotFound, domain.ENOTFOUND, "No such file.")
		return
	}
	defer f.Close()
	body, ok := f.(io.ReadSeeker)
	if !ok {
		// embed.FS and os.DirFS files seek; any other fs.FS file is read into memory for ServeContent.
		data, err := io.ReadAll(f)
		if err != nil {
			writeProblem(c, http.StatusInternalServerError, domain.EINTERNAL, "Could not read the file.")
			return
		}
		body = bytes.NewReader(data)
	}
	// The embedded files carry no modification time: the zero time leaves Last-Modified out.
	http.ServeContent(c.Writer, c.Request, name, time.Time{}, body)
}

// acceptsCoding reports whether an Accept-Encoding header value allows coding: named with a q above zero,
// or covered by "*" with a q above zero when not named at all (RFC 9110 §12.5.3).
func acceptsCoding(header, coding string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		token, params, _ := strings.Cut(part, ";")
		token = strings.ToLower(strings.TrimSpace(token))
		if token != coding && token != "*" {
			continue
		}
		ok := qAboveZero(params)
		if token == coding {
			return ok
		}
		star = ok
	}
	return star
}

// qAboveZero reports whether the parameters of one Accept-Encoding entry leave its weight above zero;
// no q, or one that does not parse, counts as 1.
func qAboveZero(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return err != nil || q > 0
		}
	}
	return true
}
