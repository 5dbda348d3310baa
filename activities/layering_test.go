package activities_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/clientflow/clientflow/"

// layers says which of our packages each layer must never depend on, directly or through another package
// (test files excluded): the API hands work to workflows through domain types and worker starters, activities
// are called by workflows by name and never call back, and workflows stay free of I/O.
var layers = map[string][]string{
	"api":        {"activities", "workflows"},
	"activities": {"workflows", "worker", "api"},
	"workflows":  {"activities", "worker", "api", "store"},
	"domain":     {""}, // the standard library only
}

// TestLayering fails when a package reaches a layer it must not import, e.g. the API importing
// activities/email for a template name, or an activity importing workflows for a shared type.
func TestLayering(t *testing.T) {
	for layer, forbidden := range layers {
		t.Run(layer, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", module+layer+"/...").CombinedOutput()
			if err != nil {
				t.Fatalf("go list: %v\n%s", err, out)
			}
			for _, dep := range strings.Fields(string(out)) {
				if !strings.HasPrefix(dep, module) || within(dep, layer) {
					continue
				}
				for _, f := range forbidden {
					if within(dep, f) {
						t.Errorf("%s depends on %s", layer, strings.TrimPrefix(dep, module))
					}
				}
			}
		})
	}
}

// within reports whether dep is our package pkg or one under it; "" stands for any of our packages.
func within(dep, pkg string) bool {
	return pkg == "" || dep == module+pkg || strings.HasPrefix(dep, module+pkg+"/")
}
