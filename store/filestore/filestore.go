// Package filestore keeps uploaded file contents: on local disk by default, or in Cloudinary when it is
// configured. Callers choose the keys; the metadata lives in the files table.
package filestore

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrTooLarge is returned by Put when the content exceeds maxBytes; nothing is kept.
var ErrTooLarge = errors.New("filestore: content exceeds the size limit")

// ErrNotFound is returned by Open when no content is stored under the key.
var ErrNotFound = errors.New("filestore: not found")

// Store keeps file contents under keys.
type Store interface {
	// Put stores at most maxBytes read from r under key and returns the size written. When r holds more,
	// it returns ErrTooLarge and keeps nothing.
	Put(ctx context.Context, key, contentType string, r io.Reader, maxBytes int64) (size int64, err error)
	// Open returns the content stored under key; ErrNotFound when there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the content under key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// URLSigner is implemented by stores that deliver files themselves through signed, expiring URLs, so
// the API hands out their URL instead of serving the bytes.
type URLSigner interface {
	SignedURL(ctx context.Context, key string, expires time.Time) (string, error)
}
