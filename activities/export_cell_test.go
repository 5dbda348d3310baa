package activities_test

import (
	"testing"

	"github.com/clientflow/clientflow/activities"
)

// TestNeutraliseCell: OWASP CSV injection — a cell a spreadsheet would read as a formula becomes text.
func TestNeutraliseCell(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://x")`: `'=HYPERLINK("http://x")`,
		"+1+1":                   "'+1+1",
		"-2+3":                   "'-2+3",
		"@SUM(A1)":               "'@SUM(A1)",
		"\tTab":                  "'\tTab",
		"\rReturn":               "'\rReturn",
		"-12.50":                 "-12.50",
		"42":                     "42",
		"":                       "",
		"Plain = text":           "Plain = text",
		"-":                      "'-",
	} {
		if got := activities.NeutraliseCell(in); got != want {
			t.Errorf("NeutraliseCell(%q) = %q, want %q", in, got, want)
		}
	}
}
