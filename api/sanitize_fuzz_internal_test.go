package api

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// activeMarkup finds what must never survive sanitising: script-capable elements, event handler
// attributes and javascript: URLs inside a tag. Text outside tags is escaped, so it cannot be active.
var activeMarkup = regexp.MustCompile(`(?is)<\s*/?\s*(script|style|iframe|object|embed|svg|math|form|meta|link|base)\b|<[^>]*(\son[a-z]+\s*=|javascript:|vbscript:|data:text/html)`)

// sanitiserSeeds are known XSS shapes plus the editor's own output.
var sanitiserSeeds = []string{
	`<p>Hello <strong>world</strong></p>`,
	`<span data-type="mention" data-id="0190b5a0-0000-7000-8000-000000000000">@Ann</span>`,
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="JaVaScRiPt&#58;alert(1)">x</a>`,
	`<svg><script>alert(1)</script></svg>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<iframe src="data:text/html,<script>alert(1)</script>">`,
	`<p style="background:url(javascript:alert(1))">x</p>`,
	"<scr\x00ipt>alert(1)</script>",
	"\xff\xfe<p>\xc3</p>",
	`<<script>script>alert(1)<</script>/script>`,
	`<span data-type="mention" data-id="x" onclick="alert(1)">@x</span>`,
}

// checkSanitised fails when sanitised output could still run script or is not valid UTF-8 (Postgres
// refuses invalid UTF-8, so it would be a 500 on write).
func checkSanitised(t *testing.T, in, out string) {
	if m := activeMarkup.FindString(out); m != "" {
		t.Fatalf("sanitised %q kept %q in %q", in, m, out)
	}
	if utf8.ValidString(in) && !utf8.ValidString(out) {
		t.Fatalf("sanitised %q is not valid UTF-8: %q", in, out)
	}
	if strings.IndexByte(out, 0) >= 0 && strings.IndexByte(in, 0) < 0 {
		t.Fatalf("sanitising %q introduced a NUL", in)
	}
}

func FuzzSanitizeComment(f *testing.F) {
	for _, s := range sanitiserSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, html string) {
		checkSanitised(t, html, sanitizeComment(html))
	})
}

func FuzzTaskDescriptionSanitised(f *testing.F) {
	for _, s := range sanitiserSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, html string) {
		_, out, err := TaskDescription{HTML: html}.sanitised()
		if err != nil {
			t.Fatalf("sanitised(%q): %v", html, err)
		}
		checkSanitised(t, html, out)
	})
}

func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{"report.pdf", "a\r\nX-Evil: 1.txt", `a"b\c.txt`, "../../etc/passwd", "résumé 2026.pdf",
		"\xff\xfe.txt", "a;b=c.txt", "日本語.docx", "", "%41.txt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		d := attachmentDisposition(name)
		ascii, ext, ok := strings.Cut(strings.TrimPrefix(d, `attachment; filename="`), `"; filename*=UTF-8''`)
		if !strings.HasPrefix(d, `attachment; filename="`) || !ok {
			t.Fatalf("malformed header %q for %q", d, name)
		}
		for i := 0; i < len(d); i++ {
			if d[i] < 0x20 || d[i] > 0x7e {
				t.Fatalf("header %q for %q has byte %#x", d, name, d[i])
			}
		}
		if strings.ContainsAny(ascii, `"\/;`) || strings.ContainsAny(ext, `"\/; '`) {
			t.Fatalf("header %q for %q can break out of its value or name a path", d, name)
		}
	})
}

// TestDetectFileKindRefusesMarkup: markup sniffed as plain text is refused, however it is dressed.
func TestDetectFileKindRefusesMarkup(t *testing.T) {
	for _, content := range []string{
		`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
		"\n\t  <svg onload=alert(1)>",
		"\xef\xbb\xbf<svg/>",
		`<!-- a comment --><svg><script>alert(1)</script></svg>`,
		`<!DOCTYPE svg><svg/>`,
		"Hello,\nworld\n<SCRIPT>alert(1)</SCRIPT>",
		`<html><body>hi</body></html>`,
	} {
		if k, ok := detectFileKind([]byte(content), "notes.txt"); ok {
			t.Errorf("%q accepted as %s", content, k.ContentType)
		}
	}
	for _, content := range []string{"Hello, world\n", "name,amount\nAnn,5\n", "a < b and c > d\n"} {
		if _, ok := detectFileKind([]byte(content), "notes.csv"); !ok {
			t.Errorf("plain text %q refused", content)
		}
	}
}
