package store

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// summaryGroups maps a grouping to its key and label expressions; only these strings reach the SQL.
// Days and weeks are UTC; a week is keyed by its Monday.
var summaryGroups = map[string][2]string{
	domain.GroupByProject: {"te.project_id::text", "p.name"},
	domain.GroupByTask:    {"coalesce(te.task_id::text, '')", "coalesce(t.title, '')"},
	domain.GroupByUser:    {"te.user_id::text", "u.name"},
	domain.GroupByDay:     {"to_char(te.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')", "''"},
	domain.GroupByWeek:    {"to_char(date_trunc('week', te.started_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')", "''"},
}

// TimeSummary adds up the stopped entries v may see per group in one grouped query. Running timers count
// once stopped. Errors: EINVALID (grouping), ENOTFOUND (project filter not visible).
func (db *DB) TimeSummary(ctx context.Context, orgID string, v domain.Viewer, f domain.TimeSummaryFilter) ([]domain.TimeTotal, error) {
	group, ok := summaryGroups[f.GroupBy]
	if !ok {
		return nil, domain.Invalid("query.group_by", "must be project, task, user, day or week")
	}
	var b strings.Builder
	b.WriteString(`SELECT ` + group[0] + ` AS key, ` + group[1] + ` AS label,
		sum(te.minutes) AS minutes, coalesce(sum(te.minutes) FILTER (WHERE te.billable), 0) AS billable_minutes
		FROM time_entries te
		JOIN projects p ON p.organization_id = te.organization_id AND p.id = te.project_id
		LEFT JOIN tasks t ON t.organization_id = te.organization_id AND t.id = te.task_id
		JOIN users u ON u.id = te.user_id
		WHERE te.organization_id = ? AND te.minutes IS NOT NULL AND ` + visibleEntrySQL)
	args := append([]any{orgID}, visibleEntryArgs(v)...)
	add := func(cond string, vals ...any) { b.WriteString(" AND " + cond); args = append(args, vals...) }
	if f.ProjectID != "" {
		add("te.project_id = ?", f.ProjectID)
	}
	addRange(add, f.From, f.To)
	b.WriteString(" GROUP BY 1, 2 ORDER BY 1")
	var rows []struct {
		Key             string `bun:"key"`
		Label           string `bun:"label"`
		Minutes         int64  `bun:"minutes"`
		BillableMinutes int64  `bun:"billable_minutes"`
	}
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		if f.ProjectID != "" {
			if _, err := enterProject(ctx, tx, orgID, v, f.ProjectID); err != nil {
				return err
			}
		}
		return tx.NewRaw(b.String(), args...).Scan(ctx, &rows)
	})
	if err != nil {
		return nil, err
	}
	out := make([]domain.TimeTotal, len(rows))
	for i, r := range rows {
		label := r.Label
		if label == "" {
			label = r.Key
		}
		out[i] = domain.TimeTotal{Key: r.Key, Label: label, Minutes: r.Minutes, BillableMinutes: r.BillableMinutes}
	}
	return out, nil
}

// ProjectBudget compares a project's budget with everyone's stopped time on it (the burn is the project's,
// not the viewer's). Errors: ENOTFOUND (also when v may not see the project).
func (db *DB) ProjectBudget(ctx context.Context, orgID string, v domain.Viewer, projectID string) (*domain.ProjectBudget, error) {
	out := &domain.ProjectBudget{ProjectID: projectID}
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, pt projectTx) error {
		return pt.NewRaw(`SELECT p.budget_amount, p.budget_currency, p.budget_minutes, p.hourly_rate,
			coalesce(sum(te.minutes), 0), coalesce(sum(te.minutes) FILTER (WHERE te.billable), 0)
			FROM projects p
			LEFT JOIN time_entries te ON te.organization_id = p.organization_id AND te.project_id = p.id
			WHERE p.organization_id = ? AND p.id = ?
			GROUP BY p.id`, pt.orgID, pt.projectID).Scan(ctx, &out.BudgetAmount, &out.BudgetCurrency, &out.BudgetMinutes,
			&out.HourlyRate, &out.LoggedMinutes, &out.BillableMinutes)
	})
	if err != nil {
		return nil, err
	}
	out.Burn()
	return out, nil
}
