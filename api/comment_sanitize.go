package api

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// commentPolicy is bluemonday's user-generated-content policy plus exactly what the editor's mention
// nodes need: <span data-type="mention" data-id="<uuid>">. Scripts, event handlers, styles and
// javascript: links never survive.
var commentPolicy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("data-type").Matching(regexp.MustCompile(`^mention$`)).OnElements("span")
	p.AllowAttrs("data-id").Matching(regexp.MustCompile(`^[0-9a-fA-F-]{36}$`)).OnElements("span")
	return p
}()

// sanitizeComment returns html with everything outside commentPolicy removed.
func sanitizeComment(html string) string { return commentPolicy.Sanitize(html) }
