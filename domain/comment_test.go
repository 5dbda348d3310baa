package domain_test

import (
	"encoding/json"
	"testing"

	"github.com/clientflow/clientflow/domain"
)

func TestParseMentions(t *testing.T) {
	a, b := "0190f0f0-0000-7000-8000-00000000000a", "0190f0f0-0000-7000-8000-00000000000b"
	doc := `{"type":"doc","content":[{"type":"paragraph","content":[
		{"type":"mention","attrs":{"id":"` + a + `"}},{"type":"text","text":" and "},
		{"type":"mention","attrs":{"id":"` + b + `"}},{"type":"mention","attrs":{"id":"` + a + `"}}]}]}`
	got, err := domain.ParseMentions(json.RawMessage(doc))
	if err != nil || len(got) != 2 || got[0] != a || got[1] != b {
		t.Fatalf("got %v %v, want [a b] once each", got, err)
	}
	for name, bad := range map[string]string{
		"not_json":         `{`,
		"not_a_doc":        `{"type":"paragraph"}`,
		"mention_without":  `{"type":"doc","content":[{"type":"mention"}]}`,
		"mention_not_uuid": `{"type":"doc","content":[{"type":"mention","attrs":{"id":"bob"}}]}`,
		"mention_number":   `{"type":"doc","content":[{"type":"mention","attrs":{"id":7}}]}`,
	} {
		if _, err := domain.ParseMentions(json.RawMessage(bad)); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: want EINVALID, got %v", name, err)
		}
	}
}

func TestCleanFileName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":       "passwd",
		`C:\Users\me\report.pdf`: "report.pdf",
		"a\"b\x00c.txt":          "abc.txt",
		"..":                     "file",
		"  ":                     "file",
	} {
		if got := domain.CleanFileName(in); got != want {
			t.Errorf("CleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
