package activities

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/clientflow/clientflow/domain"
)

func TestPushPayloadStaysSmall(t *testing.T) {
	for name, n := range map[string]domain.Notification{
		"long body":        {Title: "Comment", Body: strings.Repeat("é", 2000)},
		"escapes":          {Title: strings.Repeat("\x01", 300), Body: strings.Repeat("\x02\"", 1000)},
		"long link":        {Title: "t", Body: "b", Link: "/" + strings.Repeat("\x03", 499)},
		"html stays plain": {Title: "<b>", Body: "a < b & c"},
	} {
		n.ID = "0192f0c5-a1b2-7c3d-8e4f-5a6b7c8d9e0f"
		b := pushPayload(n)
		if len(b) > maxPushPayload {
			t.Errorf("%s: %d bytes", name, len(b))
		}
		var m pushMessage
		if err := json.Unmarshal(b, &m); err != nil || m.ID != n.ID {
			t.Errorf("%s: %s (%v)", name, b, err)
		}
	}
	if b := pushPayload(domain.Notification{Title: "<b>", Body: "a < b & c"}); !strings.Contains(string(b), `"a < b & c"`) {
		t.Errorf("HTML-escaped payload %s", b)
	}
	b := pushPayload(domain.Notification{Title: "Title", Body: strings.Repeat("x", 600)})
	var m pushMessage
	if err := json.Unmarshal(b, &m); err != nil || len([]rune(m.Body)) != 500 || !strings.HasSuffix(m.Body, "…") {
		t.Errorf("body of 600 characters became %q", m.Body)
	}
}
