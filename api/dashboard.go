package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// dashboardActivityLimit is how many recent events the dashboard shows.
const dashboardActivityLimit = 10

// Dashboard is an organization's home page as the viewer may see it.
type Dashboard struct {
	From              string `json:"from" format:"date" doc:"First day of the period (UTC)."`
	To                string `json:"to" format:"date" doc:"Last day of the period (UTC), the end of the current month."`
	TotalClients      *int   `json:"total_clients" nullable:"true" doc:"Clients of the organization (1 with a client filter); null without clients.read."`
	ActiveProjects    int    `json:"active_projects" doc:"Visible, unarchived projects with status active."`
	CompletedProjects int    `json:"completed_projects" doc:"Visible, unarchived projects with status completed."`
	Files             int    `json:"files" doc:"Files of the visible projects."`
	// Revenue and MonthlyRevenue are null for a viewer without invoices.read.
	Revenue          []MoneyAmount          `json:"revenue" nullable:"true" doc:"Paid client invoices in the period, one entry per currency (never summed across currencies), by currency code; null without invoices.read."`
	ProjectsByStatus []ProjectStatusCount   `json:"projects_by_status" doc:"Visible, unarchived projects per status, every status in workflow order."`
	ProjectsCreated  []MonthCount           `json:"projects_created" doc:"Visible projects created per month of the period, archived ones included, zero-filled."`
	MonthlyRevenue   []MonthlyRevenueSeries `json:"monthly_revenue" nullable:"true" doc:"Per currency, paid invoice totals per month of payment, zero-filled; null without invoices.read."`
	Activity         []Activity             `json:"activity" doc:"The most recent events the viewer may see (the activity feed's first page)."`
}

// MoneyAmount is an amount in one currency.
type MoneyAmount struct {
	Currency    string `json:"currency" doc:"ISO 4217 code."`
	AmountMinor int64  `json:"amount_minor" doc:"Minor units (cents)."`
}

// ProjectStatusCount is how many projects have a status.
type ProjectStatusCount struct {
	Status string `json:"status" enum:"planning,active,on_hold,completed,cancelled"`
	Count  int    `json:"count"`
}

// MonthCount is a count for one month.
type MonthCount struct {
	Month string `json:"month" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"YYYY-MM (UTC)."`
	Count int    `json:"count"`
}

// MonthlyRevenueSeries is one currency's revenue per month.
type MonthlyRevenueSeries struct {
	Currency string        `json:"currency"`
	Months   []MonthAmount `json:"months"`
}

// MonthAmount is an amount for one month.
type MonthAmount struct {
	Month       string `json:"month" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"YYYY-MM (UTC)."`
	AmountMinor int64  `json:"amount_minor"`
}

func (s *Server) registerDashboard() {
	huma.Register(s.api, huma.Operation{OperationID: "get-dashboard", Method: http.MethodGet,
		Path: "/api/v1/orgs/{org_id}/dashboard", Tags: []string{"Dashboard"}, Security: security,
		Extensions: requires(domain.PermProjectsRead), Summary: "Get the organization's dashboard",
		Description: "Key figures, projects by status, monthly project creation and revenue, and recent activity, " +
			"counting only what the viewer may see: projects under the project list's rule (a member sees the " +
			"projects they are on), revenue only with `invoices.read`. The period is the last `months` months " +
			"(UTC), the current one included.",
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, s.getDashboard)
}

func (s *Server) getDashboard(ctx context.Context, in *struct {
	OrgPath
	ClientID string `query:"client_id" format:"uuid" doc:"Only this client's projects, files, invoices and events."`
	Months   int    `query:"months" default:"6" minimum:"1" maximum:"24" doc:"How many months the period covers, ending with the current month."`
}) (*struct{ Body Dashboard }, error) {
	p := principalFrom(ctx)
	now := time.Now().UTC()
	to := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	from := to.AddDate(0, -in.Months, 0)
	f := domain.DashboardFilter{ClientID: in.ClientID, From: from, To: to, ActivityLimit: dashboardActivityLimit,
		Clients: p.can(domain.PermClientsRead), Revenue: p.can(domain.PermInvoicesRead),
		InvoiceEvents: p.can(domain.PermInvoicesRead)}
	d, err := s.db.Dashboard(ctx, in.OrgID, viewerFrom(ctx), f)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body Dashboard }{Body: dashboardFrom(d, from, to)}, nil
}

func dashboardFrom(d *domain.Dashboard, from, to time.Time) Dashboard {
	var months []string
	for m := from; m.Before(to); m = m.AddDate(0, 1, 0) {
		months = append(months, m.Format("2006-01"))
	}
	out := Dashboard{From: from.Format(time.DateOnly), To: to.AddDate(0, 0, -1).Format(time.DateOnly),
		TotalClients: d.TotalClients, ActiveProjects: d.ProjectsByStatus[domain.ProjectActive],
		CompletedProjects: d.ProjectsByStatus[domain.ProjectCompleted], Files: d.Files,
		ProjectsByStatus: make([]ProjectStatusCount, len(domain.ProjectStatuses)),
		ProjectsCreated:  make([]MonthCount, len(months)), Activity: activitiesFrom(d.Activity)}
	for i, st := range domain.ProjectStatuses {
		out.ProjectsByStatus[i] = ProjectStatusCount{Status: st, Count: d.ProjectsByStatus[st]}
	}
	for i, m := range months {
		out.ProjectsCreated[i] = MonthCount{Month: m, Count: d.ProjectsCreated[m]}
	}
	if d.Revenue != nil {
		out.Revenue, out.MonthlyRevenue = revenueFrom(d.Revenue, months)
	}
	return out
}

// revenueFrom turns sums per month and currency into totals per currency and a zero-filled series per
// currency, both ordered by currency code.
func revenueFrom(byMonth map[string]map[string]int64, months []string) ([]MoneyAmount, []MonthlyRevenueSeries) {
	totals := map[string]int64{}
	for _, amounts := range byMonth {
		for cur, a := range amounts {
			totals[cur] += a
		}
	}
	currencies := make([]string, 0, len(totals))
	for cur := range totals {
		currencies = append(currencies, cur)
	}
	slices.Sort(currencies)
	revenue := make([]MoneyAmount, len(currencies))
	series := make([]MonthlyRevenueSeries, len(currencies))
	for i, cur := range currencies {
		revenue[i] = MoneyAmount{Currency: cur, AmountMinor: totals[cur]}
		series[i] = MonthlyRevenueSeries{Currency: cur, Months: make([]MonthAmount, len(months))}
		for j, m := range months {
			series[i].Months[j] = MonthAmount{Month: m, AmountMinor: byMonth[m][cur]}
		}
	}
	return revenue, series
}
