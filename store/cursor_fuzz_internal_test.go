package store

import (
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
)

// FuzzDecodeCursor: any ?cursor= a client sends decodes to a canonical id or is a validation error, and
// every cursor the API hands out decodes back to its id.
func FuzzDecodeCursor(f *testing.F) {
	id := "0190b5a0-0000-7000-8000-000000000000"
	for _, s := range []string{"", encodeCursor(id), "not-a-cursor", "aGVsbG8", encodeCursor("0190B5A0-0000-7000-8000-000000000000"),
		encodeCursor("{" + id + "}"), "%00", "====", encodeCursor(id + "\x00")} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, c string) {
		got, err := decodeCursor(c)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("decodeCursor(%q): %v, want validation_failed", c, err)
			}
			return
		}
		if c != "" && !validUUID(got) {
			t.Fatalf("decodeCursor(%q) = %q, not a canonical id", c, got)
		}
		if c != "" {
			if back, err := decodeCursor(encodeCursor(got)); err != nil || back != got {
				t.Fatalf("round trip of %q: %q, %v", got, back, err)
			}
		}
	})
}

// FuzzDecodeTimeCursor: the time-entry cursor decodes to a time and a canonical id, or is a validation
// error.
func FuzzDecodeTimeCursor(f *testing.F) {
	id := "0190b5a0-0000-7000-8000-000000000000"
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	for _, s := range []string{"", encodeTimeCursor(at, id), "eA", encodeTimeCursor(time.Time{}, id),
		encodeTimeCursor(at, "x"), encodeCursor("0000-01-01T00:00:00Z|" + id), encodeCursor("|")} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, c string) {
		start, got, err := decodeTimeCursor(c)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("decodeTimeCursor(%q): %v, want validation_failed", c, err)
			}
			return
		}
		if c != "" && !validUUID(got) {
			t.Fatalf("decodeTimeCursor(%q) id %q is not canonical", c, got)
		}
		if c != "" && (start.Year() < domain.MinYear || start.Year() > domain.MaxYear) {
			t.Fatalf("decodeTimeCursor(%q) accepted the year %d", c, start.Year())
		}
	})
}
