package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store/storetest"
)

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
	ids   walkIDs
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
	ids := walkIDs{
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
		"hash":            strings.Repeat("ab", 32),
		"notification_id": mustInsertNotification(t, srv.DB, w.orgID, o.User.ID, o.User.ID, "task_assigned", "Fuzz note"),
		"subscription_id": mustCreateID(t, o, "/api/v1/orgs/"+w.orgID+"/push-subscriptions", walkBodies["create-push-subscription"]),
	}
	ids["endpoint_id"], ids["delivery_id"] = mustWebhookDelivery(t, o, w.orgID)
	key, _ := mustCreateAPIKey(t, o, w.orgID, map[string]any{"name": "Fuzz key", "expires_in": "30d"})
	ids["key_id"] = key.ID
	// A domain the organization never claimed: verifying a claim would ask the system's DNS.
	ids["domain"] = "fuzz.example"
	res := o.Do(http.MethodPost, "/api/v1/orgs/"+w.orgID+"/exports", map[string]any{"kind": "clients"})
	MustStatus(t, res, http.StatusAccepted)
	var e struct{ ID string }
	res.MustJSON(t, &e)
	ids["export_id"] = e.ID
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
// behind authentication are reached with real ids), and fails on any 5xx, and on any operation the walker
// cannot build a valid request for (the malformed inputs are that request with one thing broken). The
// inputs are sampled with a fixed seed, so a failure reproduces. The operations are dealt to fuzzShards
// parallel walkers, each with its own fixture, since an operation may sign its owner out or delete the
// organization.
func TestNoServerErrorFromMalformedInput(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, func(d *api.Deps) {
		d.Config.RateLimitAPI, d.Config.RateLimitSession, d.Config.RateLimitAuth = 1<<30, 1<<30, 1<<30
	})
	w := mustWalker(t)
	ops := w.operations(t, func(walkOp) bool { return true })
	for shard := range fuzzShards {
		t.Run(fmt.Sprintf("shard_%d", shard), func(t *testing.T) {
			t.Parallel()
			fx := mustFuzzFixture(t, srv)
			anon := srv.NewBrowser(t)
			rng := rand.New(rand.NewPCG(9, uint64(shard)))
			for i := shard; i < len(ops); i += fuzzShards {
				fx = fuzzOperation(t, srv, w, ops[i], fx, anon, rng)
			}
		})
	}
}

// fuzzShards is how many walkers share the operations.
const fuzzShards = 3

// fuzzOperation sends one operation's malformed inputs and returns the fixture, rebuilt when the
// operation broke it.
func fuzzOperation(t *testing.T, srv *testServer, w *walker, op walkOp, fx fuzzFixture, anon *browser, rng *rand.Rand) fuzzFixture {
	inputs, err := w.fuzzInputs(op, fx.ids, rng)
	if err != nil {
		t.Errorf("the walker cannot exercise this route: teach it (mustFuzzFixture or walkBodies): %v", err)
		return fx
	}
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
				t.Errorf("%s (%s %s) as %s with %s: %d %s\n  path: %.300s\n  body: %.300v", op.ID,
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

// fuzzInputs builds the malformed requests for one operation from the walker's valid one, each with one
// thing broken, shuffled with rng and capped.
func (w *walker) fuzzInputs(op walkOp, ids walkIDs, rng *rand.Rand) ([]fuzzInput, error) {
	valid, err := w.request(op, ids)
	if err != nil {
		return nil, err
	}
	withQuery := func(extra string) string {
		q := valid.Query.Encode()
		if extra != "" {
			q = strings.TrimPrefix(q+"&"+extra, "&")
		}
		return valid.Path + "?" + q
	}
	var out []fuzzInput
	add := func(what, p string, h ...header) {
		out = append(out, fuzzInput{what: what, path: p, body: valid.Body, header: append(slices.Clone(valid.Headers), h...)})
	}
	for _, p := range op.Parameters {
		switch p.In {
		case "path":
			for _, bad := range append(slices.Clone(badPathIDs), strings.ToUpper(ids[p.Name])) {
				path, _ := fillPath(op.Path, ids, p.Name, bad)
				add("path "+p.Name+"="+shorten(bad), path+"?"+valid.Query.Encode())
			}
		case "query":
			for _, bad := range badQueryValues {
				add("query "+p.Name+"="+shorten(bad), withQuery(url.QueryEscape(p.Name)+"="+bad))
			}
			add("query "+p.Name+" twice", withQuery(p.Name+"=1&"+p.Name+"=2"))
		case "header":
			add("header "+p.Name+" invalid UTF-8", withQuery(""), header{p.Name, "a\xffb"})
			add("header "+p.Name+" of 8 KiB", withQuery(""), header{p.Name, strings.Repeat("h", 8<<10)})
		}
	}
	add("undeclared query q=NUL", withQuery("q=%00"))
	add("query name of invalid UTF-8", withQuery("%FF=1"))
	if op.multipart {
		out = append(out, multipartInputs(withQuery(""), ids)...)
	} else if op.body != nil {
		out = append(out, w.bodyInputs(withQuery(""), valid.Body, op.body, ids)...)
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:min(len(out), maxInputsPerOperation)], nil
}

// maxBreakDepth is how deep below the body's top level bodyInputs breaks properties.
const maxBreakDepth = 3

// bodyInputs breaks the whole body, then each property in turn, at every depth down to maxBreakDepth
// (through objects and the first item of arrays of objects); the rest stays valid, so the broken value
// can reach the handler and the database.
func (w *walker) bodyInputs(path string, base any, schema *jsonSchema, ids walkIDs) []fuzzInput {
	var out []fuzzInput
	for _, bad := range badWholeBodies {
		out = append(out, fuzzInput{what: "body " + shorten(bad), path: path, body: bad})
	}
	out = append(out, fuzzInput{what: "body over 1 MiB", path: path, body: `{"x":"` + hugeText + hugeText + `"}`})
	obj, ok := base.(map[string]any)
	if !ok {
		return out
	}
	huge := true
	w.breakProperties(w.doc.resolve(schema), obj, func(v any) any { return v }, "body.", 0, ids, func(at string, prop *jsonSchema, body func(raw string) string) {
		for _, bad := range badValuesFor(prop) {
			out = append(out, fuzzInput{what: at + "=" + shorten(bad), path: path, body: body(bad)})
		}
		if huge && prop != nil && prop.isType("string") {
			huge = false
			out = append(out, fuzzInput{what: at + " near 1 MiB", path: path, body: body(`"` + hugeText + `"`)})
		}
	})
	return out
}

// breakProperties calls emit for every property of the object schema s, whose valid value is obj, with a
// function rendering the whole body with that property replaced by raw JSON text; wrap puts a changed
// obj back into the whole body. It then descends into properties that are objects or arrays of objects.
func (w *walker) breakProperties(s *jsonSchema, obj map[string]any, wrap func(any) any, at string, depth int, ids walkIDs,
	emit func(at string, prop *jsonSchema, body func(raw string) string)) {
	if s == nil || depth > maxBreakDepth {
		return
	}
	names := slices.Sorted(maps.Keys(s.Properties))
	for _, name := range names {
		prop := w.doc.resolve(s.Properties[name])
		with := func(v any) any {
			m := maps.Clone(obj)
			m[name] = v
			return wrap(m)
		}
		emit(at+name, prop, func(raw string) string {
			const marker = `"@@fuzz-marker@@"`
			return strings.Replace(mustJSON(with(json.RawMessage(marker))), marker, raw, 1)
		})
		if prop == nil {
			continue
		}
		child, childAt, childWrap := prop, at+name+".", with
		if prop.isType("array") {
			child, childAt = w.doc.resolve(prop.Items), at+name+"[0]."
			childWrap = func(v any) any { return with([]any{v}) }
		}
		if child == nil || len(child.Properties) == 0 {
			continue
		}
		valid, ok := firstObject(obj[name])
		if !ok {
			ex, _ := w.example(child, name, ids)
			if valid, ok = ex.(map[string]any); !ok {
				continue
			}
		}
		w.breakProperties(child, valid, childWrap, childAt, depth+1, ids, emit)
	}
}

// firstObject is v when it is an object, or the first item of v when that is one.
func firstObject(v any) (map[string]any, bool) {
	if a, ok := v.([]any); ok && len(a) > 0 {
		v = a[0]
	}
	m, ok := v.(map[string]any)
	return m, ok
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
func multipartInputs(path string, ids walkIDs) []fuzzInput {
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

// shorten keeps failure messages readable when a value is huge.
func shorten(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%.40q… (%d bytes)", s, len(s))
	}
	return fmt.Sprintf("%q", s)
}
