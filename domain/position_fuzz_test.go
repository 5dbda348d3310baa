package domain_test

import (
	"testing"

	"github.com/clientflow/clientflow/domain"
)

// FuzzPositionBetween: for any pair of keys a client sends (moves carry neighbours' positions), the
// result is either an EINVALID error or a valid key strictly between them; never a panic.
func FuzzPositionBetween(f *testing.F) {
	for _, s := range [][2]string{{"", ""}, {"i", ""}, {"", "i"}, {"a", "b"}, {"a", "a1"}, {"az", "b"},
		{"zzzz", ""}, {"", "01"}, {"0", "1"}, {"a0", "b"}, {"b", "a"}, {"A", "b"}, {"a\x00", "b"}, {"\xff", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, before, after string) {
		for name, fn := range map[string]func(string, string) (string, error){
			"between": domain.PositionBetween, "among": domain.PositionAmong} {
			k, err := fn(before, after)
			if err != nil {
				if domain.ErrorCode(err) != domain.EINVALID {
					t.Fatalf("%s(%q, %q): %v, want validation_failed", name, before, after, err)
				}
				continue
			}
			if k == "" || k[len(k)-1] == '0' || k <= before || (after != "" && k >= after) {
				t.Fatalf("%s(%q, %q) = %q, not strictly between", name, before, after, k)
			}
		}
	})
}
