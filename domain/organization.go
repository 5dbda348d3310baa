package domain

import (
	"regexp"
	"strings"
	"time"
)

// Roles a member can hold in an organization.
const (
	RoleOwner   = "owner"
	RoleAdmin   = "admin"
	RoleManager = "manager"
	RoleMember  = "member"
	RoleClient  = "client"
)

// Organization is a tenant: an agency's workspace. Every tenant row carries its ID.
type Organization struct {
	ID        string
	Name      string
	Slug      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Membership ties a user to an organization with a role.
type Membership struct {
	Organization Organization
	UserID       string
	Role         string
	// Permissions are the effective permissions (role permissions plus member overrides).
	Permissions []Permission
	// ClientID is the client a contact (role client) belongs to; empty for staff.
	ClientID string
	// Features are the organization's plan features (Feature*).
	Features []string
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify turns an organization name into a URL-safe base slug ("Acme & Co." → "acme-co").
func Slugify(name string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 48 {
		s = strings.TrimRight(s[:48], "-")
	}
	if s == "" {
		s = "org"
	}
	return s
}
