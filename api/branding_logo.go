package api

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	// Registered for image.DecodeConfig: the logo formats an organization may upload.
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	_ "golang.org/x/image/webp"

	"github.com/clientflow/clientflow/domain"
)

// Logo limits: the upload's size, and the pixel dimensions of a raster logo.
const (
	maxLogoUpload    = 1 << 20
	maxLogoDimension = 4096
)

// logoKinds maps what the raster header decodes as to the content type stored and served, and the
// storage key's extension.
var logoKinds = map[string]struct{ ContentType, Ext string }{
	"png":  {domain.LogoPNG, "png"},
	"jpeg": {domain.LogoJPEG, "jpg"},
	"webp": {domain.LogoWebP, "webp"},
}

// logoRefusal explains why content is no logo we accept (HTML, an SVG with nothing to draw, anything
// else); the API answers it as a 422 on body.file.
type logoRefusal string

func (r logoRefusal) Error() string { return string(r) }

// notAnImage is the refusal of content that is none of the accepted formats.
const notAnImage = logoRefusal("must be a PNG, JPEG, WebP or SVG image")

// checkLogo decides from the content (never the client's claim) whether data is a logo, and returns what to
// store: a PNG, JPEG or WebP as uploaded once its header decodes and its dimensions are within bounds, or an
// SVG rebuilt from an allowlist (sanitizeSVG). Anything else, HTML included, is a logoRefusal.
func checkLogo(data []byte) (content []byte, contentType, ext string, err error) {
	switch http.DetectContentType(data) {
	case "image/png", "image/jpeg", "image/webp":
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		kind, ok := logoKinds[format]
		if err != nil || !ok {
			return nil, "", "", logoRefusal("is not a readable image: its header does not decode")
		}
		if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxLogoDimension || cfg.Height > maxLogoDimension {
			return nil, "", "", logoRefusal(fmt.Sprintf("is %d×%d pixels; at most %d×%d are accepted", cfg.Width, cfg.Height, maxLogoDimension, maxLogoDimension))
		}
		return data, kind.ContentType, kind.Ext, nil
	}
	clean, err := sanitizeSVG(data)
	if err != nil {
		return nil, "", "", err
	}
	return clean, domain.LogoSVG, "svg", nil
}

const (
	svgNamespace   = "http://www.w3.org/2000/svg"
	xlinkNamespace = "http://www.w3.org/1999/xlink"
	// maxSVGDepth bounds element nesting, so a hostile file cannot make the rebuild recurse without end.
	maxSVGDepth = 64
)

// svgElements are the SVG elements a logo may keep: shapes, text, grouping, gradients, clipping. Scripts,
// foreignObject, style sheets, animation, images, links and filters are left out with their content.
var svgElements = map[string]bool{
	"svg": true, "g": true, "defs": true, "title": true, "desc": true, "symbol": true, "use": true,
	"path": true, "rect": true, "circle": true, "ellipse": true, "line": true, "polyline": true, "polygon": true,
	"text": true, "tspan": true, "linearGradient": true, "radialGradient": true, "stop": true,
	"clipPath": true, "mask": true, "pattern": true,
}

// svgDrawing are the kept elements that put something on the page: an SVG with none of them is refused.
var svgDrawing = map[string]bool{
	"path": true, "rect": true, "circle": true, "ellipse": true, "line": true, "polyline": true, "polygon": true,
	"text": true, "use": true,
}

// svgAttributes are the presentation and geometry attributes a logo may keep. Event handlers (on*) and
// anything else are dropped; href survives only as a reference inside the document (#id).
var svgAttributes = map[string]bool{}

func init() {
	for _, a := range strings.Fields(`id class d x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height viewBox
		preserveAspectRatio points fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap
		stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset opacity transform offset stop-color
		stop-opacity gradientUnits gradientTransform spreadMethod clip-path clip-rule mask maskUnits
		maskContentUnits clipPathUnits patternUnits patternContentUnits patternTransform font-family font-size
		font-weight font-style text-anchor dominant-baseline letter-spacing visibility display color version
		dx dy rotate textLength lengthAdjust style`) {
		svgAttributes[a] = true
	}
}

// sanitizeSVG parses data as XML whose root is an svg element and writes it again keeping only
// allowlisted elements and attributes: no script, no event handler, no foreignObject, no external
// reference (href or url() to anything but #id), no DOCTYPE or entity, no processing instruction. A file
// that does not parse as XML (HTML usually does not), whose root is not svg, or that keeps nothing to draw
// is a logoRefusal.
func sanitizeSVG(data []byte) ([]byte, error) {
	if !utf8.Valid(data) {
		return nil, notAnImage
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var out bytes.Buffer
	w := svgWriter{out: &out}
	root := true
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, notAnImage
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root && (t.Name.Local != "svg" || (t.Name.Space != "" && t.Name.Space != svgNamespace)) {
				return nil, notAnImage
			}
			if !root && w.depth == 0 {
				return nil, notAnImage
			}
			root = false
			if err := w.start(t); err != nil {
				return nil, err
			}
		case xml.EndElement:
			w.end()
		case xml.CharData:
			w.text(t)
		}
	}
	if root || w.depth != 0 {
		return nil, notAnImage
	}
	if w.drawn == 0 {
		return nil, logoRefusal("is an SVG with nothing to draw once scripts and external content are removed")
	}
	return out.Bytes(), nil
}

// svgWriter rebuilds the kept part of an SVG. depth counts open elements; skip > 0 while inside an element
// that is dropped with its content.
type svgWriter struct {
	out         *bytes.Buffer
	depth, skip int
	drawn       int
	open        []string
}

func (w *svgWriter) start(t xml.StartElement) error {
	w.depth++
	if w.depth > maxSVGDepth {
		return logoRefusal("is an SVG nested too deeply")
	}
	if w.skip > 0 || !svgElements[t.Name.Local] || (t.Name.Space != "" && t.Name.Space != svgNamespace) {
		w.skip++
		return nil
	}
	if svgDrawing[t.Name.Local] {
		w.drawn++
	}
	w.out.WriteString("<" + t.Name.Local)
	if w.depth == 1 {
		w.out.WriteString(` xmlns="` + svgNamespace + `" xmlns:xlink="` + xlinkNamespace + `"`)
	}
	for _, a := range t.Attr {
		name, ok := svgAttributeName(a.Name)
		if !ok || !safeSVGValue(name, a.Value) {
			continue
		}
		w.out.WriteString(" " + name + `="`)
		_ = xml.EscapeText(w.out, []byte(a.Value))
		w.out.WriteString(`"`)
	}
	w.out.WriteString(">")
	w.open = append(w.open, t.Name.Local)
	return nil
}

func (w *svgWriter) end() {
	w.depth--
	if w.skip > 0 {
		w.skip--
		return
	}
	name := w.open[len(w.open)-1]
	w.open = w.open[:len(w.open)-1]
	w.out.WriteString("</" + name + ">")
}

// svgText escapes character data for the rebuilt document, keeping line breaks as they are.
var svgText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func (w *svgWriter) text(t xml.CharData) {
	if w.skip == 0 && w.depth > 0 {
		_, _ = svgText.WriteString(w.out, string(t))
	}
}

// svgAttributeName returns how a kept attribute is written: allowlisted names without a namespace, and
// href in either spelling (href, xlink:href). Namespace declarations are written by the root itself.
func svgAttributeName(n xml.Name) (string, bool) {
	switch {
	case n.Local == "href" && (n.Space == "" || n.Space == xlinkNamespace):
		if n.Space == xlinkNamespace {
			return "xlink:href", true
		}
		return "href", true
	case n.Space == "" && svgAttributes[n.Local]:
		return n.Local, true
	}
	return "", false
}

// safeSVGValue keeps references inside the document only: href must be "#id", and a url() anywhere (fill,
// clip-path, style…) must point at "#id". Style attributes may not import, and no value may carry a
// script scheme.
func safeSVGValue(name, value string) bool {
	v := strings.ToLower(strings.Join(strings.Fields(value), ""))
	if name == "href" || name == "xlink:href" {
		return strings.HasPrefix(v, "#")
	}
	if strings.Contains(v, "javascript:") || strings.Contains(v, "@import") || strings.Contains(v, "expression(") ||
		strings.Contains(v, "\\") {
		return false
	}
	for rest := v; ; {
		i := strings.Index(rest, "url(")
		if i < 0 {
			return true
		}
		rest = strings.TrimLeft(rest[i+4:], `'"`)
		if !strings.HasPrefix(rest, "#") {
			return false
		}
	}
}
