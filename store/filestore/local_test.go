package filestore_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientflow/clientflow/store/filestore"
)

func TestLocal(t *testing.T) {
	dir := t.TempDir()
	store, err := filestore.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	t.Run("put_open_delete", func(t *testing.T) {
		n, err := store.Put(ctx, "org/a.txt", "text/plain", strings.NewReader("hello"), 5)
		if err != nil || n != 5 {
			t.Fatalf("put: %d %v", n, err)
		}
		mustRead(t, store, "org/a.txt", []byte("hello"))
		if err := store.Delete(ctx, "org/a.txt"); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Open(ctx, "org/a.txt"); !errors.Is(err, filestore.ErrNotFound) {
			t.Fatalf("after delete: %v", err)
		}
		// The purge retries batches, so an object that is already gone counts as deleted.
		if err := store.Delete(ctx, "org/a.txt"); err != nil {
			t.Fatalf("deleting twice: %v", err)
		}
		if err := store.Delete(ctx, "never/stored.txt"); err != nil {
			t.Fatalf("deleting a key never stored: %v", err)
		}
	})

	t.Run("oversized_content_leaves_nothing", func(t *testing.T) {
		_, err := store.Put(ctx, "org/big.txt", "text/plain", bytes.NewReader(make([]byte, 11)), 10)
		if !errors.Is(err, filestore.ErrTooLarge) {
			t.Fatalf("want ErrTooLarge, got %v", err)
		}
		entries, _ := os.ReadDir(filepath.Join(dir, "org"))
		if len(entries) != 0 {
			t.Fatalf("left behind: %v", entries)
		}
	})

	t.Run("keys_cannot_leave_the_directory", func(t *testing.T) {
		for _, key := range []string{"../escape.txt", "org/../../escape.txt", ""} {
			if _, err := store.Put(ctx, key, "text/plain", strings.NewReader("x"), 10); err == nil {
				t.Errorf("key %q was accepted", key)
			}
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape.txt")); err == nil {
			t.Fatal("a file was written outside the store")
		}
	})
}
