package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/domain"
)

// The walker is the one place that reads the operations of the OpenAPI document, fills their path ids and
// builds a minimal valid request for each. The visibility, cross-tenant, permission and fuzz suites select
// operations from it, so a route added later is attacked without anyone adding it to a list. What it
// cannot build (a path parameter it has no ID for, a schema it cannot satisfy) is an error, and the
// suites fail on it rather than skip the route.

// openAPIDoc is the part of the OpenAPI document the walker reads.
type openAPIDoc struct {
	Paths      map[string]map[string]*apiOperation `json:"paths"`
	Components struct {
		Schemas map[string]*jsonSchema `json:"schemas"`
	} `json:"components"`
}

// apiOperation is one operation of the document.
type apiOperation struct {
	OperationID string                `json:"operationId"`
	Security    []map[string][]string `json:"security"`
	Permission  domain.Permission     `json:"x-permission"`
	// Portal marks an organization route client contacts may call (x-portal).
	Portal     bool `json:"x-portal"`
	Parameters []struct {
		Name     string      `json:"name"`
		In       string      `json:"in"`
		Required bool        `json:"required"`
		Schema   *jsonSchema `json:"schema"`
	} `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema *jsonSchema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
}

// jsonSchema is the part of a JSON Schema the walker reads.
type jsonSchema struct {
	Ref        string                 `json:"$ref"`
	Type       any                    `json:"type"`
	Format     string                 `json:"format"`
	Pattern    string                 `json:"pattern"`
	Enum       []any                  `json:"enum"`
	Properties map[string]*jsonSchema `json:"properties"`
	Required   []string               `json:"required"`
	Items      *jsonSchema            `json:"items"`
	Minimum    *float64               `json:"minimum"`
	Maximum    *float64               `json:"maximum"`
	MinLength  *int                   `json:"minLength"`
	MaxLength  *int                   `json:"maxLength"`
	MinItems   *int                   `json:"minItems"`
}

// isType reports whether the schema's type is t (or a list holding t, as for nullable fields). A schema
// with properties and no type is an object.
func (s *jsonSchema) isType(t string) bool {
	switch v := s.Type.(type) {
	case string:
		return v == t
	case []any:
		return slices.Contains(v, any(t))
	}
	return t == "object" && s.Properties != nil
}

// resolve follows $ref to the component schema.
func (d *openAPIDoc) resolve(s *jsonSchema) *jsonSchema {
	for i := 0; s != nil && s.Ref != "" && i < 10; i++ {
		s = d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	return s
}

// walkOp is one operation of the document.
type walkOp struct {
	ID, Method, Path string
	*apiOperation
	// body is the request body's schema (nil when the operation takes none); multipart marks a form upload.
	body      *jsonSchema
	multipart bool
}

// walker holds the document and its operations, sorted by path and method with deleting an organization
// last (a suite walking in order keeps its organization to the end).
type walker struct {
	doc *openAPIDoc
	ops []walkOp
}

// walkIDs maps a path parameter, or a body property of the same name, to the value to send.
type walkIDs map[string]string

// walkBodies are fields the schema cannot express, by operation ID, set over the body built from it: a
// Tiptap document is an open object, and a time entry needs one of two optional fields.
var walkBodies = map[string]map[string]any{
	"create-comment":    commentBody("walker", "<p>walker</p>"),
	"update-comment":    commentBody("walker", "<p>walker</p>"),
	"create-time-entry": {"date": "2026-01-05"},
	// A public URL and a real event type: the handler checks both beyond what the schema says.
	"create-webhook-endpoint": {"url": "https://hooks.walker.example/in", "events": []string{"task.created"}},
	// A browser's PushSubscription JSON: a push service endpoint and a real P-256 key, which no schema says.
	"create-push-subscription": {"endpoint": "https://push.walker.example/sub",
		"keys": map[string]any{"p256dh": walkerP256dh, "auth": "MDEyMzQ1Njc4OWFiY2RlZg"}},
}

// walkerP256dh is a P-256 public key, uncompressed and base64url, as browsers send it.
const walkerP256dh = "BLAsnPt6yAhPV68vRYx9tA6IauLotd-Rf54X1Lvkve25YwUrdMdO6QO0zFo_03-UmTMwFPa7OmfY_hmnhZoWcD8"

// mustWalker reads the generated OpenAPI document.
func mustWalker(t *testing.T) *walker {
	t.Helper()
	raw, err := api.OpenAPIDocument()
	require.NoError(t, err)
	w := &walker{doc: &openAPIDoc{}}
	require.NoError(t, json.Unmarshal(raw, w.doc))
	for path, methods := range w.doc.Paths {
		for method, op := range methods {
			o := walkOp{ID: op.OperationID, Method: strings.ToUpper(method), Path: path, apiOperation: op}
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
	s := w.doc.resolve(o.body)
	if s == nil {
		return false
	}
	_, ok := s.Properties[name]
	return ok
}

// walkRequest is one call of an operation.
type walkRequest struct {
	Method, Path string
	// Query holds the required query parameters.
	Query   url.Values
	Body    any
	Headers []header
}

// url is the path with the query.
func (r walkRequest) url() string {
	if len(r.Query) == 0 {
		return r.Path
	}
	return r.Path + "?" + r.Query.Encode()
}

// do sends the request as b.
func (r walkRequest) do(b *browser) *response { return b.Do(r.Method, r.url(), r.Body, r.Headers...) }

// request builds the call of o with ids: every path parameter substituted, the required query parameters
// (and the optional ones ids names) and a minimal valid body. Errors name what the walker could not build.
func (w *walker) request(o walkOp, ids walkIDs) (walkRequest, error) {
	r := walkRequest{Method: o.Method, Query: url.Values{}}
	path, err := fillPath(o.Path, ids, "", "")
	if err != nil {
		return r, fmt.Errorf("%s %s: %w", o.Method, o.Path, err)
	}
	r.Path = path
	for _, p := range o.Parameters {
		// The required query parameters, and the optional ones the suite aims (a portal preview's client_id).
		if _, aimed := ids[p.Name]; p.In != "query" || !p.Required && !aimed {
			continue
		}
		v, err := w.example(p.Schema, p.Name, ids)
		if err != nil {
			return r, fmt.Errorf("%s %s: query %s: %w", o.Method, o.Path, p.Name, err)
		}
		r.Query.Set(p.Name, fmt.Sprint(v))
	}
	body, headers, err := w.requestBody(o, ids)
	if err != nil {
		return r, fmt.Errorf("%s %s (%s): body: %w", o.Method, o.Path, o.ID, err)
	}
	r.Body, r.Headers = body, headers
	return r, nil
}

// fillPath puts ids into a path template, and bad (raw, already escaped) into the parameter named param.
// A parameter with no ID is an error: the suite must say what to aim the route at.
func fillPath(template string, ids walkIDs, param, bad string) (string, error) {
	var missing []string
	path := pathParam.ReplaceAllStringFunc(template, func(m string) string {
		name := m[1 : len(m)-1]
		if name == param {
			return bad
		}
		id, ok := ids[name]
		if !ok {
			missing = append(missing, name)
		}
		return id
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("the suite has no ID for path parameter(s) %v", missing)
	}
	return path, nil
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
func (w *walker) multipartBody(schema *jsonSchema, ids walkIDs) (any, []header, error) {
	s := w.doc.resolve(schema)
	var b strings.Builder
	for _, name := range w.fields(s, ids) {
		p := w.doc.resolve(s.Properties[name])
		if isBinary(p) {
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
func (w *walker) fields(s *jsonSchema, ids walkIDs) []string {
	set := map[string]bool{}
	for _, r := range s.Required {
		set[r] = true
	}
	for name := range s.Properties {
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
		bi, bj := isBinary(s.Properties[out[i]]), isBinary(s.Properties[out[j]])
		if bi != bj {
			return bj
		}
		return out[i] < out[j]
	})
	return out
}

func isBinary(p *jsonSchema) bool { return p != nil && p.Format == "binary" }

// example is a minimal valid value of schema s for a property called name: the suite's ID when it has
// one for that name, else the smallest value the schema accepts.
func (w *walker) example(s *jsonSchema, name string, ids walkIDs) (any, error) {
	if id, ok := ids[name]; ok && name != "" {
		return id, nil
	}
	s = w.doc.resolve(s)
	switch {
	case s == nil:
		return nil, fmt.Errorf("%s: unresolved schema", name)
	case s.isType("object"):
		out := map[string]any{}
		for _, f := range w.fields(s, ids) {
			v, err := w.example(s.Properties[f], f, ids)
			if err != nil {
				return nil, err
			}
			out[f] = v
		}
		return out, nil
	case s.isType("array"):
		out := []any{}
		for range derefOr(s.MinItems, 0) {
			v, err := w.example(s.Items, "", ids)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case s.isType("integer"), s.isType("number"):
		v := max(1.0, derefOr(s.Minimum, 1))
		return int64(min(v, derefOr(s.Maximum, v))), nil
	case s.isType("boolean"):
		return false, nil
	case s.isType("string"):
		return walkString(s, name)
	}
	return nil, fmt.Errorf("%s: no example for schema of type %v", name, s.Type)
}

func derefOr[T any](p *T, or T) T {
	if p == nil {
		return or
	}
	return *p
}

func walkString(s *jsonSchema, name string) (any, error) {
	if len(s.Enum) > 0 {
		return s.Enum[0], nil
	}
	switch s.Format {
	case "uuid":
		return uuid.NewString(), nil
	case "date":
		return "2026-01-05", nil
	case "date-time":
		return "2026-01-05T10:00:00Z", nil
	case "email":
		return "walker@example.com", nil
	}
	if s.Pattern != "" {
		return nil, fmt.Errorf("%s: cannot make a string matching %v: add the operation to walkBodies", name, s.Pattern)
	}
	v := "walker"
	if lo := derefOr(s.MinLength, 0); lo > len(v) {
		v = strings.Repeat("w", lo)
	}
	return v[:min(len(v), derefOr(s.MaxLength, len(v)))], nil
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
