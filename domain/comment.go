package domain

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Comment event types; EventTaskMentioned is written once per user a comment mentions.
const (
	EventCommentCreated = "comment.created"
	EventCommentUpdated = "comment.updated"
	EventCommentDeleted = "comment.deleted"
	EventTaskMentioned  = "task.mentioned"
)

// MaxCommentJSONBytes bounds a comment's editor document.
const MaxCommentJSONBytes = 100_000

// Comment is one message on a task: the editor's JSON document, its sanitised HTML rendering and the
// users it mentions.
type Comment struct {
	ID             string
	OrganizationID string
	TaskID         string
	AuthorID       string
	AuthorName     string
	BodyJSON       json.RawMessage
	BodyHTML       string
	Mentions       []string
	// Internal comments are staff-only: never shown or sent to the client's contacts.
	Internal  bool
	EditedAt  *time.Time
	CreatedAt time.Time
}

// Validate checks the body; BodyHTML must already be sanitised. It also fills Mentions from BodyJSON.
func (c *Comment) Validate() error {
	if len(c.BodyJSON) > MaxCommentJSONBytes {
		return Invalid("body.body_json", "The comment is too long.")
	}
	mentions, err := ParseMentions(c.BodyJSON)
	if err != nil {
		return err
	}
	if strings.TrimSpace(c.BodyHTML) == "" {
		return Invalid("body.body_html", "The comment is empty.")
	}
	c.Mentions = mentions
	return nil
}

// editorNode is the part of a Tiptap (ProseMirror) JSON node that mentions live in.
type editorNode struct {
	Type    string       `json:"type"`
	Attrs   *nodeAttrs   `json:"attrs,omitempty"`
	Content []editorNode `json:"content,omitempty"`
}

type nodeAttrs struct {
	ID any `json:"id"`
}

// ParseMentions returns the distinct user IDs of the mention nodes in a Tiptap JSON document, in order
// of first appearance. Errors: EINVALID when doc is not a JSON document.
func ParseMentions(doc json.RawMessage) ([]string, error) {
	var root editorNode
	if err := json.Unmarshal(doc, &root); err != nil || root.Type != "doc" {
		return nil, Invalid("body.body_json", "The comment must be an editor document.")
	}
	out := []string{}
	var walk func(n editorNode) error
	walk = func(n editorNode) error {
		if n.Type == "mention" {
			id, ok := n.Attrs.idString()
			if !ok || !looksLikeUUID(id) {
				return Invalid("body.body_json", "A mention does not name a user.")
			}
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		for _, c := range n.Content {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root); err != nil {
		return nil, err
	}
	return out, nil
}

func (a *nodeAttrs) idString() (string, bool) {
	if a == nil {
		return "", false
	}
	s, ok := a.ID.(string)
	return strings.ToLower(s), ok
}

// looksLikeUUID accepts the canonical 8-4-4-4-12 hexadecimal form.
func looksLikeUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdef", r) {
				return false
			}
		}
	}
	return true
}
