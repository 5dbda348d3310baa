package chaos_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binDir holds the api and worker binaries built once for every test in the package.
var binDir string

func TestMain(m *testing.M) {
	if os.Getenv("CLIENTFLOW_CHAOS") != "1" {
		fmt.Println("chaos: skipped (run with `make chaos`, which sets CLIENTFLOW_CHAOS=1)")
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "clientflow-chaos-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := 1
	if err := buildBinaries(dir); err != nil {
		fmt.Fprintln(os.Stderr, "chaos: build:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildBinaries compiles the programs under test as a deployment would, from the repository root.
func buildBinaries(dir string) error {
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "./cmd/api", "./cmd/worker")
	cmd.Dir = filepath.Join("..", "..", "..")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}
