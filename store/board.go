package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// cardSelect reads task cards with their assignees and subtask counts folded in by correlated subqueries,
// so a board or a page costs one query whatever its size.
const cardSelect = `SELECT t.id, t.column_id, t.number, t.title, t.priority, t.due_date, t.position, t.completed_at, t.created_at,
	coalesce((SELECT json_agg(json_build_object('user_id', u.id, 'name', u.name) ORDER BY u.name)
		FROM task_assignees a JOIN users u ON u.id = a.user_id
		WHERE a.organization_id = t.organization_id AND a.task_id = t.id), '[]') AS assignees,
	st.done AS subtasks_done, st.total AS subtasks_all
	FROM tasks t
	CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE s.done) AS done, count(*) AS total FROM subtasks s
		WHERE s.organization_id = t.organization_id AND s.task_id = t.id) st`

type cardRow struct {
	ID           string     `bun:"id"`
	ColumnID     string     `bun:"column_id"`
	Number       int        `bun:"number"`
	Title        string     `bun:"title"`
	Priority     string     `bun:"priority"`
	DueDate      *time.Time `bun:"due_date"`
	Position     string     `bun:"position"`
	CompletedAt  *time.Time `bun:"completed_at"`
	CreatedAt    time.Time  `bun:"created_at"`
	Assignees    string     `bun:"assignees"`
	SubtasksDone int        `bun:"subtasks_done"`
	SubtasksAll  int        `bun:"subtasks_all"`
}

func (r *cardRow) domain() *domain.TaskCard {
	c := &domain.TaskCard{ID: r.ID, ColumnID: r.ColumnID, Number: r.Number, Title: r.Title, Priority: r.Priority,
		DueDate: r.DueDate, Position: r.Position, CompletedAt: r.CompletedAt, CreatedAt: r.CreatedAt,
		SubtasksDone: r.SubtasksDone, SubtasksAll: r.SubtasksAll, Assignees: []domain.CardAssignee{}}
	var as []struct {
		UserID string `json:"user_id"`
		Name   string `json:"name"`
	}
	_ = json.Unmarshal([]byte(r.Assignees), &as)
	for _, a := range as {
		c.Assignees = append(c.Assignees, domain.CardAssignee{UserID: a.UserID, Name: a.Name, Initials: initials(a.Name)})
	}
	return c
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

// Board returns a project's columns in order, each with its task cards in order, in a fixed number of
// queries. Errors: ENOTFOUND when v cannot see the project.
func (db *DB) Board(ctx context.Context, orgID string, v domain.Viewer, projectID string) ([]*domain.BoardColumn, error) {
	var cols []columnRow
	var cards []cardRow
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		if err := checkProjectVisible(ctx, tx, orgID, v, projectID); err != nil {
			return err
		}
		if err := tx.NewSelect().Model(&cols).Where("organization_id = ? AND project_id = ?", orgID, projectID).
			OrderExpr("position").Scan(ctx); err != nil {
			return err
		}
		return tx.NewRaw(cardSelect+" WHERE t.organization_id = ? AND t.project_id = ? ORDER BY t.column_id, t.position",
			orgID, projectID).Scan(ctx, &cards)
	})
	if err != nil {
		return nil, err
	}
	out := make([]*domain.BoardColumn, len(cols))
	byID := map[string]*domain.BoardColumn{}
	for i := range cols {
		out[i] = &domain.BoardColumn{Column: *cols[i].domain(), Tasks: []*domain.TaskCard{}}
		byID[cols[i].ID] = out[i]
	}
	for i := range cards {
		if c := byID[cards[i].ColumnID]; c != nil {
			c.Tasks = append(c.Tasks, cards[i].domain())
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

// Tasks returns one filtered, sorted page of a project's task cards (one query) and the cursor of the
// next page ("" on the last). Errors: ENOTFOUND when v cannot see the project, EINVALID for bad filters.
func (db *DB) Tasks(ctx context.Context, orgID string, v domain.Viewer, projectID string, f domain.TaskFilter) ([]*domain.TaskCard, string, error) {
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
	q, args := taskListWhere(orgID, projectID, f)
	q = cardSelect + " JOIN task_board_columns c ON c.organization_id = t.organization_id AND c.id = t.column_id" + q +
		" ORDER BY " + fmt.Sprintf(order, dir) + ", t.id " + dir + " LIMIT ? OFFSET ?"
	args = append(args, f.Limit+1, offset)
	var rows []cardRow
	err = db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		if err := checkProjectVisible(ctx, tx, orgID, v, projectID); err != nil {
			return err
		}
		return tx.NewRaw(q, args...).Scan(ctx, &rows)
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		next = encodeOffset(offset + f.Limit)
	}
	out := make([]*domain.TaskCard, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, next, nil
}

// taskListWhere builds the WHERE clause of the filters in use.
func taskListWhere(orgID, projectID string, f domain.TaskFilter) (string, []any) {
	var b strings.Builder
	args := []any{orgID, projectID}
	b.WriteString(" WHERE t.organization_id = ? AND t.project_id = ?")
	add := func(cond string, v any) {
		b.WriteString(" AND " + cond)
		args = append(args, v)
	}
	if f.AssigneeID != "" {
		add(`EXISTS (SELECT 1 FROM task_assignees fa WHERE fa.organization_id = t.organization_id
			AND fa.task_id = t.id AND fa.user_id = ?)`, f.AssigneeID)
	}
	if f.Priority != "" {
		add("t.priority = ?", f.Priority)
	}
	if f.DueBefore != nil {
		add("t.due_date <= ?", f.DueBefore.Format(time.DateOnly))
	}
	if f.DueAfter != nil {
		add("t.due_date >= ?", f.DueAfter.Format(time.DateOnly))
	}
	if f.ColumnID != "" {
		add("t.column_id = ?", f.ColumnID)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		add("lower(t.title) LIKE ?", "%"+escapeLike(strings.ToLower(s))+"%")
	}
	return b.String(), args
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
