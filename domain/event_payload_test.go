package domain

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestWebhookPayloadsDocumentEveryEvent keeps the catalogue whole: each of the twelve event types has a
// payload type and a description, nothing else does, and every payload field carries a json key and a doc
// text the API reference shows (a field without doc would render as an unexplained key).
func TestWebhookPayloadsDocumentEveryEvent(t *testing.T) {
	if len(WebhookPayloads) != len(WebhookEventTypes) || len(WebhookEventDescriptions) != len(WebhookEventTypes) {
		t.Fatalf("%d payloads and %d descriptions for %d event types", len(WebhookPayloads), len(WebhookEventDescriptions),
			len(WebhookEventTypes))
	}
	for _, typ := range WebhookEventTypes {
		p, ok := WebhookPayloads[typ]
		if !ok || strings.TrimSpace(WebhookEventDescriptions[typ]) == "" {
			t.Fatalf("%s: payload %v, description %q", typ, ok, WebhookEventDescriptions[typ])
		}
		rt := reflect.TypeOf(p)
		if rt.Kind() != reflect.Struct {
			t.Fatalf("%s: payload %s is no struct", typ, rt)
		}
		keys := map[string]bool{}
		for i := range rt.NumField() {
			f := rt.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || keys[name] {
				t.Errorf("%s.%s: json key %q missing or repeated", rt.Name(), f.Name, name)
			}
			keys[name] = true
			if f.Tag.Get("doc") == "" {
				t.Errorf("%s.%s has no doc", rt.Name(), f.Name)
			}
			if f.Type.Kind() == reflect.Pointer && f.Tag.Get("nullable") != "true" {
				t.Errorf("%s.%s is a pointer but not documented nullable", rt.Name(), f.Name)
			}
		}
	}
}

// The enums the payloads document are the domain's own lists, so a new status or role cannot go undocumented.
func TestWebhookPayloadEnumsMatchTheDomain(t *testing.T) {
	enum := func(v any, field string) []string {
		f, ok := reflect.TypeOf(v).FieldByName(field)
		if !ok {
			t.Fatalf("%T has no %s", v, field)
		}
		return strings.Split(f.Tag.Get("enum"), ",")
	}
	for _, c := range []struct {
		got, want []string
	}{
		{enum(ProjectEventPayload{}, "Status"), ProjectStatuses},
		{enum(TaskEventPayload{}, "Priority"), Priorities},
		{enum(ClientEventPayload{}, "Status"), []string{ClientActive, ClientArchived}},
		{enum(MemberEventPayload{}, "Role"), Roles},
		{enum(InvoiceEventPayload{}, "Status"), []string{InvoicePaid, InvoiceOverdue}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("enum %v, want %v", c.got, c.want)
		}
	}
}

func TestEventPayloadMap(t *testing.T) {
	paid := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)
	m := EventPayloadMap(InvoiceEventPayload{InvoiceID: "i", Number: 7, Total: 1250, PaidAt: &paid, IssueDate: "2026-12-01"})
	// The keys are the json tags; numbers come back as a JSON reader sees them (float64), times as RFC 3339.
	if m["invoice_id"] != "i" || m["number"] != float64(7) || m["total"] != float64(1250) ||
		m["paid_at"] != "2026-12-07T10:30:00Z" || m["project_id"] != nil || m["issue_date"] != "2026-12-01" {
		t.Fatalf("map %v", m)
	}
	if _, ok := m["project_id"]; !ok {
		t.Fatal("a nullable field is present as null, not left out")
	}
	tm := EventPayloadMap(TaskEventPayload{TaskID: "t", AssigneeIDs: []string{}})
	for _, k := range []string{"changed", "assignees_added", "column_from", "column_to", "completed"} {
		if _, ok := tm[k]; ok {
			t.Errorf("%s is present on an event it does not belong to: %v", k, tm)
		}
	}
	if a, ok := tm["assignee_ids"].([]any); !ok || len(a) != 0 {
		t.Errorf("assignee_ids = %#v, want an empty list", tm["assignee_ids"])
	}
}
