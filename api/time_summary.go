package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// TimeTotal is one group of a time summary.
type TimeTotal struct {
	Key             string `json:"key" doc:"Project, task or user ID (\"\" for entries without a task), or a day YYYY-MM-DD (a week is its Monday)."`
	Label           string `json:"label" doc:"Project name, task title or user name; the key for days and weeks."`
	Minutes         int64  `json:"minutes"`
	BillableMinutes int64  `json:"billable_minutes"`
}

// TimeSummary is the stopped time the caller may see, added up per group.
type TimeSummary struct {
	GroupBy              string      `json:"group_by"`
	Data                 []TimeTotal `json:"data"`
	TotalMinutes         int64       `json:"total_minutes"`
	TotalBillableMinutes int64       `json:"total_billable_minutes"`
}

// ProjectBudgetBurn is a project's budget next to the time logged against it. Amounts are minor units of
// budget_currency.
type ProjectBudgetBurn struct {
	ProjectID          string   `json:"project_id" format:"uuid"`
	BudgetAmount       *int64   `json:"budget_amount" nullable:"true"`
	BudgetCurrency     *string  `json:"budget_currency" nullable:"true"`
	BudgetMinutes      *int64   `json:"budget_minutes" nullable:"true"`
	HourlyRate         *int64   `json:"hourly_rate" nullable:"true" doc:"Minor units per hour."`
	LoggedMinutes      int64    `json:"logged_minutes"`
	BillableMinutes    int64    `json:"billable_minutes"`
	BillableAmount     *int64   `json:"billable_amount" nullable:"true" doc:"billable_minutes × hourly_rate / 60, rounded half up to a minor unit; null without a rate."`
	PercentMinutesUsed *float64 `json:"percent_minutes_used" nullable:"true" doc:"logged_minutes / budget_minutes, one decimal; null without a minutes budget."`
	PercentAmountUsed  *float64 `json:"percent_amount_used" nullable:"true" doc:"billable_amount / budget_amount, one decimal; null without an amount budget or rate."`
}

// ProjectBudgetPath addresses one project's budget.
type ProjectBudgetPath struct {
	OrgID     string `path:"org_id" format:"uuid" doc:"Organization ID."`
	ProjectID string `path:"project_id" format:"uuid" doc:"Project ID."`
}

func (s *Server) registerTimeSummary() {
	huma.Register(s.api, huma.Operation{
		OperationID: "get-time-summary", Method: http.MethodGet, Path: "/api/v1/orgs/{org_id}/time/summary",
		Tags: []string{"Time"}, Security: security, Extensions: requires(domain.PermTimeRead),
		Summary:     "Add up time per project, task, user, day or week",
		Description: "Counts stopped entries the caller may see (members: their own). Days and weeks are UTC; weeks start on Monday.",
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, s.timeSummary)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-project-budget", Method: http.MethodGet, Path: "/api/v1/orgs/{org_id}/projects/{project_id}/budget",
		Tags: []string{"Time"}, Security: security, Extensions: requires(domain.PermTimeRead),
		Summary:     "Budget burn of a project",
		Description: "Logged and billable minutes of everyone on the project against its budget.",
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound},
	}, s.projectBudget)
}

func (s *Server) timeSummary(ctx context.Context, in *struct {
	OrgPath
	DateRange
	GroupBy   string `query:"group_by" required:"true" enum:"project,task,user,day,week"`
	ProjectID string `query:"project_id" format:"uuid"`
}) (*struct{ Body TimeSummary }, error) {
	f := domain.TimeSummaryFilter{GroupBy: in.GroupBy, ProjectID: in.ProjectID}
	f.From, f.To = in.days()
	totals, err := s.db.TimeSummary(ctx, in.OrgID, viewerFrom(ctx), f)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := TimeSummary{GroupBy: in.GroupBy, Data: make([]TimeTotal, len(totals))}
	for i, t := range totals {
		out.Data[i] = TimeTotal{Key: t.Key, Label: t.Label, Minutes: t.Minutes, BillableMinutes: t.BillableMinutes}
		out.TotalMinutes += t.Minutes
		out.TotalBillableMinutes += t.BillableMinutes
	}
	return &struct{ Body TimeSummary }{Body: out}, nil
}

func (s *Server) projectBudget(ctx context.Context, in *ProjectBudgetPath) (*struct{ Body ProjectBudgetBurn }, error) {
	b, err := s.db.ProjectBudget(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body ProjectBudgetBurn }{Body: ProjectBudgetBurn{ProjectID: b.ProjectID, BudgetAmount: b.BudgetAmount,
		BudgetCurrency: b.BudgetCurrency, BudgetMinutes: b.BudgetMinutes, HourlyRate: b.HourlyRate,
		LoggedMinutes: b.LoggedMinutes, BillableMinutes: b.BillableMinutes, BillableAmount: b.BillableAmount,
		PercentMinutesUsed: b.PercentMinutesUsed, PercentAmountUsed: b.PercentAmountUsed}}, nil
}
