package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// projectScopedParams are parameter names that point inside a project.
var projectScopedParams = []string{"projectID", "taskID", "columnID", "commentID", "fileID", "subtaskID"}

// projectScopedTypes lists the domain types that carry an ID inside a project (a body such as an invoice
// naming its project, or a filter): a field named like a projectScopedParam, capitalised. An exported
// method taking one is held to the rule as if it took the ID itself.
func projectScopedTypes(t *testing.T) map[string]bool {
	t.Helper()
	fields := map[string]bool{}
	for _, p := range projectScopedParams {
		fields[strings.ToUpper(p[:1])+p[1:]] = true
	}
	paths, err := filepath.Glob("../domain/*.go")
	if err != nil || len(paths) == 0 {
		t.Fatalf("domain sources: %v (%d files)", err, len(paths))
	}
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			if st, ok := spec.Type.(*ast.StructType); ok {
				for _, field := range st.Fields.List {
					for _, name := range field.Names {
						if fields[name.Name] {
							out["domain."+spec.Name.Name] = true
						}
					}
				}
			}
			return false
		})
	}
	return out
}

// viewerlessEntryPoints may reach inside a project without a viewer, each for a stated reason.
var viewerlessEntryPoints = map[string]string{
	"FileForDelivery":      "the signed, expiring URL is the permission (checked by the API before the call)",
	"MarkInvoiceOverdue":   "the overdue workflow acts for the organization, not a member",
	"InvoiceAsSystem":      "the overdue workflow reads for the organization, not a member",
	"InvoiceByPublicToken": "the public link's token is the permission",
	"Recipients":           "the fan-out has no viewer: it applies the visibility rule to each recipient (memberSeesProjectSQL)",
	"FanOutTask":           "the fan-out reads a task's heading for the texts; who hears of it is decided by Recipients",
	"FanOutComment":        "the fan-out reads whether a comment is internal or a contact's, to narrow (never widen) Recipients",
	"FanOutSharedFile":     "the fan-out reads a shared file's name for the texts; who hears of it is decided by Recipients",
	"Notify":               "writes for the recipients Recipients kept, under the rule applied to each of them",
}

// storeSource is the package's non-test code, parsed.
type storeSource struct {
	files map[string]*ast.File
}

func mustParseStore(t *testing.T) storeSource {
	t.Helper()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	src := storeSource{files: map[string]*ast.File{}}
	fset := token.NewFileSet()
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		src.files[p] = f
	}
	return src
}

// funcs calls fn for every function declaration with the file it is in.
func (s storeSource) funcs(fn func(file string, d *ast.FuncDecl)) {
	for name, f := range s.files {
		for _, decl := range f.Decls {
			if d, ok := decl.(*ast.FuncDecl); ok {
				fn(name, d)
			}
		}
	}
}

// paramTypes maps each parameter name of d to its type as written.
func paramTypes(d *ast.FuncDecl) map[string]string {
	out := map[string]string{}
	for _, field := range d.Type.Params.List {
		typ := exprString(field.Type)
		for _, n := range field.Names {
			out[n.Name] = typ
		}
	}
	return out
}

func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	}
	return ""
}

// names lists every identifier a function body mentions (calls, constants, selectors).
func names(d *ast.FuncDecl) []string {
	var out []string
	if d.Body == nil {
		return nil
	}
	ast.Inspect(d.Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			out = append(out, id.Name)
		}
		return true
	})
	return out
}

// TestProjectScopedHelpersTakeTheHandle keeps the visibility rule enforced by construction: only
// project_access.go makes a projectTx; no helper takes a raw transaction together with an ID inside a
// project (it must take the handle instead); and every exported method that takes such an ID, or a domain
// type carrying one (CreateInvoice's invoice, UpdateInvoice's update), takes the viewer and reaches one of
// the checks in project_access.go.
func TestProjectScopedHelpersTakeTheHandle(t *testing.T) {
	src := mustParseStore(t)
	bodies := projectScopedTypes(t)
	if !bodies["domain.Invoice"] || !bodies["domain.InvoiceUpdate"] {
		t.Fatalf("the invoice types name a project but were not found among %v", bodies)
	}
	// portalArgs binds the client portal's rule (store/portal.go), the gateway of methods taking a PortalViewer.
	gateways := map[string]bool{"taskDetailRead": true, "portalArgs": true}
	for _, decl := range src.files["project_access.go"].Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			gateways[d.Name.Name] = true
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				if v, ok := spec.(*ast.ValueSpec); ok {
					for _, n := range v.Names {
						gateways[n.Name] = true
					}
				}
			}
		}
	}
	reaches := reachingGateways(src, gateways)

	for name, f := range src.files {
		if name == "project_access.go" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			// The zero value (returned with an error) has no transaction and opens nothing.
			if lit, ok := n.(*ast.CompositeLit); ok && exprString(lit.Type) == "projectTx" && len(lit.Elts) > 0 {
				t.Errorf("%s makes a projectTx: only project_access.go may, after the visibility check", name)
			}
			return true
		})
	}
	src.funcs(func(file string, d *ast.FuncDecl) {
		if file == "project_access.go" {
			return
		}
		params := paramTypes(d)
		var scoped []string
		for _, p := range projectScopedParams {
			if _, ok := params[p]; ok {
				scoped = append(scoped, p)
			}
		}
		if len(scoped) > 0 && slices.Contains(mapsValues(params), "bun.Tx") {
			t.Errorf("%s: %s takes a bun.Tx with %v: take a projectTx instead, so the caller must have checked visibility",
				file, d.Name.Name, scoped)
		}
		if !d.Name.IsExported() || d.Recv == nil {
			return
		}
		for name, typ := range params {
			if bodies[strings.TrimPrefix(typ, "*")] {
				scoped = append(scoped, name+" "+typ)
			}
		}
		if len(scoped) == 0 {
			return
		}
		if _, ok := viewerlessEntryPoints[d.Name.Name]; ok {
			return
		}
		if !hasViewer(params) {
			t.Errorf("%s: %s takes %v but no domain.Viewer: it cannot check who may see the project", file, d.Name.Name, scoped)
		}
		if !reaches[d.Name.Name] {
			t.Errorf("%s: %s takes %v but reaches none of the visibility checks in project_access.go", file, d.Name.Name, scoped)
		}
	})
}

// TestInvoiceMethodsTakeTheViewer holds every exported invoice method (its name says Invoice) to the
// visibility rule by its ID alone: an invoice belongs to a project, so a write such as DeleteInvoice or
// VoidInvoice naming one by ID must take the viewer, read it through invoiceVisibleArgs (the invoice
// rule) or a project check, and never fall back on systemViewer, which sees every invoice. Only the
// viewerlessEntryPoints, each with its reason, act without a viewer.
func TestInvoiceMethodsTakeTheViewer(t *testing.T) {
	src := mustParseStore(t)
	gateways := map[string]bool{"invoiceVisibleArgs": true, "portalArgs": true}
	for _, decl := range src.files["project_access.go"].Decls {
		if d, ok := decl.(*ast.FuncDecl); ok {
			gateways[d.Name.Name] = true
		}
	}
	reaches := reachingGateways(src, gateways)
	system := reachingGateways(src, map[string]bool{"systemViewer": true})
	seen := 0
	src.funcs(func(file string, d *ast.FuncDecl) {
		if d.Recv == nil || !d.Name.IsExported() || !strings.Contains(d.Name.Name, "Invoice") {
			return
		}
		seen++
		if _, ok := viewerlessEntryPoints[d.Name.Name]; ok {
			return
		}
		switch {
		case !hasViewer(paramTypes(d)):
			t.Errorf("%s: %s takes no domain.Viewer: it cannot check who may see the invoice's project", file, d.Name.Name)
		case system[d.Name.Name]:
			t.Errorf("%s: %s reaches systemViewer: it must read the invoice with its own viewer's visibility", file, d.Name.Name)
		case !reaches[d.Name.Name]:
			t.Errorf("%s: %s reaches neither invoiceVisibleArgs nor a check in project_access.go", file, d.Name.Name)
		}
	})
	// DeleteInvoice, SendInvoice, RecordInvoicePayment, VoidInvoice and the rest: the filter still matches.
	if seen < 10 {
		t.Fatalf("found %d exported invoice methods, want at least 10: the name filter no longer finds them", seen)
	}
}

// hasViewer reports whether a function takes a viewer: a member's, or a client portal's (domain.PortalViewer).
func hasViewer(params map[string]string) bool {
	types := mapsValues(params)
	return slices.Contains(types, "domain.Viewer") || slices.Contains(types, "domain.PortalViewer")
}

// reachingGateways reports, per function name, whether its body mentions a gateway or a function that
// does (names are unique enough inside one package for this purpose).
func reachingGateways(src storeSource, gateways map[string]bool) map[string]bool {
	bodies := map[string][]string{}
	src.funcs(func(_ string, d *ast.FuncDecl) { bodies[d.Name.Name] = append(bodies[d.Name.Name], names(d)...) })
	reaches := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for fn, ids := range bodies {
			if reaches[fn] {
				continue
			}
			for _, id := range ids {
				if gateways[id] || reaches[id] {
					reaches[fn], changed = true, true
					break
				}
			}
		}
	}
	return reaches
}

func mapsValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
