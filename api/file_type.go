package api

import (
	"bytes"
	"net/http"
	"path"
	"strings"
)

// fileKind is an accepted upload: the content type we store and serve, and the storage key's extension.
type fileKind struct {
	ContentType string
	Ext         string
}

// sniffedKinds maps what net/http.DetectContentType reports for the first 512 bytes to the kinds we
// accept. Anything else (executables, HTML, SVG, scripts) is refused whatever the upload claims to be.
var sniffedKinds = map[string]fileKind{
	"image/png":       {"image/png", "png"},
	"image/jpeg":      {"image/jpeg", "jpg"},
	"image/gif":       {"image/gif", "gif"},
	"image/webp":      {"image/webp", "webp"},
	"image/bmp":       {"image/bmp", "bmp"},
	"application/pdf": {"application/pdf", "pdf"},
}

// zipKinds are the zip-based document formats, told apart by the file name once the bytes are a zip.
var zipKinds = map[string]fileKind{
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
	".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
	".odt":  {"application/vnd.oasis.opendocument.text", "odt"},
	".ods":  {"application/vnd.oasis.opendocument.spreadsheet", "ods"},
	".odp":  {"application/vnd.oasis.opendocument.presentation", "odp"},
	".zip":  {"application/zip", "zip"},
}

// detectFileKind decides from the content's first bytes (never from the client's claim) whether an upload
// is accepted; the name only refines text into CSV and zip into an Office format.
func detectFileKind(head []byte, name string) (fileKind, bool) {
	sniffed := http.DetectContentType(head)
	ext := strings.ToLower(path.Ext(name))
	if k, ok := sniffedKinds[sniffed]; ok {
		return k, true
	}
	switch sniffed {
	case "text/plain; charset=utf-8":
		if looksLikeMarkup(head) {
			return fileKind{}, false
		}
		if ext == ".csv" {
			return fileKind{"text/csv; charset=utf-8", "csv"}, true
		}
		return fileKind{"text/plain; charset=utf-8", "txt"}, true
	case "application/zip":
		if k, ok := zipKinds[ext]; ok {
			return k, true
		}
		return zipKinds[".zip"], true
	}
	return fileKind{}, false
}

// markupTags are the openings that make a browser, an image viewer or an XML parser treat text as
// active content. net/http's sniffer knows only some (an SVG without an XML prolog passes as plain text).
var markupTags = [][]byte{[]byte("<svg"), []byte("<?xml"), []byte("<!doctype"), []byte("<html"),
	[]byte("<script"), []byte("<iframe"), []byte("<object"), []byte("<embed"), []byte("<!entity"),
	[]byte("<xsl"), []byte("<body"), []byte("<head"), []byte("<meta"), []byte("<math")}

// looksLikeMarkup reports whether text that sniffed as plain is really markup: after a byte-order mark
// and white space it opens with "<" (a tag, a comment, a prolog), or it holds one of markupTags anywhere
// in its first bytes.
func looksLikeMarkup(head []byte) bool {
	text := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimLeft(text, " \t\r\n\f"); len(t) > 0 && t[0] == '<' {
		return true
	}
	lower := bytes.ToLower(text)
	for _, tag := range markupTags {
		if bytes.Contains(lower, tag) {
			return true
		}
	}
	return false
}
