package api

import (
	"strings"
	"testing"
)

// The SVG rebuild keeps drawing and text, and nothing that runs, loads or escapes the document.
func TestSanitizeSVG(t *testing.T) {
	for _, tc := range []struct {
		name, in  string
		want, not []string
		refused   bool
	}{
		{name: "text_stays_escaped", in: `<svg xmlns="http://www.w3.org/2000/svg"><text x="1">A &amp; B &lt;script&gt;</text></svg>`,
			want: []string{`<text x="1">A &amp; B &lt;script&gt;</text>`}},
		{name: "quoted_and_spaced_urls", in: `<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url( 'https://e.test/x' )" stroke="URL(#g)" width="1"/></svg>`,
			want: []string{`stroke="URL(#g)"`, `width="1"`}, not: []string{"e.test"}},
		{name: "script_schemes_and_imports", in: `<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" style="background:url(#a);x:expression(alert(1))"/><use href=" JavaScript:alert(1)"/><rect width="2" style="@import 'x'"/></svg>`,
			not: []string{"expression", "alert", "@import", "JavaScript"}},
		{name: "foreign_namespaces_dropped", in: `<svg xmlns="http://www.w3.org/2000/svg" xmlns:i="urn:x"><i:meta><rect width="9"/></i:meta><rect width="1" i:attr="x"/></svg>`,
			want: []string{`<rect width="1"></rect>`}, not: []string{"meta", "i:attr", `width="9"`}},
		{name: "root_must_be_svg", in: `<html xmlns="http://www.w3.org/2000/svg"><rect/></html>`, refused: true},
		{name: "svg_in_another_namespace", in: `<svg xmlns="urn:not-svg"><rect width="1"/></svg>`, refused: true},
		{name: "two_roots", in: `<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg><svg><rect/></svg>`, refused: true},
		{name: "unclosed", in: `<svg xmlns="http://www.w3.org/2000/svg"><rect/>`, refused: true},
		{name: "too_deep", in: `<svg xmlns="http://www.w3.org/2000/svg">` + strings.Repeat("<g>", 70) + `<rect/>` + strings.Repeat("</g>", 70) + `</svg>`, refused: true},
		{name: "not_utf8", in: "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>\xff</text><rect/></svg>", refused: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := sanitizeSVG([]byte(tc.in))
			if tc.refused {
				if err == nil {
					t.Fatalf("accepted: %s", out)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("missing %q in %s", w, out)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(string(out), n) {
					t.Errorf("kept %q in %s", n, out)
				}
			}
		})
	}
}
