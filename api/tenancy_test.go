package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// tenantIDs are the IDs a cross-tenant route is built from: the attacker's own organization and client (A)
// and the victim's (B).
type tenantIDs struct {
	OrgA, ClientA, OrgB, ClientB string
	// MemberB is Bob's membership of org B; InvitationB is a pending invitation of org B.
	MemberB, InvitationB string
	// ProjectB is a project of org B; TimeEntryB is Bob's time entry on it.
	ProjectB, TimeEntryB string
	// TemplateB is a project template of org B; UserB is Bob, org B's owner.
	TemplateB, UserB string
	// ProjectA is a project of org A; BoardB is a column, task and subtask on ProjectB.
	ProjectA string
	BoardB   boardIDs
	// CommentB is a comment on BoardB.Task; FileB is a file attached to it.
	CommentB, FileB string
	// InvoiceB is a draft invoice of org B to ClientB.
	InvoiceB string
	// NotificationB is Bob's notification in org B; PushSubscriptionB is his browser subscribed there.
	NotificationB, PushSubscriptionB string
	// WebhookEndpointB is a webhook endpoint of org B; WebhookDeliveryB is a test delivery to it.
	WebhookEndpointB, WebhookDeliveryB string
	// APIKeyB is Bob's API key of org B.
	APIKeyB string
	// ExportB is Bob's CSV export of org B.
	ExportB string
	// DomainB is an email domain org B claims (it also has an SSO connection and an IP allowlist).
	DomainB string
}

// crossTenantRoutes smuggle org B's IDs past org A: through org A's path, through a project of org A, or in
// a body or header. Every route with org B's own path is walked from the OpenAPI document instead (see
// walkB), so a new route needs no row here.
var crossTenantRoutes = []struct {
	name   string
	method string
	path   func(id tenantIDs) string
	body   any // or func(tenantIDs) any, for a body that names IDs
	header []header
}{
	{"POST_org_B_notification_read_through_org_A", http.MethodPost,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/notifications/" + id.NotificationB + "/read"
		}, nil, nil},
	{"POST_org_B_api_key_revoke_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/api-keys/" + id.APIKeyB + "/revoke" }, nil, nil},
	{"DELETE_org_B_api_key_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/api-keys/" + id.APIKeyB }, nil, nil},
	{"GET_org_B_webhook_endpoint_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/webhooks/" + id.WebhookEndpointB }, nil, nil},
	{"PATCH_org_B_webhook_endpoint_through_org_A", http.MethodPatch,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/webhooks/" + id.WebhookEndpointB },
		map[string]any{"url": "https://attacker.example/steal"}, nil},
	{"POST_org_B_webhook_secret_rotation_through_org_A", http.MethodPost,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/webhooks/" + id.WebhookEndpointB + "/rotate-secret"
		}, nil, nil},
	{"POST_org_B_webhook_delivery_replay_through_org_A", http.MethodPost,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/webhooks/" + id.WebhookEndpointB + "/deliveries/" + id.WebhookDeliveryB + "/replay"
		}, nil, nil},
	{"DELETE_org_B_push_subscription_through_org_A", http.MethodDelete,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/push-subscriptions/" + id.PushSubscriptionB
		}, nil, nil},
	{"POST_org_B_domain_verification_through_org_A", http.MethodPost,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/security/domains/" + id.DomainB + "/verify"
		}, nil, nil},
	{"DELETE_org_B_domain_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/security/domains/" + id.DomainB }, nil, nil},
	{"GET_org_B_export_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/exports/" + id.ExportB }, nil, nil},
	{"GET_org_B_export_download_through_org_A", http.MethodGet,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/exports/" + id.ExportB + "/download?exp=1&sig=x"
		}, nil, nil},
	{"POST_export_of_org_B_project_tasks_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/exports" },
		func(id tenantIDs) any {
			return map[string]any{"kind": "tasks", "filters": map[string]string{"project_id": id.ProjectB}}
		}, nil},
	{"GET_org_B_client_in_org_A_dashboard_filter", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/dashboard?client_id=" + id.ClientB }, nil, nil},
	{"GET_org_B_task_comments_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return id.commentsB(id.OrgA, id.ProjectB) }, nil, nil},
	{"POST_org_B_task_comment_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return id.commentsB(id.OrgA, id.ProjectB) }, crossTenantComment, nil},
	{"POST_org_B_task_comment_through_project_A", http.MethodPost,
		func(id tenantIDs) string { return id.commentsB(id.OrgA, id.ProjectA) }, crossTenantComment, nil},
	{"PATCH_org_B_comment_through_org_A", http.MethodPatch,
		func(id tenantIDs) string { return id.commentsB(id.OrgA, id.ProjectB) + "/" + id.CommentB }, crossTenantComment, nil},
	{"PATCH_org_B_comment_through_project_A", http.MethodPatch,
		func(id tenantIDs) string { return id.commentsB(id.OrgA, id.ProjectA) + "/" + id.CommentB }, crossTenantComment, nil},
	{"DELETE_org_B_comment_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return id.commentsB(id.OrgA, id.ProjectB) + "/" + id.CommentB }, nil, nil},
	{"GET_org_B_project_files_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return id.projectPath(id.OrgA, id.ProjectB) + "/files" }, nil, nil},
	{"GET_org_B_task_files_through_org_A", http.MethodGet,
		func(id tenantIDs) string {
			return id.projectPath(id.OrgA, id.ProjectB) + "/tasks/" + id.BoardB.Task + "/files"
		}, nil, nil},
	{"GET_org_B_task_files_through_project_A", http.MethodGet,
		func(id tenantIDs) string {
			return id.projectPath(id.OrgA, id.ProjectA) + "/tasks/" + id.BoardB.Task + "/files"
		}, nil, nil},
	{"POST_file_into_org_B_project_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return id.projectPath(id.OrgA, id.ProjectB) + "/files" },
		crossTenantUpload(""), []header{{"Content-Type", crossTenantUploadType}}},
	{"POST_file_onto_org_B_task_through_project_A", http.MethodPost,
		func(id tenantIDs) string { return id.projectPath(id.OrgA, id.ProjectA) + "/files" },
		func(id tenantIDs) any { return crossTenantUpload(id.BoardB.Task) }, []header{{"Content-Type", crossTenantUploadType}}},
	{"GET_org_B_file_url_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return id.projectPath(id.OrgA, id.ProjectB) + "/files/" + id.FileB + "/url" }, nil, nil},
	{"GET_org_B_file_url_through_project_A", http.MethodGet,
		func(id tenantIDs) string { return id.projectPath(id.OrgA, id.ProjectA) + "/files/" + id.FileB + "/url" }, nil, nil},
	{"DELETE_org_B_file_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return id.projectPath(id.OrgA, id.ProjectB) + "/files/" + id.FileB }, nil, nil},
	{"DELETE_org_B_file_through_project_A", http.MethodDelete,
		func(id tenantIDs) string { return id.projectPath(id.OrgA, id.ProjectA) + "/files/" + id.FileB }, nil, nil},
	{"GET_org_B_client_portal_previewed_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/portal?client_id=" + id.ClientB }, nil, nil},
	{"GET_org_B_client_portal_projects_previewed_through_org_A", http.MethodGet,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/portal/projects?client_id=" + id.ClientB
		}, nil, nil},
	{"POST_org_B_clients_with_idempotency_key", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/clients" },
		map[string]any{"name": "Planted by A"}, []header{{"Idempotency-Key", "victim-key"}}},
	{"GET_org_B_client_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/clients/" + id.ClientB }, nil, nil},
	{"PATCH_org_B_client_through_org_A", http.MethodPatch,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/clients/" + id.ClientB },
		map[string]any{"name": "Hijacked"}, nil},
	{"DELETE_org_B_client_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/clients/" + id.ClientB }, nil, nil},
	{"PUT_org_B_member_role_through_org_A", http.MethodPut,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/members/" + id.MemberB + "/role" },
		map[string]any{"role": "client"}, nil},
	{"PUT_org_B_member_status_through_org_A", http.MethodPut,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/members/" + id.MemberB + "/status" },
		map[string]any{"status": "suspended"}, nil},
	{"DELETE_org_B_member_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/members/" + id.MemberB }, nil, nil},
	{"GET_org_B_member_permissions_through_org_A", http.MethodGet,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/members/" + id.MemberB + "/permissions"
		}, nil, nil},
	{"PUT_org_B_member_permissions_through_org_A", http.MethodPut,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/members/" + id.MemberB + "/permissions"
		},
		map[string]any{"overrides": []map[string]any{{"permission": "clients.read", "granted": false}}}, nil},
	{"DELETE_org_B_invitation_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/invitations/" + id.InvitationB }, nil, nil},
	{"POST_org_B_invitation_resend_through_org_A", http.MethodPost,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/invitations/" + id.InvitationB + "/resend"
		}, nil, nil},
	{"POST_timer_start_in_org_A_on_org_B_project", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/time/timer/start" },
		func(id tenantIDs) any { return map[string]any{"project_id": id.ProjectB} }, nil},
	{"POST_time_entry_in_org_A_on_org_B_project", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/time/entries" },
		func(id tenantIDs) any {
			return map[string]any{"project_id": id.ProjectB, "date": "2026-01-05", "minutes": 60}
		}, nil},
	{"PATCH_org_B_time_entry_through_org_A", http.MethodPatch,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/time/entries/" + id.TimeEntryB },
		map[string]any{"minutes": 1}, nil},
	{"DELETE_org_B_time_entry_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/time/entries/" + id.TimeEntryB }, nil, nil},
	{"GET_time_summary_in_org_A_of_org_B_project", http.MethodGet,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/time/summary?group_by=user&project_id=" + id.ProjectB
		}, nil, nil},
	{"GET_org_B_project_budget_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/budget" }, nil, nil},
	{"GET_org_B_board_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/board" }, nil, nil},
	{"GET_org_B_columns_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/columns" }, nil, nil},
	{"POST_org_B_columns_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/columns" },
		map[string]any{"name": "Planted"}, nil},
	{"PATCH_org_B_column_through_org_A", http.MethodPatch,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/columns/" + id.BoardB.Column
		}, map[string]any{"name": "Hijacked"}, nil},
	{"PATCH_org_B_column_through_org_A_project", http.MethodPatch,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectA + "/columns/" + id.BoardB.Column
		}, map[string]any{"name": "Hijacked"}, nil},
	{"DELETE_org_B_column_through_org_A_project", http.MethodDelete,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectA + "/columns/" + id.BoardB.Column
		}, nil, nil},
	{"GET_org_B_tasks_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/tasks" }, nil, nil},
	{"POST_org_B_tasks_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/tasks" },
		map[string]any{"title": "Planted"}, nil},
	{"GET_org_B_task_through_org_A", http.MethodGet,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/tasks/" + id.BoardB.Task
		}, nil, nil},
	{"GET_org_B_task_through_org_A_project", http.MethodGet,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectA + "/tasks/" + id.BoardB.Task
		}, nil, nil},
	{"PATCH_org_B_task_through_org_A_project", http.MethodPatch,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectA + "/tasks/" + id.BoardB.Task
		}, map[string]any{"title": "Hijacked"}, nil},
	{"POST_org_B_task_move_through_org_A_project", http.MethodPost,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectA + "/tasks/" + id.BoardB.Task + "/move"
		}, map[string]any{}, nil},
	{"DELETE_org_B_task_through_org_A_project", http.MethodDelete,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectA + "/tasks/" + id.BoardB.Task
		}, nil, nil},
	{"POST_org_B_subtasks_through_org_A_project", http.MethodPost,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectA + "/tasks/" + id.BoardB.Task + "/subtasks"
		}, map[string]any{"title": "Planted"}, nil},
	{"PATCH_org_B_subtask_through_org_A", http.MethodPatch,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/tasks/" + id.BoardB.Task + "/subtasks/" + id.BoardB.Subtask
		}, map[string]any{"done": true}, nil},
	{"DELETE_org_B_subtask_through_org_A_project", http.MethodDelete,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectA + "/tasks/" + id.BoardB.Task + "/subtasks/" + id.BoardB.Subtask
		}, nil, nil},
	{"GET_org_A_client_through_org_B", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/clients/" + id.ClientA }, nil, nil},
	{"GET_org_B_project_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB }, nil, nil},
	{"PATCH_org_B_project_through_org_A", http.MethodPatch,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB }, map[string]any{"name": "Hijacked"}, nil},
	{"DELETE_org_B_project_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB }, nil, nil},
	{"POST_org_B_project_archive_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/archive" }, nil, nil},
	{"POST_org_B_project_unarchive_through_org_A", http.MethodPost,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/unarchive"
		}, nil, nil},
	{"GET_org_B_project_members_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/members" }, nil, nil},
	{"POST_org_B_project_members_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/members" }, map[string]any{"user_id": "00000000-0000-7000-8000-000000000000"}, nil},
	{"DELETE_org_B_project_member_through_org_A", http.MethodDelete,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/members/" + id.UserB
		}, nil, nil},
	{"POST_org_B_project_save_as_template_through_org_A", http.MethodPost,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/save-as-template"
		}, map[string]any{"name": "Stolen"}, nil},
	{"GET_org_B_template_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/templates/" + id.TemplateB }, nil, nil},
	{"PATCH_org_B_template_through_org_A", http.MethodPatch,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/templates/" + id.TemplateB }, map[string]any{"name": "Hijacked"}, nil},
	{"DELETE_org_B_template_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/templates/" + id.TemplateB }, nil, nil},
	{"GET_org_B_client_overview_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/clients/" + id.ClientB + "/overview" }, nil, nil},
	{"POST_org_B_invoices_with_idempotency_key", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgB + "/invoices" },
		func(id tenantIDs) any { return crossTenantInvoice(id.ClientB) }, []header{{"Idempotency-Key", "victim-key"}}},
	{"POST_org_B_invoice_from_time_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/invoices/from-time" },
		func(id tenantIDs) any { return crossTenantFromTime(id.ProjectB) }, nil},
	{"GET_org_B_unbilled_time_through_org_A", http.MethodGet,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/projects/" + id.ProjectB + "/unbilled-time?from=2026-01-01&to=2026-01-31"
		}, nil, nil},
	{"GET_org_B_invoice_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/invoices/" + id.InvoiceB }, nil, nil},
	{"GET_org_B_invoice_pdf_through_org_A", http.MethodGet,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/invoices/" + id.InvoiceB + "/pdf" }, nil, nil},
	{"PATCH_org_B_invoice_through_org_A", http.MethodPatch,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/invoices/" + id.InvoiceB },
		map[string]any{"notes": "Hijacked"}, nil},
	{"DELETE_org_B_invoice_through_org_A", http.MethodDelete,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/invoices/" + id.InvoiceB }, nil, nil},
	{"POST_org_B_invoice_send_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/invoices/" + id.InvoiceB + "/send" }, nil, nil},
	{"POST_org_B_invoice_payment_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/invoices/" + id.InvoiceB + "/payments" },
		map[string]any{"amount": 1, "paid_on": "2026-01-05"}, nil},
	{"POST_org_B_invoice_void_through_org_A", http.MethodPost,
		func(id tenantIDs) string { return "/api/v1/orgs/" + id.OrgA + "/invoices/" + id.InvoiceB + "/void" }, nil, nil},
	{"POST_org_B_invoice_resend_link_through_org_A", http.MethodPost,
		func(id tenantIDs) string {
			return "/api/v1/orgs/" + id.OrgA + "/invoices/" + id.InvoiceB + "/resend-link"
		}, nil, nil},
}

// crossTenantInvoice is an invoice body naming a client; crossTenantFromTime bills a project's January.
func crossTenantInvoice(clientID string) map[string]any {
	return map[string]any{"client_id": clientID, "issue_date": "2026-01-05", "due_date": "2026-02-04",
		"lines": []map[string]any{{"description": "Planted", "quantity_milli": 1000, "unit_price": 100}}}
}

func crossTenantFromTime(projectID string) map[string]any {
	return map[string]any{"project_id": projectID, "from": "2026-01-01", "to": "2026-01-31"}
}

// walkB names org B's records for the walker, by path parameter and body property.
func (id tenantIDs) walkB() walkIDs {
	return walkIDs{"org_id": id.OrgB, "client_id": id.ClientB, "member_id": id.MemberB, "invitation_id": id.InvitationB,
		"project_id": id.ProjectB, "entry_id": id.TimeEntryB, "template_id": id.TemplateB, "user_id": id.UserB,
		"column_id": id.BoardB.Column, "task_id": id.BoardB.Task, "subtask_id": id.BoardB.Subtask,
		"comment_id": id.CommentB, "file_id": id.FileB, "invoice_id": id.InvoiceB, "role": "member",
		"notification_id": id.NotificationB, "subscription_id": id.PushSubscriptionB, "key_id": id.APIKeyB,
		"endpoint_id": id.WebhookEndpointB, "delivery_id": id.WebhookDeliveryB, "export_id": id.ExportB, "domain": id.DomainB,
		// A logo hash org B never had: org B's real logo is public by design (emails show it).
		"hash": strings.Repeat("ab", 32)}
}

// bodyFor resolves a route body that is built from the IDs.
func bodyFor(body any, id tenantIDs) any {
	if f, ok := body.(func(tenantIDs) any); ok {
		return f(id)
	}
	return body
}

// TestCrossTenant is a security regression suite: keep it forever. A member of org A aims every route at
// org B's IDs; each must answer exactly like a missing resource, and org B's rows must not change at all.
func TestCrossTenant(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	// Alice sends two requests per route, more than the per-principal API rate limit allows in a minute.
	srv := MustStart(t, db, withAPILimit(1<<20))
	alice, bob := srv.MustSignUp(t, "Alice of A"), srv.MustSignUp(t, "Bob of B")
	orgA, orgB := alice.MustCreateOrg(uniqueName("Org A")), bob.MustCreateOrg(uniqueName("Org B"))
	ids := tenantIDs{
		OrgA:    orgA.ID,
		ClientA: alice.MustCreateClient(orgA.ID, map[string]any{"name": "Alice's client"}).ID,
		OrgB:    orgB.ID,
		ClientB: bob.MustCreateClient(orgB.ID, map[string]any{"name": "Victim Inc", "email": "ceo@victim.example"}).ID,
		MemberB: mustMemberOf(t, bob, orgB.ID, bob).ID,
	}
	mustVerify(t, db, bob)
	invB, _ := mustInvite(t, bob, orgB.ID, uniqueEmail(), "member")
	ids.InvitationB = invB.ID
	ids.ProjectB = mustInsertProject(t, db, orgB.ID, "Victim project", projectRow{HourlyRate: int64p(10000)})
	ids.BoardB = mustInsertBoard(t, db, orgB.ID, ids.ProjectB)
	ids.ProjectA = mustInsertProject(t, db, orgA.ID, "Alice's project", projectRow{})
	ids.CommentB, ids.FileB = mustInsertCommentAndFile(t, db, orgB.ID, ids.ProjectB, ids.BoardB.Task, bob.User.ID)
	invRes := bob.Do(http.MethodPost, "/api/v1/orgs/"+orgB.ID+"/invoices", crossTenantInvoice(ids.ClientB))
	MustStatus(t, invRes, http.StatusCreated)
	var victimInvoice invoiceJSON
	invRes.MustJSON(t, &victimInvoice)
	ids.InvoiceB = victimInvoice.ID
	ids.TimeEntryB = mustLogTime(t, bob, orgB.ID, map[string]any{"project_id": ids.ProjectB, "date": "2026-01-05", "minutes": 60}).ID
	res := bob.Do(http.MethodPost, "/api/v1/orgs/"+orgB.ID+"/templates", map[string]any{"name": "Victim template",
		"body": map[string]any{"columns": []map[string]any{{"name": "Victim column"}}}})
	MustStatus(t, res, http.StatusCreated)
	var victimTemplate templateJSON
	res.MustJSON(t, &victimTemplate)
	ids.TemplateB, ids.UserB = victimTemplate.ID, bob.User.ID
	ids.NotificationB = mustInsertNotification(t, db, orgB.ID, bob.User.ID, bob.User.ID, "task_assigned", "Victim note")
	ids.PushSubscriptionB = mustCreateID(t, bob, "/api/v1/orgs/"+orgB.ID+"/push-subscriptions", walkBodies["create-push-subscription"])
	ids.WebhookEndpointB, ids.WebhookDeliveryB = mustWebhookDelivery(t, bob, orgB.ID)
	keyB, _ := mustCreateAPIKey(t, bob, orgB.ID, map[string]any{"name": "Victim key", "expires_in": "never"})
	ids.APIKeyB = keyB.ID
	exportRes := bob.Do(http.MethodPost, "/api/v1/orgs/"+orgB.ID+"/exports", map[string]any{"kind": "clients"})
	MustStatus(t, exportRes, http.StatusAccepted)
	var victimExport exportJSON
	exportRes.MustJSON(t, &victimExport)
	ids.ExportB = victimExport.ID
	// Org B's sign-in security: a connection, a claimed domain, and an allowlist Bob (on loopback) is inside.
	ids.DomainB = uniqueDomain()
	MustStatus(t, bob.Do(http.MethodPut, "/api/v1/orgs/"+orgB.ID+"/security/sso", testIdP), http.StatusOK)
	MustStatus(t, bob.Do(http.MethodPost, "/api/v1/orgs/"+orgB.ID+"/security/domains", map[string]any{"domain": ids.DomainB}),
		http.StatusCreated)
	MustStatus(t, bob.Do(http.MethodPut, "/api/v1/orgs/"+orgB.ID+"/security/ip-allowlist", map[string]any{"entries": []map[string]any{
		{"cidr": "127.0.0.1", "label": "Victim office"}, {"cidr": "::1", "label": ""}}}), http.StatusOK)
	// Bob has used the key Alice replays, so a key shared across tenants would hand her his response.
	MustStatus(t, bob.Do(http.MethodPost, "/api/v1/orgs/"+orgB.ID+"/clients", map[string]any{"name": "Keyed"},
		header{"Idempotency-Key", "victim-key"}), http.StatusCreated)
	// The same route with IDs that exist nowhere: what "not found" looks like.
	nowhere := tenantIDs{OrgA: orgA.ID, ClientA: uuid.NewString(), OrgB: uuid.NewString(), ClientB: uuid.NewString(),
		MemberB: uuid.NewString(), InvitationB: uuid.NewString(), ProjectB: uuid.NewString(), TimeEntryB: uuid.NewString(),
		TemplateB: uuid.NewString(), UserB: uuid.NewString(), ProjectA: ids.ProjectA,
		BoardB:   boardIDs{Column: uuid.NewString(), Task: uuid.NewString(), Subtask: uuid.NewString()},
		CommentB: uuid.NewString(), FileB: uuid.NewString(), InvoiceB: uuid.NewString(),
		NotificationB: uuid.NewString(), PushSubscriptionB: uuid.NewString(),
		WebhookEndpointB: uuid.NewString(), WebhookDeliveryB: uuid.NewString(), APIKeyB: uuid.NewString(), ExportB: uuid.NewString(),
		DomainB: uniqueDomain()}

	for _, route := range crossTenantRoutes {
		t.Run("member_of_org_A_gets_404_for_"+route.name, func(t *testing.T) {
			before := MustSnapshotOrg(t, db, orgB.ID)

			res := alice.Do(route.method, route.path(ids), bodyFor(route.body, ids), route.header...)

			p := MustProblem(t, res, http.StatusNotFound, "not_found")
			assert.NotContains(t, string(res.Body), "Victim")
			assert.Equal(t, before, MustSnapshotOrg(t, db, orgB.ID), "org B's rows changed")
			missing := MustProblem(t, alice.Do(route.method, route.path(nowhere), bodyFor(route.body, nowhere), route.header...),
				http.StatusNotFound, "not_found")
			assert.Equal(t, missing.Detail, p.Detail, "another tenant's ID must look exactly like a missing one")
		})
	}

	w := mustWalker(t)
	for _, o := range w.operations(t, func(o walkOp) bool { return o.hasParam("org_id") }) {
		t.Run("member_of_org_A_gets_404_for_"+o.ID+"_of_org_B", func(t *testing.T) {
			req, err := w.request(o, ids.walkB())
			require.NoError(t, err, "the walker cannot exercise this route: teach it (walkB or walkBodies)")
			missing, err := w.request(o, nowhere.walkB())
			require.NoError(t, err)
			before := MustSnapshotOrg(t, db, orgB.ID)

			res := req.do(alice)

			p := MustProblem(t, res, http.StatusNotFound, "not_found")
			assert.NotContains(t, string(res.Body), "Victim")
			assert.Equal(t, before, MustSnapshotOrg(t, db, orgB.ID), "org B's rows changed")
			gone := MustProblem(t, missing.do(alice), http.StatusNotFound, "not_found")
			assert.Equal(t, gone.Detail, p.Detail, "another tenant's ID must look exactly like a missing one")
		})
	}

	t.Run("member_of_org_A_searching_org_A_finds_nothing_of_org_B", func(t *testing.T) {
		// Search answers 200 with what org A holds: org B's client, project, task, comment and file (all
		// named "Victim") must not be among it, whether spelt right, misspelt or by prefix.
		for _, q := range []string{"victim", "vctim", "vic"} {
			res := alice.Do(http.MethodGet, "/api/v1/orgs/"+orgA.ID+"/search?q="+q, nil)
			MustStatus(t, res, http.StatusOK)
			var r searchJSON
			res.MustJSON(t, &r)
			for _, g := range r.Groups {
				assert.Zero(t, g.Count, "q=%s: %s %+v", q, g.Type, g.Items)
			}
		}
	})

	t.Run("org_B_still_sees_its_client_unchanged", func(t *testing.T) {
		res := bob.Do(http.MethodGet, "/api/v1/orgs/"+orgB.ID+"/clients/"+ids.ClientB, nil)
		MustStatus(t, res, http.StatusOK)
		var c clientJSON
		res.MustJSON(t, &c)
		assert.Equal(t, "Victim Inc", c.Name)
		assert.Equal(t, 2, MustCountClients(t, db, orgB.ID))
	})
}
