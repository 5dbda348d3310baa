package domain

import (
	"fmt"
	"slices"
)

// PermissionOverride grants (Granted) or denies one permission to one member on top of their role.
type PermissionOverride struct {
	Permission Permission
	Granted    bool
}

// ValidatePermissionSet checks a role's new permission list: every key in the catalogue, no duplicates.
func ValidatePermissionSet(field string, ps []Permission) error {
	for i, p := range ps {
		if !ValidPermission(p) {
			return Invalid(fmt.Sprintf("%s[%d]", field, i), "is not a permission")
		}
		if slices.Contains(ps[:i], p) {
			return Invalid(fmt.Sprintf("%s[%d]", field, i), "is listed twice")
		}
	}
	return nil
}

// ValidateOverrides checks a member's new overrides: known permissions, each at most once.
func ValidateOverrides(field string, os []PermissionOverride) error {
	for i, o := range os {
		if !ValidPermission(o.Permission) {
			return Invalid(fmt.Sprintf("%s[%d].permission", field, i), "is not a permission")
		}
		for _, prev := range os[:i] {
			if prev.Permission == o.Permission {
				return Invalid(fmt.Sprintf("%s[%d].permission", field, i), "is listed twice")
			}
		}
	}
	return nil
}

// EditableRole reports whether an organization may change the role's permission set; the owner's is fixed.
func EditableRole(role string) bool { return ValidRole(role) && role != RoleOwner }

// InCatalogueOrder returns ps sorted as the catalogue lists them, dropping unknown keys.
func InCatalogueOrder(ps []Permission) []Permission {
	out := make([]Permission, 0, len(ps))
	for _, info := range Permissions {
		if slices.Contains(ps, info.Key) {
			out = append(out, info.Key)
		}
	}
	return out
}

// CheckGrantable refuses a change that hands out a permission the actor does not hold: without it,
// anyone with roles.manage could give a role (or themselves, through an override) billing or any other
// power they lack. Permissions already in before may stay. Errors: EFORBIDDEN.
func CheckGrantable(actor, before, after []Permission) error {
	for _, p := range after {
		if !slices.Contains(actor, p) && !slices.Contains(before, p) {
			return &Error{Code: EFORBIDDEN, Permission: p,
				Message: "You cannot grant the power to " + PermissionAction(p) + ": you do not hold it yourself."}
		}
	}
	return nil
}
