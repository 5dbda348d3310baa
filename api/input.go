package api

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humagin"

	"github.com/clientflow/clientflow/domain"
)

// checkInput is the Huma middleware that stops, for every operation, input the layers below cannot take:
// a path id that is not a canonical UUID (404, so an id never aliases another spelling of itself), and
// NUL characters, invalid UTF-8 or dates outside domain.MinYear–MaxYear in query parameters, headers
// the operation reads and JSON bodies (422 naming the field). Numbers are bounded by the schemas' own
// minimum/maximum, which Huma enforces. It runs before authentication, so the session lookup never sees
// a malformed org_id either.
func (s *Server) checkInput(ctx huma.Context, next func(huma.Context)) {
	op := ctx.Operation()
	if !validPathParams(ctx, op) {
		huma.WriteErr(s.api, ctx, http.StatusNotFound, "Not found.")
		return
	}
	detail := s.queryProblem(ctx, op)
	if detail == nil {
		detail = headerProblem(ctx, op)
	}
	if detail == nil {
		detail = s.bodyProblem(ctx, op)
	}
	if detail != nil {
		huma.WriteErr(s.api, ctx, http.StatusUnprocessableEntity, "The request is invalid.", detail)
		return
	}
	next(ctx)
}

// validPathParams requires ids (id and *_id) to be canonical UUIDs and every other path parameter to be
// clean text; a path that fails cannot name anything, so it is answered as not found.
func validPathParams(ctx huma.Context, op *huma.Operation) bool {
	for _, p := range op.Parameters {
		if p.In != "path" {
			continue
		}
		v := ctx.Param(p.Name)
		if p.Name == "id" || strings.HasSuffix(p.Name, "_id") {
			if !validUUID(v) {
				return false
			}
		} else if textProblem(v) != "" {
			return false
		}
	}
	return true
}

// validUUID accepts only the lower-case 8-4-4-4-12 form our ids are written in, so "ABC…", "{…}",
// "urn:uuid:…" and the unhyphenated form never reach a query as another spelling of the same row.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// textProblem says what is wrong with a string no text column can store, or "" when it is fine.
func textProblem(s string) string {
	if !utf8.ValidString(s) {
		return "must be valid UTF-8"
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "must not contain NUL characters"
	}
	return ""
}

// queryProblem checks every query parameter sent, declared or not: names and values must be clean text,
// and declared date parameters must fall in the accepted years.
func (s *Server) queryProblem(ctx huma.Context, op *huma.Operation) *huma.ErrorDetail {
	u := ctx.URL()
	for _, pair := range strings.Split(u.RawQuery, "&") {
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(rawKey)
		value, err2 := url.QueryUnescape(rawValue)
		if err1 != nil || err2 != nil {
			// Go's query parser drops such a pair, so no handler ever sees it.
			continue
		}
		if msg := textProblem(key); msg != "" {
			return &huma.ErrorDetail{Location: "query", Message: "parameter names " + msg}
		}
		if msg := textProblem(value); msg != "" {
			return &huma.ErrorDetail{Location: "query." + key, Message: msg, Value: value}
		}
	}
	for _, p := range op.Parameters {
		if p.In != "query" || p.Schema == nil {
			continue
		}
		if v := ctx.Query(p.Name); v != "" {
			if msg := s.dateProblem(p.Schema, v); msg != "" {
				return &huma.ErrorDetail{Location: "query." + p.Name, Message: msg, Value: v}
			}
		}
	}
	return nil
}

// storedHeaders are headers handlers read through hidden parameters (absent from op.Parameters) and store.
var storedHeaders = []string{"User-Agent"}

// headerProblem checks the headers the operation declares (and so hands to its handler) and storedHeaders.
func headerProblem(ctx huma.Context, op *huma.Operation) *huma.ErrorDetail {
	names := slices.Clone(storedHeaders)
	for _, p := range op.Parameters {
		if p.In == "header" {
			names = append(names, p.Name)
		}
	}
	for _, name := range names {
		if msg := textProblem(ctx.Header(name)); msg != "" {
			return &huma.ErrorDetail{Location: "header." + name, Message: msg}
		}
	}
	return nil
}

// bodyProblem checks a JSON body against its schema for what Huma's validation lets through: NUL
// characters, invalid UTF-8 (which JSON decoding would silently replace) and out-of-range dates. The body
// is read once and handed on unchanged; one over the size limit, or not JSON at all, is left to Huma.
func (s *Server) bodyProblem(ctx huma.Context, op *huma.Operation) *huma.ErrorDetail {
	if op.RequestBody == nil || op.RequestBody.Content["application/json"] == nil || !jsonRequest(ctx) {
		return nil
	}
	gc := humagin.Unwrap(ctx)
	limit := op.MaxBodyBytes
	if limit <= 0 {
		limit = 1 << 20
	}
	buf, err := io.ReadAll(io.LimitReader(gc.Request.Body, limit+1))
	gc.Request.Body = readCloser{io.MultiReader(bytes.NewReader(buf), gc.Request.Body), gc.Request.Body}
	if err != nil || int64(len(buf)) > limit {
		return nil
	}
	if !utf8.Valid(buf) {
		return &huma.ErrorDetail{Location: "body", Message: "must be valid UTF-8"}
	}
	if jsonTooDeep(buf) {
		return &huma.ErrorDetail{Location: "body", Message: "must not nest deeper than " + strconv.Itoa(maxJSONDepth) + " levels"}
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(buf))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return nil
	}
	return s.walkValue("body", op.RequestBody.Content["application/json"].Schema, v)
}

// maxJSONDepth bounds how deeply a body may nest. The deepest real documents (rich text with nested
// lists) stay far below it; beyond it, decoding and validating cost grows with every level for nothing.
const maxJSONDepth = 128

// jsonTooDeep reports whether the JSON text opens more than maxJSONDepth objects and arrays at once,
// counting only brackets outside strings.
func jsonTooDeep(b []byte) bool {
	depth, inString := 0, false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			if depth++; depth > maxJSONDepth {
				return true
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return false
}

// jsonRequest reports whether the body is sent as JSON (Huma's default when no type is given).
func jsonRequest(ctx huma.Context) bool {
	ct := ctx.Header("Content-Type")
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// readCloser reads the re-assembled body and closes the original.
type readCloser struct {
	io.Reader
	io.Closer
}

// walkValue checks every string of a decoded JSON value, following the schema (when there is one) to
// know which strings are dates. Locations use Huma's form: body.items[2].name.
func (s *Server) walkValue(loc string, schema *huma.Schema, v any) *huma.ErrorDetail {
	schema = s.resolve(schema)
	switch v := v.(type) {
	case string:
		if msg := textProblem(v); msg != "" {
			return &huma.ErrorDetail{Location: loc, Message: msg}
		}
		if msg := s.dateProblem(schema, v); msg != "" {
			return &huma.ErrorDetail{Location: loc, Message: msg, Value: v}
		}
	case map[string]any:
		for k, item := range v {
			if msg := textProblem(k); msg != "" {
				return &huma.ErrorDetail{Location: loc, Message: "property names " + msg}
			}
			var prop *huma.Schema
			if schema != nil {
				prop = schema.Properties[k]
			}
			if d := s.walkValue(loc+"."+k, prop, item); d != nil {
				return d
			}
		}
	case []any:
		var items *huma.Schema
		if schema != nil {
			items = schema.Items
		}
		for i, item := range v {
			if d := s.walkValue(loc+"["+strconv.Itoa(i)+"]", items, item); d != nil {
				return d
			}
		}
	}
	return nil
}

// resolve follows a $ref into the registry.
func (s *Server) resolve(schema *huma.Schema) *huma.Schema {
	if schema != nil && schema.Ref != "" {
		return s.api.OpenAPI().Components.Schemas.SchemaFromRef(schema.Ref)
	}
	return schema
}

// dateProblem refuses a date or date-time outside the accepted years; text that does not parse is left
// to the format validation, which names it better.
func (s *Server) dateProblem(schema *huma.Schema, v string) string {
	schema = s.resolve(schema)
	if schema == nil {
		return ""
	}
	var t time.Time
	var err error
	switch schema.Format {
	case "date-time":
		t, err = time.Parse(time.RFC3339Nano, v)
	case "date":
		t, err = time.Parse(time.DateOnly, v)
	default:
		return ""
	}
	if err == nil && (t.Year() < domain.MinYear || t.Year() > domain.MaxYear) {
		return "must be between the years " + strconv.Itoa(domain.MinYear) + " and " + strconv.Itoa(domain.MaxYear)
	}
	return ""
}
