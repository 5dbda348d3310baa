package api

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// searchSnippetWidth is about how many characters of a description or comment a hit shows.
const searchSnippetWidth = 120

// SearchResults are the groups of a unified search, in a fixed order (clients, projects, tasks, comments,
// files), one per kind the viewer may read.
type SearchResults struct {
	Query  string        `json:"query" doc:"The query as searched (trimmed)."`
	Groups []SearchGroup `json:"groups"`
}

// SearchGroup is one kind's best hits and how many there are.
type SearchGroup struct {
	Type        string      `json:"type" enum:"clients,projects,tasks,comments,files"`
	Count       int         `json:"count" doc:"Matches the viewer may see, counted up to 200."`
	CountCapped bool        `json:"count_capped" doc:"There are 200 matches or more (show 200+); only the first 200 found were ranked."`
	Items       []SearchHit `json:"items" doc:"The best matches, best first."`
}

// SearchHit is one record found. Title and snippet come as plain-text segments, those matching the query
// marked: render them as text (never as HTML).
type SearchHit struct {
	ID          string        `json:"id" format:"uuid" doc:"The record's ID (the comment's, the file's, ...)."`
	Type        string        `json:"type" enum:"clients,projects,tasks,comments,files"`
	Title       []TextSegment `json:"title" doc:"The name; for a comment, its task's title."`
	Snippet     []TextSegment `json:"snippet" doc:"Where the query matched in the description or comment (empty when it matched only the title); a client's company and email."`
	ProjectID   *string       `json:"project_id" format:"uuid" nullable:"true"`
	ProjectName *string       `json:"project_name" nullable:"true"`
	TaskID      *string       `json:"task_id" format:"uuid" nullable:"true" doc:"The task itself, a comment's task, a file's task when it is an attachment."`
	TaskNumber  *int          `json:"task_number" nullable:"true"`
}

// TextSegment is a piece of text; match marks the pieces that match the query.
type TextSegment struct {
	Text  string `json:"text"`
	Match bool   `json:"match"`
}

func (s *Server) registerSearch() {
	huma.Register(s.api, huma.Operation{OperationID: "search", Method: http.MethodGet,
		Path: "/api/v1/orgs/{org_id}/search", Tags: []string{"Search"}, Security: security,
		Summary: "Search clients, projects, tasks, comments and files",
		Description: "Every word of `q` must start a word of the record (full text: a task's title and description, " +
			"a comment's body, a file's name, a client's name, company and email, a project's name and description), " +
			"or `q` must be close to a word of its name or title (trigram similarity, for typos). Results come " +
			"grouped by type, best first: the name equal to the query, then starting with it, then by text rank " +
			"and similarity. A group appears only with its read permission (clients.read, projects.read, " +
			"tasks.read for tasks and comments, files.read), and a project you are not on (when your role does " +
			"not see every project) never contributes anything. Client contacts use the client portal: this " +
			"route answers them 403.",
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, s.search)
}

func (s *Server) search(ctx context.Context, in *struct {
	OrgPath
	Q     string `query:"q" required:"true" minLength:"1" maxLength:"200" doc:"What to look for (1 to 200 characters, not only spaces)."`
	Limit int    `query:"limit" default:"5" minimum:"1" maximum:"20" doc:"Most items per group."`
}) (*struct{ Body SearchResults }, error) {
	q := strings.TrimSpace(in.Q)
	if q == "" || utf8.RuneCountInString(q) > domain.SearchQueryMaxLen {
		return nil, problem(ctx, domain.Errorf(domain.EINVALID, "The search needs 1 to %d characters.", domain.SearchQueryMaxLen))
	}
	p := principalFrom(ctx)
	var kinds []string
	for _, k := range domain.SearchKinds {
		if p.can(domain.SearchKindPermission[k]) {
			kinds = append(kinds, k)
		}
	}
	groups, err := s.db.Search(ctx, in.OrgID, viewerFrom(ctx), domain.SearchFilter{Query: q, Kinds: kinds, Limit: in.Limit})
	if err != nil {
		return nil, problem(ctx, err)
	}
	words := domain.SearchWords(q)
	out := SearchResults{Query: q, Groups: make([]SearchGroup, len(groups))}
	for i, g := range groups {
		out.Groups[i] = SearchGroup{Type: g.Kind, Count: g.Total, CountCapped: g.Total >= domain.SearchCountCap,
			Items: make([]SearchHit, len(g.Hits))}
		for j, h := range g.Hits {
			out.Groups[i].Items[j] = searchHitFrom(g.Kind, h, words)
		}
	}
	return &struct{ Body SearchResults }{Body: out}, nil
}

func searchHitFrom(kind string, h domain.SearchHit, words []string) SearchHit {
	out := SearchHit{ID: h.ID, Type: kind, Title: segmentsFrom(domain.Highlight(h.Title, words)),
		Snippet: []TextSegment{}}
	switch kind {
	case domain.SearchClients:
		out.Snippet = segmentsFrom(domain.Highlight(h.Text, words))
	case domain.SearchComments:
		// A comment always shows its words: the title is its task's.
		snippet, ok := domain.Snippet(h.Text, words, searchSnippetWidth)
		if !ok {
			snippet = truncateRunes(strings.Join(strings.Fields(h.Text), " "), searchSnippetWidth)
		}
		out.Snippet = segmentsFrom(domain.Highlight(snippet, words))
	case domain.SearchFiles:
		// A file attached to a task names the task.
		if h.Text != "" {
			out.Snippet = segmentsFrom(domain.Highlight(h.Text, words))
		}
	default:
		if snippet, ok := domain.Snippet(h.Text, words, searchSnippetWidth); ok {
			out.Snippet = segmentsFrom(domain.Highlight(snippet, words))
		}
	}
	if h.ProjectID != "" && kind != domain.SearchClients {
		out.ProjectID, out.ProjectName = &h.ProjectID, &h.ProjectName
	}
	if h.TaskID != "" {
		out.TaskID, out.TaskNumber = &h.TaskID, &h.TaskNumber
	}
	return out
}

func segmentsFrom(segs []domain.TextSegment) []TextSegment {
	out := make([]TextSegment, len(segs))
	for i, s := range segs {
		out[i] = TextSegment{Text: s.Text, Match: s.Match}
	}
	return out
}

// truncateRunes cuts s to at most n characters, with an ellipsis when it cut.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
