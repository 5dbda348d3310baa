package domain

import "slices"

// Permission is one granular capability a member can hold in an organization.
type Permission string

// The permission catalogue: defined once here; routes, the role matrix and the SPA all use these keys.
const (
	PermClientsRead    Permission = "clients.read"
	PermClientsWrite   Permission = "clients.write"
	PermClientsDelete  Permission = "clients.delete"
	PermProjectsRead   Permission = "projects.read"
	PermProjectsWrite  Permission = "projects.write"
	PermProjectsDelete Permission = "projects.delete"
	PermTasksRead      Permission = "tasks.read"
	PermTasksWrite     Permission = "tasks.write"
	PermTasksDelete    Permission = "tasks.delete"
	PermTimeRead       Permission = "time.read"
	PermTimeWrite      Permission = "time.write"
	PermFilesRead      Permission = "files.read"
	PermFilesWrite     Permission = "files.write"
	PermFilesDelete    Permission = "files.delete"
	PermInvoicesRead   Permission = "invoices.read"
	PermInvoicesWrite  Permission = "invoices.write"
	PermBillingManage  Permission = "billing.manage"
	PermMembersRead    Permission = "members.read"
	PermMembersManage  Permission = "members.manage"
	PermRolesManage    Permission = "roles.manage"
	PermSettingsManage Permission = "settings.manage"
	PermAuditRead      Permission = "audit.read"
	PermWebhooksManage Permission = "webhooks.manage"
	PermAPIKeysManage  Permission = "api_keys.manage"
	// PermSSOManage is the organization's sign-in security: SSO connection, claimed domains, enforcement and
	// IP allowlist. Owners only by default: it decides who can reach the organization at all.
	PermSSOManage Permission = "sso.manage"
)

// PermissionInfo describes a permission for the role matrix editor.
type PermissionInfo struct {
	Key         Permission
	Group       string
	Description string
}

// Permissions is the catalogue in display order.
var Permissions = []PermissionInfo{
	{PermClientsRead, "Clients", "See clients"},
	{PermClientsWrite, "Clients", "Create and edit clients"},
	{PermClientsDelete, "Clients", "Delete clients"},
	{PermProjectsRead, "Projects", "See projects"},
	{PermProjectsWrite, "Projects", "Create and edit projects"},
	{PermProjectsDelete, "Projects", "Delete projects"},
	{PermTasksRead, "Tasks", "See tasks"},
	{PermTasksWrite, "Tasks", "Create, edit and move tasks"},
	{PermTasksDelete, "Tasks", "Delete tasks"},
	{PermTimeRead, "Time", "See time entries"},
	{PermTimeWrite, "Time", "Log time"},
	{PermFilesRead, "Files", "See and download files"},
	{PermFilesWrite, "Files", "Upload files"},
	{PermFilesDelete, "Files", "Delete files"},
	{PermInvoicesRead, "Invoices", "See invoices"},
	{PermInvoicesWrite, "Invoices", "Create, send and edit invoices"},
	{PermBillingManage, "Billing", "Manage the subscription and payment methods"},
	{PermMembersRead, "Team", "See members and invitations"},
	{PermMembersManage, "Team", "Invite, suspend and remove members, change roles"},
	{PermRolesManage, "Team", "Edit role permissions and member overrides"},
	{PermSettingsManage, "Organization", "Edit organization settings"},
	{PermAuditRead, "Organization", "Read the audit log"},
	{PermWebhooksManage, "Integrations", "Manage outbound webhooks"},
	{PermAPIKeysManage, "Integrations", "Manage API keys"},
	{PermSSOManage, "Organization", "Manage single sign-on, claimed domains and the IP allowlist"},
}

// Roles lists the predefined roles, most powerful first.
var Roles = []string{RoleOwner, RoleAdmin, RoleManager, RoleMember, RoleClient}

// ValidRole reports whether r is one of the predefined roles.
func ValidRole(r string) bool { return slices.Contains(Roles, r) }

// ValidPermission reports whether p is in the catalogue.
func ValidPermission(p Permission) bool {
	for _, info := range Permissions {
		if info.Key == p {
			return true
		}
	}
	return false
}

// AllPermissions returns every permission key; the owner always holds all of them.
func AllPermissions() []Permission {
	out := make([]Permission, len(Permissions))
	for i, info := range Permissions {
		out[i] = info.Key
	}
	return out
}

// DefaultRolePermissions is what each role holds in a new organization; admins may edit every role but owner.
func DefaultRolePermissions(role string) []Permission {
	switch role {
	case RoleOwner:
		return AllPermissions()
	case RoleAdmin:
		return without(AllPermissions(), PermBillingManage, PermSSOManage)
	case RoleManager:
		return []Permission{PermClientsRead, PermClientsWrite, PermClientsDelete, PermProjectsRead, PermProjectsWrite,
			PermProjectsDelete, PermTasksRead, PermTasksWrite, PermTasksDelete, PermTimeRead, PermTimeWrite,
			PermFilesRead, PermFilesWrite, PermFilesDelete, PermInvoicesRead, PermInvoicesWrite, PermMembersRead}
	case RoleMember:
		return []Permission{PermClientsRead, PermProjectsRead, PermTasksRead, PermTasksWrite, PermTimeRead,
			PermTimeWrite, PermFilesRead, PermFilesWrite, PermMembersRead}
	case RoleClient:
		return []Permission{PermProjectsRead, PermTasksRead, PermFilesRead, PermInvoicesRead}
	}
	return nil
}

func without(ps []Permission, drop ...Permission) []Permission {
	return slices.DeleteFunc(ps, func(p Permission) bool { return slices.Contains(drop, p) })
}
