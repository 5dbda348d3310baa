package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
)

// The walker calls every operation of the OpenAPI document that a suite selects, with the IDs the suite
// gives and a body built from the operation's request schema, so a route added later is attacked
// without anyone adding it to a list. What it cannot build (a path parameter it has no ID for, a schema
// it cannot satisfy) is an error, and the suites fail on it rather than skip the route.

// walkOp is one operation of the document.
type walkOp struct {
	ID, Method, Path string
	// query lists the required query parameters with their schemas.
	query map[string]map[string]any
	// body is the request body's schema (nil when the operation takes none); multipart marks a form upload.
	body      map[string]any
	multipart bool
}

// walker holds the document the operations come from, to resolve schema references.
type walker struct {
	schemas map[string]map[string]any
	ops     []walkOp
}

// walkIDs maps a path parameter, or a body property of the same name, to the ID to send.
type walkIDs map[string]string

// walkBodies are fields the schema cannot express, by operation ID, set over the body built from it: a
// Tiptap document is an open object, and a time entry needs one of two optional fields.
var walkBodies = map[string]map[string]any{
	"create-comment":    commentBody("walker", "<p>walker</p>"),
	"update-comment":    commentBody("walker", "<p>walker</p>"),
	"create-time-entry": {"date": "2026-01-05"},
}

// mustWalker reads the generated OpenAPI document. Operations come sorted, deleting an organization last.
func mustWalker(t *testing.T) *walker {
	t.Helper()
	raw, err := api.OpenAPIDocument()
	require.NoError(t, err)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name     string         `json:"name"`
				In       string         `json:"in"`
				Required bool           `json:"required"`
				Schema   map[string]any `json:"schema"`
			} `json:"parameters"`
			RequestBody *struct {
				Content map[string]struct {
					Schema map[string]any `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	w := &walker{schemas: doc.Components.Schemas}
	for path, methods := range doc.Paths {
		for method, op := range methods {
			o := walkOp{ID: op.OperationID, Method: strings.ToUpper(method), Path: path, query: map[string]map[string]any{}}
			for _, p := range op.Parameters {
				if p.In == "query" && p.Required {
					o.query[p.Name] = p.Schema
				}
			}
			if op.RequestBody != nil {
				if c, ok := op.RequestBody.Content["application/json"]; ok {
					o.body = c.Schema
				} else if c, ok := op.RequestBody.Content["multipart/form-data"]; ok {
					o.body, o.multipart = c.Schema, true
				}
			}
			w.ops = append(w.ops, o)
		}
	}
	sort.Slice(w.ops, func(i, j int) bool {
		di, dj := w.ops[i].isOrgDelete(), w.ops[j].isOrgDelete()
		if di != dj {
			return dj
		}
		return w.ops[i].Path+w.ops[i].Method < w.ops[j].Path+w.ops[j].Method
	})
	return w
}

func (o walkOp) isOrgDelete() bool {
	return o.Method == http.MethodDelete && o.Path == "/api/v1/orgs/{org_id}"
}

// operations returns the operations keep selects; a suite that selects none fails.
func (w *walker) operations(t *testing.T, keep func(walkOp) bool) []walkOp {
	t.Helper()
	var out []walkOp
	for _, o := range w.ops {
		if keep(o) {
			out = append(out, o)
		}
	}
	require.NotEmpty(t, out, "the walker selected no operation")
	return out
}

// pathParam matches the {name} parameters of a path template.
var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// hasParam reports whether the operation's path takes the parameter.
func (o walkOp) hasParam(name string) bool { return strings.Contains(o.Path, "{"+name+"}") }

// bodyProperty reports whether the operation's JSON or form body has a property of that name.
func (w *walker) bodyProperty(o walkOp, name string) bool {
	if o.body == nil {
		return false
	}
	props, _ := w.resolve(o.body)["properties"].(map[string]any)
	_, ok := props[name]
	return ok
}

// walkRequest is one call of an operation.
type walkRequest struct {
	Method, Path string
	Body         any
	Headers      []header
}

// request builds the call of o with ids: every path parameter substituted, the required query parameters
// and a minimal valid body. Errors name what the walker could not build.
func (w *walker) request(o walkOp, ids walkIDs) (walkRequest, error) {
	r := walkRequest{Method: o.Method}
	var missing []string
	r.Path = pathParam.ReplaceAllStringFunc(o.Path, func(m string) string {
		name := m[1 : len(m)-1]
		id, ok := ids[name]
		if !ok {
			missing = append(missing, name)
		}
		return id
	})
	if len(missing) > 0 {
		return r, fmt.Errorf("%s %s: the suite has no ID for path parameter(s) %v", o.Method, o.Path, missing)
	}
	var q []string
	for name, s := range o.query {
		v, err := w.example(s, name, ids)
		if err != nil {
			return r, fmt.Errorf("%s %s: query %s: %w", o.Method, o.Path, name, err)
		}
		q = append(q, name+"="+fmt.Sprint(v))
	}
	if len(q) > 0 {
		sort.Strings(q)
		r.Path += "?" + strings.Join(q, "&")
	}
	body, headers, err := w.requestBody(o, ids)
	if err != nil {
		return r, fmt.Errorf("%s %s (%s): body: %w", o.Method, o.Path, o.ID, err)
	}
	r.Body, r.Headers = body, headers
	return r, nil
}

func (w *walker) requestBody(o walkOp, ids walkIDs) (any, []header, error) {
	if o.body == nil {
		return nil, nil, nil
	}
	if o.multipart {
		return w.multipartBody(o.body, ids)
	}
	b, err := w.example(o.body, "", ids)
	if m, ok := b.(map[string]any); ok {
		for k, v := range walkBodies[o.ID] {
			m[k] = v
		}
	}
	return b, nil, err
}

// walkBoundary separates the parts of the walker's form uploads.
const walkBoundary = "walkerboundary"

// multipartBody is a form with every required field: binary ones as a small text file.
func (w *walker) multipartBody(schema map[string]any, ids walkIDs) (any, []header, error) {
	s := w.resolve(schema)
	props, _ := s["properties"].(map[string]any)
	var b strings.Builder
	for _, name := range w.fields(s, ids) {
		p, _ := props[name].(map[string]any)
		if p["format"] == "binary" {
			fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=%q; filename=\"walker.txt\"\r\n"+
				"Content-Type: text/plain\r\n\r\nwalker\r\n", walkBoundary, name)
			continue
		}
		v, err := w.example(p, name, ids)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=%q\r\n\r\n%v\r\n", walkBoundary, name, v)
	}
	fmt.Fprintf(&b, "--%s--\r\n", walkBoundary)
	return b.String(), []header{{"Content-Type", "multipart/form-data; boundary=" + walkBoundary}}, nil
}

// fields are the properties a body sends: the required ones and any the suite has an ID for, sorted so
// that form fields come before the file part.
func (w *walker) fields(s map[string]any, ids walkIDs) []string {
	props, _ := s["properties"].(map[string]any)
	set := map[string]bool{}
	req, _ := s["required"].([]any)
	for _, r := range req {
		set[r.(string)] = true
	}
	for name := range props {
		if _, ok := ids[name]; ok {
			set[name] = true
		}
	}
	delete(set, "$schema")
	out := make([]string, 0, len(set))
	for name := range set {
		out = append(out, name)
	}
	sort.Slice(out, func(i, j int) bool {
		bi, bj := isBinary(props[out[i]]), isBinary(props[out[j]])
		if bi != bj {
			return bj
		}
		return out[i] < out[j]
	})
	return out
}

func isBinary(p any) bool {
	m, _ := p.(map[string]any)
	return m["format"] == "binary"
}

// resolve follows a $ref to the component schema.
func (w *walker) resolve(s map[string]any) map[string]any {
	if ref, ok := s["$ref"].(string); ok {
		return w.schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
	}
	return s
}

// example is a minimal valid value of schema s for a property called name: the suite's ID when it has
// one for that name, else the smallest value the schema accepts.
func (w *walker) example(s map[string]any, name string, ids walkIDs) (any, error) {
	if id, ok := ids[name]; ok && name != "" {
		return id, nil
	}
	s = w.resolve(s)
	if s == nil {
		return nil, fmt.Errorf("%s: unresolved schema", name)
	}
	switch schemaType(s) {
	case "object":
		props, _ := s["properties"].(map[string]any)
		out := map[string]any{}
		for _, f := range w.fields(s, ids) {
			p, _ := props[f].(map[string]any)
			v, err := w.example(p, f, ids)
			if err != nil {
				return nil, err
			}
			out[f] = v
		}
		return out, nil
	case "array":
		n, _ := s["minItems"].(float64)
		items, _ := s["items"].(map[string]any)
		out := []any{}
		for range int(n) {
			v, err := w.example(items, "", ids)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case "integer", "number":
		v := 1.0
		if lo, ok := s["minimum"].(float64); ok && lo > v {
			v = lo
		}
		if hi, ok := s["maximum"].(float64); ok && hi < v {
			v = hi
		}
		return int64(v), nil
	case "boolean":
		return false, nil
	case "string":
		return walkString(s, name)
	}
	return nil, fmt.Errorf("%s: no example for schema %v", name, s)
}

func schemaType(s map[string]any) string {
	switch t := s["type"].(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if x != "null" {
				return x.(string)
			}
		}
	}
	if _, ok := s["properties"]; ok {
		return "object"
	}
	return ""
}

func walkString(s map[string]any, name string) (any, error) {
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[0], nil
	}
	switch s["format"] {
	case "uuid":
		return uuid.NewString(), nil
	case "date":
		return "2026-01-05", nil
	case "date-time":
		return "2026-01-05T10:00:00Z", nil
	case "email":
		return "walker@example.com", nil
	}
	if _, ok := s["pattern"]; ok {
		return nil, fmt.Errorf("%s: cannot make a string matching %v: add the operation to walkBodies", name, s["pattern"])
	}
	v := "walker"
	if lo, ok := s["minLength"].(float64); ok && int(lo) > len(v) {
		v = strings.Repeat("w", int(lo))
	}
	if hi, ok := s["maxLength"].(float64); ok && int(hi) < len(v) {
		v = v[:int(hi)]
	}
	return v, nil
}

// fresh returns ids with every ID replaced by a new random one (names that are not IDs kept): the same
// request aimed at nothing, to compare "hidden" with "missing".
func (ids walkIDs) fresh(keep ...string) walkIDs {
	out := walkIDs{}
	for k, v := range ids {
		if _, err := uuid.Parse(v); err == nil && !slices.Contains(keep, k) {
			out[k] = uuid.NewString()
		} else {
			out[k] = v
		}
	}
	return out
}

// do sends the request as b.
func (r walkRequest) do(b *browser) *response { return b.Do(r.Method, r.Path, r.Body, r.Headers...) }
