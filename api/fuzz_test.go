package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store/storetest"
)

// openAPIDoc is the part of the OpenAPI document the walkers read.
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
	Parameters  []struct {
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

// jsonSchema is the part of a JSON Schema the walkers read.
type jsonSchema struct {
	Ref        string                 `json:"$ref"`
	Type       any                    `json:"type"`
	Format     string                 `json:"format"`
	Enum       []any                  `json:"enum"`
	Properties map[string]*jsonSchema `json:"properties"`
	Required   []string               `json:"required"`
	Items      *jsonSchema            `json:"items"`
	Minimum    *float64               `json:"minimum"`
	Maximum    *float64               `json:"maximum"`
	MinLength  *int                   `json:"minLength"`
	MinItems   *int                   `json:"minItems"`
}

// isType reports whether the schema's type is t (or a list holding t, as for nullable fields).
func (s *jsonSchema) isType(t string) bool {
	switch v := s.Type.(type) {
	case string:
		return v == t
	case []any:
		return slices.Contains(v, any(t))
	}
	return false
}

func mustOpenAPIDoc(t *testing.T) *openAPIDoc {
	t.Helper()
	raw, err := api.OpenAPIDocument()
	require.NoError(t, err)
	var doc openAPIDoc
	require.NoError(t, json.Unmarshal(raw, &doc))
	return &doc
}

func (d *openAPIDoc) resolve(s *jsonSchema) *jsonSchema {
	for i := 0; s != nil && s.Ref != "" && i < 10; i++ {
		s = d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	return s
}

// fuzzOp is one operation to walk, in a stable order.
type fuzzOp struct {
	Method, Path string
	*apiOperation
}

func (d *openAPIDoc) operations() []fuzzOp {
	var ops []fuzzOp
	for path, item := range d.Paths {
		for method, op := range item {
			ops = append(ops, fuzzOp{strings.ToUpper(method), path, op})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].OperationID < ops[j].OperationID })
	return ops
}

// fuzzInput is one malformed request: what it is (for the failure message), its path with query, body and
// headers.
type fuzzInput struct {
	what   string
	path   string
	body   any
	header []header
}

// Deliberately broken values. rawJSON values are spliced into bodies unescaped.
var (
	hugeText       = strings.Repeat("ü", (1<<20-4096)/2)
	deepObject     = strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)
	deeperArray    = strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	badStringJSON  = []string{`"a\u0000b"`, "\"a\xffb\"", `"\ud800"`, `12345`, `["x"]`, `{"a":1}`, `null`, `""`}
	badNumberJSON  = []string{`2147483648`, `-2147483649`, `9223372036854775808`, `-1`, `1e309`, `1.5`, `"1"`, `[1]`}
	badDateJSON    = []string{`"0000-01-01"`, `"10000-01-01"`, `"2026-13-45"`, `"0000-01-01T00:00:00Z"`, `"10000-01-01T00:00:00Z"`}
	badIDJSON      = []string{`"NOT-A-UUID"`, `"{00000000-0000-4000-8000-000000000000}"`, `"00000000000040008000000000000000"`}
	badOtherJSON   = []string{`"true"`, `2`, `[]`, `{}`, deepObject}
	badWholeBodies = []string{`[]`, `null`, `"x"`, `1e309`, `{"a":`, "{\"\xff\":1}", `{"\u0000":1}`, deepObject, deeperArray}
	badPathIDs     = []string{"%7B00000000-0000-4000-8000-000000000000%7D", "urn:uuid:00000000-0000-4000-8000-000000000000",
		"00000000000040008000000000000000", "%00", "%FF", strings.Repeat("a", 2000)}
	badQueryValues = []string{"%00", "%FF", "a%00b", strings.Repeat("q", 64<<10), "2147483648", "9223372036854775808",
		"-1", "1e309", "0000-01-01", "10000-01-01", "0000-01-01T00:00:00Z", "%7B00000000-0000-4000-8000-000000000000%7D"}
)

// fuzzFixture is an organization with one of everything, owned by a signed-in owner, and the ids a path
// parameter can name.
type fuzzFixture struct {
	owner *browser
	ids   map[string]string
}

// mustFuzzFixture builds the fixture through the API, as a customer would.
func mustFuzzFixture(t *testing.T, srv *testServer) fuzzFixture {
	t.Helper()
	w := mustWorkFixture(t, srv)
	mustVerify(t, srv.DB, w.owner)
	o := w.owner
	client := o.MustCreateClient(w.orgID, map[string]any{"name": "Fuzz client"})
	task := w.mustCreateTask(t, map[string]any{"title": "Fuzz task"})
	inv, _ := mustInvite(t, o, w.orgID, uniqueEmail(), "member")
	ids := map[string]string{
		"org_id": w.orgID, "project_id": w.project, "client_id": client.ID, "task_id": task.ID,
		"column_id": w.columns[0].ID, "user_id": o.User.ID, "invitation_id": inv.ID,
		"member_id":  mustMemberOf(t, o, w.orgID, o).ID,
		"subtask_id": mustCreateID(t, o, w.path("/tasks/"+task.ID+"/subtasks"), map[string]any{"title": "Sub"}),
		"comment_id": mustCreateID(t, o, w.path("/tasks/"+task.ID+"/comments"), map[string]any{
			"body_json": map[string]any{"type": "doc"}, "body_html": "<p>Hello</p>"}),
		"file_id":  mustUpload(t, o, w.path("/files"), "a.png", pngBytes, task.ID).ID,
		"entry_id": mustLogTime(t, o, w.orgID, map[string]any{"project_id": w.project, "date": "2026-01-05", "minutes": 60}).ID,
		"template_id": mustCreateID(t, o, "/api/v1/orgs/"+w.orgID+"/templates", map[string]any{"name": "Fuzz template",
			"body": map[string]any{"columns": []map[string]any{{"name": "Only"}}}}),
		"invoice_id": mustCreateID(t, o, "/api/v1/orgs/"+w.orgID+"/invoices", crossTenantInvoice(client.ID)),
		"session_id": "00000000-0000-4000-8000-000000000000", "role": "member", "token": "no-such-token",
	}
	return fuzzFixture{owner: o, ids: ids}
}

// mustCreateID posts body and returns the id of what was created.
func mustCreateID(t *testing.T, b *browser, path string, body any) string {
	t.Helper()
	res := b.Do(http.MethodPost, path, body)
	MustStatus(t, res, http.StatusCreated)
	var v struct{ ID string }
	res.MustJSON(t, &v)
	return v.ID
}

// intact reports whether the owner can still reach the fixture (an operation may have signed them out or
// deleted the organization, the project or the task).
func (f fuzzFixture) intact() bool {
	res := f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.ids["org_id"]+"/projects/"+f.ids["project_id"]+
		"/tasks/"+f.ids["task_id"], nil)
	return res.Status == http.StatusOK
}

// TestNoServerErrorFromMalformedInput walks every operation of the OpenAPI document with malformed paths,
// query strings, headers and bodies, as an anonymous caller and as an organization's owner (so handlers
// behind authentication are reached with real ids), and fails on any 5xx. The inputs are sampled with a
// fixed seed, so a failure reproduces. The operations are dealt to fuzzShards parallel walkers, each with
// its own fixture, since an operation may sign its owner out or delete the organization.
func TestNoServerErrorFromMalformedInput(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, func(d *api.Deps) { d.Config.RateLimitAPI, d.Config.RateLimitAuth = 1<<30, 1<<30 })
	doc := mustOpenAPIDoc(t)
	ops := doc.operations()
	for shard := range fuzzShards {
		t.Run(fmt.Sprintf("shard_%d", shard), func(t *testing.T) {
			t.Parallel()
			fx := mustFuzzFixture(t, srv)
			anon := srv.NewBrowser(t)
			rng := rand.New(rand.NewPCG(9, uint64(shard)))
			for i := shard; i < len(ops); i += fuzzShards {
				fx = fuzzOperation(t, srv, doc, ops[i], fx, anon, rng)
			}
		})
	}
}

// fuzzShards is how many walkers share the operations.
const fuzzShards = 3

// fuzzOperation sends one operation's malformed inputs and returns the fixture, rebuilt when the
// operation broke it.
func fuzzOperation(t *testing.T, srv *testServer, doc *openAPIDoc, op fuzzOp, fx fuzzFixture, anon *browser, rng *rand.Rand) fuzzFixture {
	inputs := doc.fuzzInputs(op, fx.ids, rng)
	anonInputs := inputs
	if len(op.Security) > 0 {
		anonInputs = inputs[:min(4, len(inputs))]
	}
	for _, c := range []struct {
		name   string
		b      *browser
		inputs []fuzzInput
	}{{"anonymous", anon, anonInputs}, {"owner", fx.owner, inputs}} {
		for _, in := range c.inputs {
			res := c.b.Do(op.Method, in.path, in.body, in.header...)
			if res.Status >= 500 {
				t.Errorf("%s (%s %s) as %s with %s: %d %s\n  path: %.300s\n  body: %.300v", op.OperationID,
					op.Method, op.Path, c.name, in.what, res.Status, res.Body, in.path, in.body)
			}
		}
	}
	if !fx.intact() {
		return mustFuzzFixture(t, srv)
	}
	return fx
}

// maxInputsPerOperation bounds the walk: enough for every kind of breakage on every operation, few
// enough for the suite to stay in the tens of seconds.
const maxInputsPerOperation = 24

// fuzzInputs builds the malformed requests for one operation, shuffled with rng and capped.
func (d *openAPIDoc) fuzzInputs(op fuzzOp, ids map[string]string, rng *rand.Rand) []fuzzInput {
	path := fillPath(op.Path, ids, "", "")
	query := url.Values{}
	var bodySchema *jsonSchema
	multipartBody := false
	if op.RequestBody != nil {
		bodySchema = op.RequestBody.Content["application/json"].Schema
		_, multipartBody = op.RequestBody.Content["multipart/form-data"]
	}
	for _, p := range op.Parameters {
		if p.In == "query" && p.Required {
			query.Set(p.Name, fmt.Sprint(d.example(p.Name, p.Schema, ids, 0)))
		}
	}
	var base any
	if bodySchema != nil {
		base = d.example("", bodySchema, ids, 0)
	}
	withQuery := func(extra string) string {
		q := query.Encode()
		if extra != "" {
			q = strings.TrimPrefix(q+"&"+extra, "&")
		}
		return path + "?" + q
	}
	var out []fuzzInput
	add := func(what, p string, body any, h ...header) {
		if body == nil && bodySchema != nil {
			body = mustJSON(base)
		}
		out = append(out, fuzzInput{what: what, path: p, body: body, header: h})
	}
	for _, p := range op.Parameters {
		switch p.In {
		case "path":
			for _, bad := range append(slices.Clone(badPathIDs), strings.ToUpper(ids[p.Name])) {
				add("path "+p.Name+"="+shorten(bad), fillPath(op.Path, ids, p.Name, bad)+"?"+query.Encode(), nil)
			}
		case "query":
			for _, bad := range badQueryValues {
				add("query "+p.Name+"="+shorten(bad), withQuery(url.QueryEscape(p.Name)+"="+bad), nil)
			}
			add("query "+p.Name+" twice", withQuery(p.Name+"=1&"+p.Name+"=2"), nil)
		case "header":
			add("header "+p.Name+" invalid UTF-8", withQuery(""), nil, header{p.Name, "a\xffb"})
			add("header "+p.Name+" of 8 KiB", withQuery(""), nil, header{p.Name, strings.Repeat("h", 8<<10)})
		}
	}
	add("undeclared query q=NUL", withQuery("q=%00"), nil)
	add("query name of invalid UTF-8", withQuery("%FF=1"), nil)
	if bodySchema != nil {
		out = append(out, d.bodyInputs(withQuery(""), base, bodySchema)...)
	}
	if multipartBody {
		out = append(out, multipartInputs(withQuery(""), ids)...)
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:min(len(out), maxInputsPerOperation)]
}

// bodyInputs breaks the whole body, then each top-level property in turn (the rest stays valid, so the
// broken value can reach the handler and the database).
func (d *openAPIDoc) bodyInputs(path string, base any, schema *jsonSchema) []fuzzInput {
	var out []fuzzInput
	for _, bad := range badWholeBodies {
		out = append(out, fuzzInput{what: "body " + shorten(bad), path: path, body: bad})
	}
	out = append(out, fuzzInput{what: "body over 1 MiB", path: path, body: `{"x":"` + hugeText + hugeText + `"}`})
	obj, ok := base.(map[string]any)
	schema = d.resolve(schema)
	if !ok || schema == nil {
		return out
	}
	names := make([]string, 0, len(schema.Properties))
	for name := range schema.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	huge := true
	for _, name := range names {
		prop := d.resolve(schema.Properties[name])
		for _, bad := range badValuesFor(prop) {
			out = append(out, fuzzInput{what: "body." + name + "=" + shorten(bad), path: path, body: withProperty(obj, name, bad)})
		}
		if huge && prop != nil && prop.isType("string") {
			huge = false
			out = append(out, fuzzInput{what: "body." + name + " near 1 MiB", path: path,
				body: withProperty(obj, name, `"`+hugeText+`"`)})
		}
	}
	return out
}

// badValuesFor picks the broken values that fit a property's type.
func badValuesFor(s *jsonSchema) []string {
	switch {
	case s == nil:
		return badOtherJSON
	case s.isType("integer"), s.isType("number"):
		return badNumberJSON
	case s.Format == "date", s.Format == "date-time":
		return append(badDateJSON, badStringJSON[:2]...)
	case s.Format == "uuid":
		return append(badIDJSON, badStringJSON[:2]...)
	case s.isType("string"):
		return badStringJSON
	case s.isType("array"):
		return []string{`{}`, `[null]`, `["a\u0000"]`, `[2147483648]`, deepObject}
	}
	return badOtherJSON
}

// withProperty renders obj as JSON with one property replaced by raw JSON text.
func withProperty(obj map[string]any, name, raw string) string {
	const marker = `"@@fuzz-marker@@"`
	m := make(map[string]any, len(obj)+1)
	for k, v := range obj {
		m[k] = v
	}
	m[name] = json.RawMessage(marker)
	return strings.Replace(mustJSON(m), marker, raw, 1)
}

func mustJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.TrimSpace(buf.String())
}

// multipartInputs are broken uploads: bad boundaries, fields after the file, hostile names and markup.
func multipartInputs(path string, ids map[string]string) []fuzzInput {
	form := func(what string, parts ...[3]string) fuzzInput {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for _, p := range parts {
			h := map[string][]string{"Content-Disposition": {`form-data; name="` + p[0] + `"` + p[1]}}
			part, _ := w.CreatePart(h)
			part.Write([]byte(p[2]))
		}
		w.Close()
		return fuzzInput{what: what, path: path, body: buf.Bytes(), header: []header{{"Content-Type", w.FormDataContentType()}}}
	}
	file := func(name, content string) [3]string { return [3]string{"file", `; filename="` + name + `"`, content} }
	return []fuzzInput{
		form("task_id after the file", file("a.txt", "hello"), [3]string{"task_id", "", ids["task_id"]}),
		form("task_id with NUL", [3]string{"task_id", "", "a\x00b"}, file("a.txt", "hello")),
		form("upper-case task_id", [3]string{"task_id", "", strings.ToUpper(ids["task_id"])}, file("a.txt", "hello")),
		form("file name with NUL and invalid UTF-8", file("a\x00\xff.txt", "hello")),
		form("file name with CR LF and quotes", file("a\r\nX-Evil: 1\\\".txt", "hello")),
		form("SVG without prolog", file("a.txt", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)),
		form("no file", [3]string{"task_id", "", ids["task_id"]}),
		{what: "no boundary", path: path, body: "--x\r\n", header: []header{{"Content-Type", "multipart/form-data"}}},
		{what: "truncated multipart", path: path, body: "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nab",
			header: []header{{"Content-Type", "multipart/form-data; boundary=x"}}},
	}
}

// example builds a valid-looking value for a schema, with real ids where a property names one, so that a
// single broken property is what the handler sees.
func (d *openAPIDoc) example(name string, s *jsonSchema, ids map[string]string, depth int) any {
	s = d.resolve(s)
	if s == nil || depth > 8 {
		return nil
	}
	switch {
	case len(s.Enum) > 0:
		return s.Enum[0]
	case s.isType("object"):
		m := map[string]any{}
		for _, req := range s.Required {
			m[req] = d.example(req, s.Properties[req], ids, depth+1)
		}
		return m
	case s.isType("array"):
		if s.MinItems != nil && *s.MinItems > 0 {
			return []any{d.example(name, s.Items, ids, depth+1)}
		}
		return []any{}
	case s.isType("integer"), s.isType("number"):
		if s.Minimum != nil && *s.Minimum > 1 {
			return *s.Minimum
		}
		return 1
	case s.isType("boolean"):
		return false
	}
	return exampleString(name, s, ids)
}

func exampleString(name string, s *jsonSchema, ids map[string]string) string {
	switch {
	case s.Format == "uuid" || strings.HasSuffix(name, "_id"):
		if id, ok := ids[name]; ok {
			return id
		}
		return "00000000-0000-4000-8000-000000000000"
	case s.Format == "email" || strings.Contains(name, "email"):
		return "fuzz@example.com"
	case s.Format == "date" || strings.HasSuffix(name, "_date") || name == "from" || name == "to":
		return "2026-01-05"
	case s.Format == "date-time":
		return "2026-01-05T10:00:00Z"
	case strings.Contains(name, "password"):
		return testPassword
	case name == "currency":
		return "EUR"
	case strings.Contains(name, "color"):
		return "#336699"
	}
	return "Fuzz"
}

// fillPath puts the fixture's ids into a path template, and bad (raw, already escaped) into param.
func fillPath(template string, ids map[string]string, param, bad string) string {
	var b strings.Builder
	for rest := template; rest != ""; {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest, '}')
		b.WriteString(rest[:open])
		name := rest[open+1 : end]
		switch id, ok := ids[name]; {
		case name == param:
			b.WriteString(bad)
		case ok:
			b.WriteString(id)
		default:
			b.WriteString("00000000-0000-4000-8000-000000000000")
		}
		rest = rest[end+1:]
	}
	return b.String()
}

// shorten keeps failure messages readable when a value is huge.
func shorten(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%.40q… (%d bytes)", s, len(s))
	}
	return fmt.Sprintf("%q", s)
}
