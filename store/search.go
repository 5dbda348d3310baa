package store

import (
	"context"
	"html"
	"regexp"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/clientflow/clientflow/domain"
)

// Unified search runs the search_* functions of migration 20261210001000: SECURITY DEFINER functions that
// read the organization from app.org_id themselves and use the full-text and trigram indexes that forced RLS
// would otherwise keep the app role from using. They return ids, rank and count only; every statement below
// joins those ids back to the tables as the app role, under RLS, and applies the project visibility rule
// again (projectVisiblePgSQL), so the function's answer is never trusted alone.

// searchSQL is each kind's statement. Bind: query, sees all projects, limit, org ID, user ID (clients take
// the query, limit and org ID only).
var searchSQL = map[string]string{
	domain.SearchClients: `SELECT c.id, c.name, concat_ws(' · ', nullif(c.company, ''), nullif(c.email, '')), '', '', '', 0,
		s.rank, s.total
		FROM search_clients($1, $2) s JOIN clients c ON c.organization_id = $3 AND c.id = s.id
		ORDER BY s.rank DESC, s.id DESC`,
	domain.SearchProjects: `SELECT p.id, p.name, p.description, p.id::text, p.name, '', 0, s.rank, s.total
		FROM search_projects($1, $2, $3) s JOIN projects p ON p.organization_id = $4 AND p.id = s.id
		WHERE TRUE` + searchVisible + `
		ORDER BY s.rank DESC, s.id DESC`,
	domain.SearchTasks: `SELECT t.id, t.title, t.description_html, p.id::text, p.name, t.id::text, t.number, s.rank, s.total
		FROM search_tasks($1, $2, $3) s JOIN tasks t ON t.organization_id = $4 AND t.id = s.id
		JOIN projects p ON p.organization_id = t.organization_id AND p.id = t.project_id
		WHERE TRUE` + searchVisible + `
		ORDER BY s.rank DESC, s.id DESC`,
	domain.SearchComments: `SELECT c.id, t.title, c.body_html, p.id::text, p.name, t.id::text, t.number, s.rank, s.total
		FROM search_comments($1, $2, $3) s JOIN task_comments c ON c.organization_id = $4 AND c.id = s.id
		JOIN tasks t ON t.organization_id = c.organization_id AND t.id = c.task_id
		JOIN projects p ON p.organization_id = t.organization_id AND p.id = t.project_id
		WHERE TRUE` + searchVisible + `
		ORDER BY s.rank DESC, s.id DESC`,
	domain.SearchFiles: `SELECT f.id, f.name, coalesce(t.title, ''), p.id::text, p.name, coalesce(t.id::text, ''),
		coalesce(t.number, 0), s.rank, s.total
		FROM search_files($1, $2, $3) s JOIN files f ON f.organization_id = $4 AND f.id = s.id
		JOIN projects p ON p.organization_id = f.organization_id AND p.id = f.project_id
		LEFT JOIN tasks t ON t.organization_id = f.organization_id AND t.id = f.task_id
		WHERE TRUE` + searchVisible + `
		ORDER BY s.rank DESC, s.id DESC`,
}

// searchVisible is the project visibility rule on the projects row p, bound to $2 (sees all) and $5 (user).
const searchVisible = ` AND ($2 OR EXISTS (SELECT 1 FROM project_members pm
	WHERE pm.organization_id = p.organization_id AND pm.project_id = p.id AND pm.user_id = $5))`

// Search finds f.Query in the kinds f names, as v may see them (projects, and the tasks, comments and files
// in them, only when v sees the project), in one round trip. Groups come in f.Kinds' order, each with at
// most f.Limit hits and its match count (up to domain.SearchCountCap). Errors: EINVALID for an empty or
// overlong query, an unknown kind.
func (db *DB) Search(ctx context.Context, orgID string, v domain.Viewer, f domain.SearchFilter) ([]domain.SearchGroup, error) {
	q := strings.TrimSpace(f.Query)
	if q == "" || len([]rune(q)) > domain.SearchQueryMaxLen {
		return nil, domain.Errorf(domain.EINVALID, "The search needs 1 to %d characters.", domain.SearchQueryMaxLen)
	}
	out := make([]domain.SearchGroup, len(f.Kinds))
	reads := make([]read, len(f.Kinds))
	for i, kind := range f.Kinds {
		query, ok := searchSQL[kind]
		if !ok || slices.Index(f.Kinds, kind) != i {
			return nil, domain.Errorf(domain.EINVALID, "Unknown search kind %q.", kind)
		}
		args := []any{q, v.SeesAllProjects(), f.Limit, orgID, nullable(v.UserID)}
		if kind == domain.SearchClients {
			args = []any{q, f.Limit, orgID}
		}
		g := &out[i]
		g.Kind, g.Hits = kind, []domain.SearchHit{}
		reads[i] = read{sql: query, args: args, scan: func(r pgx.Rows) error {
			for r.Next() {
				var h domain.SearchHit
				var rank float32
				if err := r.Scan(&h.ID, &h.Title, &h.Text, &h.ProjectID, &h.ProjectName, &h.TaskID, &h.TaskNumber,
					&rank, &g.Total); err != nil {
					return err
				}
				h.Rank = float64(rank)
				if kind != domain.SearchClients {
					h.Text = htmlText(h.Text)
				}
				g.Hits = append(g.Hits, h)
			}
			return nil
		}}
	}
	if len(reads) == 0 {
		return out, nil
	}
	if err := db.tenantRead(ctx, orgID, v.UserID, reads...); err != nil {
		return nil, err
	}
	return out, nil
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// htmlText is the plain text of sanitised rich-text HTML: tags become spaces, entities are decoded.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	return html.UnescapeString(htmlTag.ReplaceAllString(s, " "))
}
