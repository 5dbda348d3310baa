package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Export kinds: each is the CSV of one list, with that list's filters.
const (
	ExportAuditLog    = "audit_log"
	ExportActivity    = "activity"
	ExportTimeEntries = "time_entries"
	ExportTasks       = "tasks"
	ExportClients     = "clients"
	ExportInvoices    = "invoices"
)

// ExportKinds are the kinds an export may have.
var ExportKinds = []string{ExportAuditLog, ExportActivity, ExportTimeEntries, ExportTasks, ExportClients, ExportInvoices}

// Export statuses.
const (
	ExportPending = "pending"
	ExportRunning = "running"
	ExportReady   = "ready"
	ExportFailed  = "failed"
)

// ExportLinkTTL is how long a finished export can be downloaded (and its email link works).
const ExportLinkTTL = 24 * time.Hour

// ExportPermission is the permission reading an export kind needs: the one its list needs.
func ExportPermission(kind string) Permission {
	switch kind {
	case ExportAuditLog:
		return PermAuditRead
	case ExportActivity:
		return PermProjectsRead
	case ExportTimeEntries:
		return PermTimeRead
	case ExportTasks:
		return PermTasksRead
	case ExportClients:
		return PermClientsRead
	case ExportInvoices:
		return PermInvoicesRead
	}
	return ""
}

// Export is one requested CSV export. Only RequestedBy may see or download it.
type Export struct {
	ID             string
	OrganizationID string
	RequestedBy    string
	Kind           string
	Filters        ExportFilters
	Status         string
	// RowsDone is how many rows the file holds so far; RowsTotal the estimate taken when the export started.
	RowsDone  int64
	RowsTotal *int64
	Bytes     *int64
	FileKey   string
	Error     string
	CreatedAt time.Time
	UpdatedAt time.Time
	// FinishedAt is when the export became ready or failed; ExpiresAt when a ready export stops downloading.
	FinishedAt *time.Time
	ExpiresAt  *time.Time
}

// Expired reports whether a ready export's download window has closed at now.
func (e *Export) Expired(now time.Time) bool { return e.ExpiresAt != nil && !now.Before(*e.ExpiresAt) }

// ExportFilters are the list filters an export was requested with: exactly one field, the one of its kind,
// is set. Limit and Cursor inside them are ignored (the export pages through every row).
type ExportFilters struct {
	// Query is the list's query parameters as the requester sent them, shown back with the export.
	Query       map[string]string `json:"query,omitempty"`
	AuditLog    *AuditFilter      `json:"audit_log,omitempty"`
	Activity    *ActivityFilter   `json:"activity,omitempty"`
	TimeEntries *TimeEntryFilter  `json:"time_entries,omitempty"`
	Tasks       *TaskExportScope  `json:"tasks,omitempty"`
	Clients     *ClientFilter     `json:"clients,omitempty"`
	Invoices    *InvoiceFilter    `json:"invoices,omitempty"`
}

// TaskExportScope is a project's task list with its filters.
type TaskExportScope struct {
	ProjectID string
	Filter    TaskFilter
}

// ExportRef names one export: the input of its workflow.
type ExportRef struct {
	OrganizationID string
	ExportID       string
}

// ExportProgress is what an export's activity reports with every batch (its heartbeat details).
type ExportProgress struct {
	RowsDone  int64
	RowsTotal int64
}

// DecimalAmount writes minor units as a plain decimal for spreadsheets, e.g. 123450 EUR → "1234.50" (no
// grouping, no currency sign: the currency code has its own column).
func DecimalAmount(amount int64, currency string) string {
	return formatMinor(amount, currency, func(n int64) string { return fmt.Sprint(n) })
}

// SignExportLink is the signature of an export's download link: the organization, the export, its requester
// and the link's expiry (Unix seconds) under the session secret. The link also needs the requester's session.
func SignExportLink(secret, orgID, exportID, userID string, exp int64) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "export-download\n%s\n%s\n%s\n%d", orgID, exportID, userID, exp)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// ExportDownloadPath is the API path of an export's signed download link, valid until exp.
func ExportDownloadPath(secret, orgID, exportID, userID string, exp time.Time) string {
	return "/api/v1/orgs/" + orgID + "/exports/" + exportID + "/download?" + exportLinkQuery(secret, orgID, exportID, userID, exp)
}

// ExportPagePath is the app page the "export ready" email links to: it carries the same signature as the
// download link, sends a signed-out reader through sign-in first, then starts the download.
func ExportPagePath(secret, orgID, exportID, userID string, exp time.Time) string {
	return "/orgs/" + orgID + "/exports/" + exportID + "?" + exportLinkQuery(secret, orgID, exportID, userID, exp)
}

func exportLinkQuery(secret, orgID, exportID, userID string, exp time.Time) string {
	return url.Values{"exp": {strconv.FormatInt(exp.Unix(), 10)},
		"sig": {SignExportLink(secret, orgID, exportID, userID, exp.Unix())}}.Encode()
}
