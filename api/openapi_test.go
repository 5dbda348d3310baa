package api_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/clientflow/clientflow/api"
)

// TestOpenAPIDocumentIsCommitted keeps web/openapi.json (and the SPA types generated from it) in step with
// the handlers: the committed file must be exactly what the code renders.
func TestOpenAPIDocumentIsCommitted(t *testing.T) {
	t.Parallel()
	generated, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../web/openapi.json")
	if err != nil {
		t.Fatalf("read web/openapi.json: %v (run make openapi)", err)
	}
	if !bytes.Equal(generated, committed) {
		t.Fatal("web/openapi.json is stale: run make openapi")
	}
}
