package domain

import "time"

// DashboardFilter narrows an organization's dashboard.
type DashboardFilter struct {
	// ClientID, when set, limits every figure to that client (its projects, files, invoices and events).
	ClientID string
	// From and To bound the monthly series: From is the first day of the first month, To the first day
	// after the last month (UTC).
	From, To time.Time
	// Clients, Revenue and InvoiceEvents say what the viewer may read: the client count, paid invoices
	// and invoice events in the recent activity.
	Clients, Revenue, InvoiceEvents bool
	// ActivityLimit is how many recent events to return.
	ActivityLimit int
}

// Dashboard is what an organization's home page shows, as one viewer may see it.
type Dashboard struct {
	// TotalClients is nil when the viewer may not read clients.
	TotalClients *int
	Files        int
	// ProjectsByStatus counts the visible, unarchived projects per status (every status present).
	ProjectsByStatus map[string]int
	// ProjectsCreated counts visible projects created per month of the period, keyed "YYYY-MM".
	ProjectsCreated map[string]int
	// Revenue sums paid invoices per month ("YYYY-MM") and currency; nil when the viewer may not read invoices.
	Revenue  map[string]map[string]int64
	Activity []*Activity
}
