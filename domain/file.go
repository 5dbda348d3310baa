package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// File event types.
const (
	EventFileUploaded = "file.uploaded"
	EventFileDeleted  = "file.deleted"
)

// File is an uploaded document of a project, optionally attached to one of its tasks. The bytes live in
// file storage under StorageKey; the row holds what the app shows.
type File struct {
	ID             string
	OrganizationID string
	ProjectID      string
	TaskID         string
	UploaderID     string
	UploaderName   string
	Name           string
	ContentType    string
	SizeBytes      int64
	StorageKey     string
	// SharedWithClient shows the file in the portal of the project's client.
	SharedWithClient bool
	CreatedAt        time.Time
}

// CleanFileName reduces a client-supplied file name to its last path element without control
// characters, at most 255 bytes, or "file" when nothing is left.
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}
