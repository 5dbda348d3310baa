package domain

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// rolePlural names a role's holders in a sentence ("Only owners and admins can …").
var rolePlural = map[string]string{
	RoleOwner: "owners", RoleAdmin: "admins", RoleManager: "managers", RoleMember: "members", RoleClient: "client contacts",
}

// PermissionAction is what a permission lets its holder do, as words that follow "can": the catalogue's
// description with a lower-case first letter ("create and edit clients"). Unknown keys read "do this".
func PermissionAction(p Permission) string {
	for _, info := range Permissions {
		if info.Key == p {
			r, n := utf8.DecodeRuneInString(info.Description)
			return string(unicode.ToLower(r)) + info.Description[n:]
		}
	}
	return "do this"
}

// RolesHolding returns the predefined roles whose permission set holds p, most powerful first. sets
// gives a role's set in the organization (nil means the defaults); the owner holds everything.
func RolesHolding(p Permission, sets func(role string) []Permission) []string {
	if sets == nil {
		sets = DefaultRolePermissions
	}
	var out []string
	for _, r := range Roles {
		if r == RoleOwner || slices.Contains(sets(r), p) {
			out = append(out, r)
		}
	}
	return out
}

// RoleList joins roles as people say them: "owners", "owners and admins", "owners, admins and managers".
func RoleList(roles []string) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = rolePlural[r]
		if names[i] == "" {
			names[i] = r + "s"
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Refusal is the forbidden error of an actor that lacks need: its message says, in plain words, what was
// refused and which roles of the organization can do it (from sets, as RolesHolding); it never shows the
// permission key, which the error carries in Permission for programs. actorRole is the actor's role;
// apiKey says the request authenticated with an API key, whose scopes may be narrower than its creator.
func Refusal(need Permission, actorRole string, apiKey bool, sets func(role string) []Permission) *Error {
	action := PermissionAction(need)
	holders := RolesHolding(need, sets)
	var msg string
	switch {
	case apiKey:
		msg = "This API key cannot " + action + ": its scopes, or its creator's role, leave it out."
	case slices.Contains(holders, actorRole):
		// The role has it, so a per-member override took it away.
		managers := RolesHolding(PermRolesManage, sets)
		msg = "You cannot " + action + " here: your access was narrowed for you. " + capitalize(RoleList(managers)) + " can change that."
	default:
		msg = "Only " + RoleList(holders) + " can " + action + "."
	}
	return &Error{Code: EFORBIDDEN, Message: msg, Permission: need}
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
