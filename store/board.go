package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"

	"github.com/clientflow/clientflow/domain"
)

// Cards read only the tasks row: its assignee_ids and subtask counts are kept there by triggers
// (migration task_cards), so a board of 500 cards is one index range scan.
const cardColumns = `t.id, t.column_id, t.number, t.title, t.priority, t.due_date, t.position, t.completed_at,
	t.created_at, t.assignee_ids, t.subtasks_done, t.subtasks_total, coalesce(t.requester_id::text, '')`

const boardColumnsRead = `SELECT id, project_id, name, color, position, is_done, created_at, updated_at
	FROM task_board_columns WHERE organization_id = $1 AND project_id = $2 ORDER BY position`

const boardCardsRead = `SELECT ` + cardColumns + ` FROM tasks t
	WHERE t.organization_id = $1 AND t.project_id = $2 ORDER BY t.column_id, t.position`

// usersByIDSQL names the people on a set of cards; users are global rows, so it needs no tenant scope.
const usersByIDSQL = `SELECT id, name FROM users WHERE id = ANY($1)`

// cardsRead collects the cards a statement returns into *out.
func cardsRead(sql string, args []any, out *[]*domain.TaskCard, ids map[string][]string) read {
	return read{sql: sql, args: args, scan: func(r pgx.Rows) error {
		for r.Next() {
			c := &domain.TaskCard{}
			var assignees []string
			var requester string
			if err := r.Scan(&c.ID, &c.ColumnID, &c.Number, &c.Title, &c.Priority, &c.DueDate, &c.Position,
				&c.CompletedAt, &c.CreatedAt, &assignees, &c.SubtasksDone, &c.SubtasksAll, &requester); err != nil {
				return err
			}
			if requester != "" {
				c.Requester = &domain.TaskRequester{ID: requester}
			}
			ids[c.ID] = assignees
			*out = append(*out, c)
		}
		return nil
	}}
}

// nameAssignees fills each card's assignees (sorted by name) and requester's name from one lookup of the
// people named.
func (db *DB) nameAssignees(ctx context.Context, cards []*domain.TaskCard, ids map[string][]string) error {
	var all []string
	for _, c := range cards {
		all = append(all, ids[c.ID]...)
		if c.Requester != nil {
			all = append(all, c.Requester.ID)
		}
	}
	names := map[string]string{}
	if len(all) > 0 {
		rows, err := db.bun.DB.QueryContext(ctx, usersByIDSQL, prepared, slices.Compact(slices.Sorted(slices.Values(all))))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			names[id] = name
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, c := range cards {
		c.Assignees = make([]domain.CardAssignee, 0, len(ids[c.ID]))
		for _, id := range ids[c.ID] {
			if name, ok := names[id]; ok {
				c.Assignees = append(c.Assignees, domain.CardAssignee{UserID: id, Name: name, Initials: initials(name)})
			}
		}
		slices.SortFunc(c.Assignees, func(a, b domain.CardAssignee) int { return strings.Compare(a.Name, b.Name) })
		if c.Requester != nil {
			c.Requester.Name = names[c.Requester.ID]
		}
	}
	return nil
}

// initials are the first letters of the first and last words of a name, upper-cased.
func initials(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return "?"
	}
	first := []rune(words[0])[:1]
	if len(words) == 1 {
		return strings.ToUpper(string(first))
	}
	last := []rune(words[len(words)-1])[:1]
	return strings.Map(unicode.ToUpper, string(first)+string(last))
}

// Board returns a project's columns in order, each with its task cards in order, in two round trips
// whatever the board's size: one batch (scope, visibility, columns, cards) and one lookup of the names of
// the people on the cards. Errors: ENOTFOUND when v cannot see the project.
func (db *DB) Board(ctx context.Context, orgID string, v domain.Viewer, projectID string) ([]*domain.BoardColumn, error) {
	if !validUUID(projectID) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Project not found.")
	}
	var visible bool
	var out []*domain.BoardColumn
	var cards []*domain.TaskCard
	ids := map[string][]string{}
	columns := read{sql: boardColumnsRead, args: []any{orgID, projectID}, scan: func(r pgx.Rows) error {
		for r.Next() {
			c := &domain.BoardColumn{Tasks: []*domain.TaskCard{}}
			if err := r.Scan(&c.ID, &c.ProjectID, &c.Name, &c.Color, &c.Position, &c.IsDone, &c.CreatedAt, &c.UpdatedAt); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	}}
	err := db.tenantRead(ctx, orgID, v.UserID, visibleRead(orgID, v, projectID, &visible), columns,
		cardsRead(boardCardsRead, []any{orgID, projectID}, &cards, ids))
	if err != nil {
		return nil, err
	}
	if !visible {
		return nil, domain.Errorf(domain.ENOTFOUND, "Project not found.")
	}
	if err := db.nameAssignees(ctx, cards, ids); err != nil {
		return nil, err
	}
	byID := make(map[string]*domain.BoardColumn, len(out))
	for _, c := range out {
		byID[c.ID] = c
	}
	for _, card := range cards {
		if c := byID[card.ColumnID]; c != nil {
			c.Tasks = append(c.Tasks, card)
		}
	}
	return out, nil
}

// taskSortSQL is each sort key's ORDER BY expression (ties broken by id).
var taskSortSQL = map[string]string{
	"position":   "c.position %[1]s, t.position %[1]s",
	"due_date":   "t.due_date %[1]s NULLS LAST",
	"priority":   "array_position(ARRAY['low','medium','high','urgent'], t.priority) %[1]s",
	"created_at": "t.created_at %[1]s",
	"number":     "t.number %[1]s",
}

// Tasks returns one filtered, sorted page of a project's task cards and the cursor of the next page (""
// on the last), in two round trips like Board. Errors: ENOTFOUND when v cannot see the project, EINVALID
// for bad filters.
func (db *DB) Tasks(ctx context.Context, orgID string, v domain.Viewer, projectID string, f domain.TaskFilter) ([]*domain.TaskCard, string, error) {
	if !validUUID(projectID) {
		return nil, "", domain.Errorf(domain.ENOTFOUND, "Project not found.")
	}
	offset, err := decodeOffset(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	order, ok := taskSortSQL[f.Sort]
	if !ok {
		return nil, "", domain.Invalid("query.sort", "must be one of "+strings.Join(domain.TaskSorts, ", "))
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	where, args, err := taskListWhere(orgID, projectID, f)
	if err != nil {
		return nil, "", err
	}
	n := len(args)
	q := `SELECT ` + cardColumns + ` FROM tasks t
		JOIN task_board_columns c ON c.organization_id = t.organization_id AND c.id = t.column_id` + where +
		" ORDER BY " + fmt.Sprintf(order, dir) + ", t.id " + dir + fmt.Sprintf(" LIMIT $%d OFFSET $%d", n+1, n+2)
	args = append(args, f.Limit+1, offset)
	var visible bool
	var cards []*domain.TaskCard
	ids := map[string][]string{}
	if err := db.tenantRead(ctx, orgID, v.UserID, visibleRead(orgID, v, projectID, &visible),
		cardsRead(q, args, &cards, ids)); err != nil {
		return nil, "", err
	}
	if !visible {
		return nil, "", domain.Errorf(domain.ENOTFOUND, "Project not found.")
	}
	next := ""
	if len(cards) > f.Limit {
		cards = cards[:f.Limit]
		next = encodeOffset(offset + f.Limit)
	}
	if err := db.nameAssignees(ctx, cards, ids); err != nil {
		return nil, "", err
	}
	return cards, next, nil
}

// taskListWhere builds the WHERE clause of the filters in use with $n placeholders ($1 org, $2 project):
// the text depends only on which filters are set, so each combination is prepared once per connection.
func taskListWhere(orgID, projectID string, f domain.TaskFilter) (string, []any, error) {
	var b strings.Builder
	args := []any{orgID, projectID}
	b.WriteString(" WHERE t.organization_id = $1 AND t.project_id = $2")
	add := func(cond string, v any) {
		args = append(args, v)
		b.WriteString(" AND " + fmt.Sprintf(cond, len(args)))
	}
	if f.AssigneeID != "" {
		if !validUUID(f.AssigneeID) {
			return "", nil, domain.Invalid("query.assignee_id", "must be a member's ID")
		}
		add("$%d = ANY (t.assignee_ids)", f.AssigneeID)
	}
	if f.Priority != "" {
		add("t.priority = $%d", f.Priority)
	}
	if f.DueBefore != nil {
		add("t.due_date <= $%d", f.DueBefore.Format(time.DateOnly))
	}
	if f.DueAfter != nil {
		add("t.due_date >= $%d", f.DueAfter.Format(time.DateOnly))
	}
	if f.ColumnID != "" {
		if !validUUID(f.ColumnID) {
			return "", nil, domain.Invalid("query.column_id", "must be a column of this project")
		}
		add("t.column_id = $%d", f.ColumnID)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		add("lower(t.title) LIKE $%d", "%"+escapeLike(strings.ToLower(s))+"%")
	}
	return b.String(), args, nil
}

// The list pages by offset: its sort keys (due date, priority, column order) are not unique or nullable,
// and a page of a single project's tasks stays cheap to skip to.
func encodeOffset(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(n)))
}

func decodeOffset(c string) (int, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil && len(b) > 1 && b[0] == 'o' {
		if n, err := strconv.Atoi(string(b[1:])); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, domain.Invalid("query.cursor", "is not a valid cursor")
}
