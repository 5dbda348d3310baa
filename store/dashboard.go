package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/clientflow/clientflow/domain"
)

// sqlArgs numbers a statement's parameters as they are added, so a statement's text depends only on
// which filters are in use, never on their values.
type sqlArgs []any

func (a *sqlArgs) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// Dashboard reads orgID's dashboard as v may see it: projects under the project list's visibility rule
// (projectVisibleSQL), paid invoices under the invoice list's (invoiceVisibleSQL), events under the
// activity feed's. Its five or six statements go to Postgres as one pipelined batch (one round trip).
// Errors: ENOTFOUND for a client filter naming no client of orgID.
func (db *DB) Dashboard(ctx context.Context, orgID string, v domain.Viewer, f domain.DashboardFilter) (*domain.Dashboard, error) {
	if f.ClientID != "" && !validUUID(f.ClientID) {
		return nil, domain.Errorf(domain.ENOTFOUND, clientNotFound)
	}
	out := &domain.Dashboard{ProjectsByStatus: map[string]int{}, ProjectsCreated: map[string]int{},
		Activity: []*domain.Activity{}}
	for _, s := range domain.ProjectStatuses {
		out.ProjectsByStatus[s] = 0
	}
	var clients int
	reads := []read{
		dashboardClients(orgID, f, &clients),
		dashboardFiles(orgID, v, f, &out.Files),
		dashboardProjectsByStatus(orgID, v, f, out.ProjectsByStatus),
		dashboardProjectsCreated(orgID, v, f, out.ProjectsCreated),
		dashboardActivity(orgID, v, f, &out.Activity),
	}
	if f.Revenue {
		out.Revenue = map[string]map[string]int64{}
		reads = append(reads, dashboardRevenue(orgID, v, f, out.Revenue))
	}
	if err := db.tenantRead(ctx, orgID, v.UserID, reads...); err != nil {
		return nil, err
	}
	if f.ClientID != "" && clients == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, clientNotFound)
	}
	if f.Clients {
		out.TotalClients = &clients
	}
	return out, nil
}

// visibleProjects starts a statement's conditions on projects aliased p: the organization (its first
// parameter, so $1 when args is empty), the viewer's visibility and the client filter.
func visibleProjects(args *sqlArgs, orgID string, v domain.Viewer, f domain.DashboardFilter) string {
	cond := "p.organization_id = " + args.add(orgID) + " AND " +
		formatRule(projectVisibleSQL, args.add(v.SeesAllProjects()), args.add(nullable(v.UserID)))
	if f.ClientID != "" {
		cond += " AND p.client_id = " + args.add(f.ClientID)
	}
	return cond
}

// dashboardClients counts the organization's clients (or the filtered one, so 0 means it does not exist).
func dashboardClients(orgID string, f domain.DashboardFilter, n *int) read {
	args := sqlArgs{}
	q := "SELECT count(*) FROM clients c WHERE c.organization_id = " + args.add(orgID)
	if f.ClientID != "" {
		q += " AND c.id = " + args.add(f.ClientID)
	}
	return read{sql: q, args: args, scan: scanOne(n)}
}

func dashboardFiles(orgID string, v domain.Viewer, f domain.DashboardFilter, n *int) read {
	args := sqlArgs{}
	if v.SeesAllProjects() && f.ClientID == "" {
		// Every project counts: an index-only count of files_org_project_idx, without grouping 20,000 files
		// by project to join them with 5,000 projects (which took 9 ms of the dashboard's 14).
		return read{sql: "SELECT count(*) FROM files WHERE organization_id = " + args.add(orgID), args: args,
			scan: scanOne(n)}
	}
	// A member's or one client's projects are few: count each one's files through the same index.
	q := `SELECT coalesce(sum(f.n), 0)::bigint FROM projects p CROSS JOIN LATERAL (SELECT count(*) AS n FROM files
		WHERE files.organization_id = p.organization_id AND files.project_id = p.id) f WHERE ` +
		visibleProjects(&args, orgID, v, f)
	return read{sql: q, args: args, scan: scanOne(n)}
}

// dashboardProjectsByStatus counts unarchived projects per status, as the project list (which hides
// archived projects by default) would show them.
func dashboardProjectsByStatus(orgID string, v domain.Viewer, f domain.DashboardFilter, out map[string]int) read {
	args := sqlArgs{}
	q := "SELECT p.status, count(*) FROM projects p WHERE " + visibleProjects(&args, orgID, v, f) +
		" AND p.archived_at IS NULL GROUP BY p.status"
	return read{sql: q, args: args, scan: func(r pgx.Rows) error {
		for r.Next() {
			var status string
			var n int
			if err := r.Scan(&status, &n); err != nil {
				return err
			}
			out[status] = n
		}
		return nil
	}}
}

// dashboardProjectsCreated counts projects created per UTC month of the period, archived ones included:
// archiving a project does not undo its creation.
func dashboardProjectsCreated(orgID string, v domain.Viewer, f domain.DashboardFilter, out map[string]int) read {
	args := sqlArgs{}
	q := "SELECT to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM'), count(*) FROM projects p WHERE " +
		visibleProjects(&args, orgID, v, f) + " AND p.created_at >= " + args.add(f.From) +
		" AND p.created_at < " + args.add(f.To) + " GROUP BY 1"
	return read{sql: q, args: args, scan: func(r pgx.Rows) error {
		for r.Next() {
			var month string
			var n int
			if err := r.Scan(&month, &n); err != nil {
				return err
			}
			out[month] = n
		}
		return nil
	}}
}

// dashboardRevenue sums the totals of paid invoices per UTC month of their payment and currency.
func dashboardRevenue(orgID string, v domain.Viewer, f domain.DashboardFilter, out map[string]map[string]int64) read {
	args := sqlArgs{}
	q := `SELECT to_char(i.paid_at AT TIME ZONE 'UTC', 'YYYY-MM'), i.currency, sum(i.total)::bigint FROM invoices i
		WHERE i.organization_id = ` + args.add(orgID) + " AND i.status = 'paid' AND " +
		formatRule(invoiceVisibleSQL, args.add(v.SeesAllProjects()), args.add(nullable(v.UserID))) +
		" AND i.paid_at >= " + args.add(f.From) + " AND i.paid_at < " + args.add(f.To)
	if f.ClientID != "" {
		q += " AND i.client_id = " + args.add(f.ClientID)
	}
	q += " GROUP BY 1, 2"
	return read{sql: q, args: args, scan: func(r pgx.Rows) error {
		for r.Next() {
			var month, currency string
			var amount int64
			if err := r.Scan(&month, &currency, &amount); err != nil {
				return err
			}
			if out[month] == nil {
				out[month] = map[string]int64{}
			}
			out[month][currency] = amount
		}
		return nil
	}}
}

// dashboardActivity is the activity feed's first page (its columns and visibility rule), narrowed to the
// client and its projects when filtered; invoice events stay out unless the viewer may read invoices.
func dashboardActivity(orgID string, v domain.Viewer, f domain.DashboardFilter, out *[]*domain.Activity) read {
	args := sqlArgs{}
	q := activityColumns + " WHERE e.organization_id = " + args.add(orgID) +
		fmt.Sprintf(eventVisiblePgSQL, 2, 3)
	args = append(args, v.SeesAllProjects(), nullable(v.UserID))
	if f.ClientID != "" {
		c := args.add(f.ClientID)
		q += " AND ((e.entity_type = 'client' AND e.entity_id = " + c + ") OR e.project_id IN (SELECT p.id FROM projects p WHERE p.organization_id = $1 AND p.client_id = " + c + "))"
	}
	if !f.InvoiceEvents {
		q += " AND e.entity_type <> 'invoice'"
	}
	q += " ORDER BY e.id DESC LIMIT " + args.add(f.ActivityLimit)
	return read{sql: q, args: args, scan: func(r pgx.Rows) error {
		for r.Next() {
			a, err := scanActivity(r)
			if err != nil {
				return err
			}
			*out = append(*out, a)
		}
		return nil
	}}
}

// scanOne reads a single count.
func scanOne(n *int) func(pgx.Rows) error {
	return func(r pgx.Rows) error {
		for r.Next() {
			if err := r.Scan(n); err != nil {
				return err
			}
		}
		return nil
	}
}
