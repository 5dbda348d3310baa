package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The kinds of record unified search finds, in the order their groups are shown.
const (
	SearchClients  = "clients"
	SearchProjects = "projects"
	SearchTasks    = "tasks"
	SearchComments = "comments"
	SearchFiles    = "files"
)

// SearchKinds lists every kind in display order.
var SearchKinds = []string{SearchClients, SearchProjects, SearchTasks, SearchComments, SearchFiles}

// SearchKindPermission is the permission a viewer needs to see a kind's group. Comments are read with their
// task, so they need tasks.read.
var SearchKindPermission = map[string]Permission{
	SearchClients: PermClientsRead, SearchProjects: PermProjectsRead, SearchTasks: PermTasksRead,
	SearchComments: PermTasksRead, SearchFiles: PermFilesRead,
}

// SearchQueryMaxLen is the longest query accepted, in characters.
const SearchQueryMaxLen = 200

// SearchCountCap is the most matches a group counts: a count equal to it means "that many or more". The
// store ranks at most this many matches per kind, which bounds the work of a vague query.
const SearchCountCap = 200

// SearchFilter is one unified search.
type SearchFilter struct {
	// Query is what the user typed, trimmed, 1..SearchQueryMaxLen characters.
	Query string
	// Kinds are the groups to search: those the viewer holds the permission for.
	Kinds []string
	// Limit is the most hits returned per group.
	Limit int
}

// SearchGroup is one kind's hits, best first, and how many matches the viewer may see (up to
// SearchCountCap).
type SearchGroup struct {
	Kind  string
	Total int
	Hits  []SearchHit
}

// SearchHit is one record found. Title is its name (a comment's is its task's title); Text is plain text a
// snippet is cut from (a task's description, a comment's body, a client's company and email, a project's
// description). The references say where it lives.
type SearchHit struct {
	ID          string
	Title       string
	Text        string
	ProjectID   string
	ProjectName string
	TaskID      string
	TaskNumber  int
	Rank        float64
}

// TextSegment is a piece of a text, marked when it matches the query. Segments in order spell the text.
type TextSegment struct {
	Text  string
	Match bool
}

// SearchWords splits a query into the lower-cased words the store's full-text search matches as word
// prefixes (spaces and punctuation separate words, as in the store's search_query).
func SearchWords(q string) []string {
	return strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	})
}

// Highlight splits text into segments, marking every word that starts with one of words (as the full-text
// search matches them). A text without a match is one unmarked segment; an empty text has none.
func Highlight(text string, words []string) []TextSegment {
	if text == "" {
		return []TextSegment{}
	}
	runes := []rune(text)
	lower := []rune(strings.ToLower(text))
	if len(lower) != len(runes) {
		// A rune whose lower case has another length (rare): compare rune by rune instead.
		lower = make([]rune, len(runes))
		for i, r := range runes {
			lower[i] = unicode.ToLower(r)
		}
	}
	marked := make([]bool, len(runes))
	for i := range lower {
		if i > 0 && isWordRune(lower[i-1]) || !isWordRune(lower[i]) {
			continue
		}
		for _, w := range words {
			wr := []rune(w)
			if len(wr) > 0 && len(wr) <= len(lower)-i && string(lower[i:i+len(wr)]) == w {
				for j := i; j < i+len(wr); j++ {
					marked[j] = true
				}
			}
		}
	}
	var out []TextSegment
	start := 0
	for i := 1; i <= len(runes); i++ {
		if i == len(runes) || marked[i] != marked[start] {
			out = append(out, TextSegment{Text: string(runes[start:i]), Match: marked[start]})
			start = i
		}
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Snippet cuts a window of about width characters out of text around its first word matching words, with
// an ellipsis where it cut; without a match it is the text's start, or empty when ok is false (the caller
// shows no snippet then).
func Snippet(text string, words []string, width int) (snippet string, ok bool) {
	text = strings.Join(strings.Fields(text), " ")
	segs := Highlight(text, words)
	at := -1
	pos := 0
	for _, s := range segs {
		if s.Match {
			at = pos
			break
		}
		pos += utf8.RuneCountInString(s.Text)
	}
	if at < 0 {
		return "", false
	}
	runes := []rune(text)
	from := max(0, at-width/3)
	to := min(len(runes), from+width)
	from = max(0, min(from, to-width))
	// Start and end on word boundaries when the window cuts a word.
	for from > 0 && from < at && isWordRune(runes[from-1]) {
		from++
	}
	for to < len(runes) && to > at && isWordRune(runes[to]) {
		to--
	}
	out := strings.TrimSpace(string(runes[from:to]))
	if from > 0 {
		out = "…" + out
	}
	if to < len(runes) {
		out += "…"
	}
	return out, true
}
