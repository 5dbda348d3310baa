package filestore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Local keeps files under a directory on this machine (the default; DATA_DIR/files).
type Local struct {
	dir string
}

// NewLocal returns a Local store rooted at dir, creating it when missing.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("filestore: create %s: %w", dir, err)
	}
	return &Local{dir: dir}, nil
}

// path maps a key to a file below dir; keys are ours, but a key that would leave dir is refused anyway.
func (l *Local) path(key string) (string, error) {
	clean := filepath.Clean("/" + key)
	if key == "" || clean == "/" || strings.Contains(key, "..") {
		return "", fmt.Errorf("filestore: invalid key %q", key)
	}
	return filepath.Join(l.dir, filepath.FromSlash(clean)), nil
}

// Put writes to a temporary file first and renames it into place only when the whole content fit, so a
// rejected or interrupted upload never leaves a file behind.
func (l *Local) Put(ctx context.Context, key, _ string, r io.Reader, maxBytes int64) (int64, error) {
	dst, err := l.path(key)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".upload-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, io.LimitReader(contextReader{ctx, r}, maxBytes+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if n > maxBytes {
		return 0, ErrTooLarge
	}
	return n, os.Rename(tmp.Name(), dst)
}

// Open opens the stored file.
func (l *Local) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Delete removes the stored file.
func (l *Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// contextReader stops a long copy when the request is cancelled.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
