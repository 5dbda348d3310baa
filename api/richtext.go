package api

import (
	"encoding/json"

	"github.com/microcosm-cc/bluemonday"

	"github.com/clientflow/clientflow/domain"
)

// richText is the policy rich-text HTML passes before it is stored: bluemonday's UGC policy keeps
// formatting, links and images but drops scripts, styles, event handlers and javascript: URLs.
var richText = bluemonday.UGCPolicy()

// TaskDescription is a rich-text description: the editor's document (Tiptap JSON) and its HTML rendering.
type TaskDescription struct {
	JSON map[string]any `json:"json" doc:"The editor document (a JSON object)."`
	HTML string         `json:"html" maxLength:"200000" doc:"Sanitised on write: scripts, styles and event handlers are removed."`
}

// sanitised returns the description's document and cleaned HTML for storage.
func (d TaskDescription) sanitised() (json.RawMessage, string, error) {
	if d.JSON == nil {
		d.JSON = map[string]any{}
	}
	raw, err := json.Marshal(d.JSON)
	if err != nil {
		return nil, "", domain.Invalid("body.description.json", "must be a JSON object")
	}
	return raw, richText.Sanitize(d.HTML), nil
}
