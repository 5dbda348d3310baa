package domain_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/clientflow/clientflow/domain"
)

func TestSearchWords(t *testing.T) {
	got := domain.SearchWords("  Web-site, ÉTÉ & (v2)!  ")
	want := []string{"web", "site", "été", "v2"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SearchWords = %q, want %q", got, want)
	}
}

func TestHighlight(t *testing.T) {
	for _, c := range []struct {
		name, text string
		words      []string
		want       []domain.TextSegment
	}{
		{"word_prefix_case_insensitive", "Website redesign", []string{"web"},
			[]domain.TextSegment{{Text: "Web", Match: true}, {Text: "site redesign"}}},
		{"only_at_word_starts", "cobweb website", []string{"web"},
			[]domain.TextSegment{{Text: "cobweb "}, {Text: "web", Match: true}, {Text: "site"}}},
		{"several_words_and_unicode", "Été: café crème", []string{"caf", "été"},
			[]domain.TextSegment{{Text: "Été", Match: true}, {Text: ": "}, {Text: "caf", Match: true}, {Text: "é crème"}}},
		{"no_match_is_one_plain_segment", "Newsletter", []string{"web"}, []domain.TextSegment{{Text: "Newsletter"}}},
		{"empty_text", "", []string{"web"}, []domain.TextSegment{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := domain.Highlight(c.text, c.words); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("Highlight(%q, %q) = %+v, want %+v", c.text, c.words, got, c.want)
			}
		})
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("lorem ipsum ", 30) + "the website copy " + strings.Repeat("dolor sit ", 30)
	got, ok := domain.Snippet(long, []string{"website"}, 60)
	if !ok || !strings.Contains(got, "website") || !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Fatalf("Snippet = %q, %v; want a window around the match with ellipses", got, ok)
	}
	if n := len([]rune(got)); n > 62 {
		t.Fatalf("Snippet is %d characters, want about 60", n)
	}
	if got, ok := domain.Snippet("short text", []string{"short"}, 60); !ok || got != "short text" {
		t.Fatalf("Snippet of a short text = %q, %v", got, ok)
	}
	if _, ok := domain.Snippet(long, []string{"zebra"}, 60); ok {
		t.Fatal("Snippet without a match must say so")
	}
}
