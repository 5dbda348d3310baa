package domain

import (
	"strings"
	"testing"
)

func TestRefusal(t *testing.T) {
	for _, tc := range []struct {
		need   Permission
		role   string
		apiKey bool
		want   string
	}{
		{PermClientsWrite, RoleMember, false, "Only owners, admins and managers can create and edit clients."},
		{PermBillingManage, RoleAdmin, false, "Only owners can manage the subscription and payment methods."},
		{PermInvoicesWrite, RoleMember, false, "Only owners, admins and managers can create, send and edit invoices."},
		{PermSettingsManage, RoleManager, false, "Only owners and admins can edit organization settings."},
		{PermTimeWrite, RoleMember, false, "You cannot log time here: your access was narrowed for you. Owners and admins can change that."},
		{PermClientsDelete, RoleOwner, true, "This API key cannot delete clients: its scopes, or its creator's role, leave it out."},
	} {
		err := Refusal(tc.need, tc.role, tc.apiKey, nil)
		if err.Message != tc.want || err.Code != EFORBIDDEN || err.Permission != tc.need {
			t.Errorf("Refusal(%s, %s) = %q %s %s, want %q", tc.need, tc.role, err.Message, err.Code, err.Permission, tc.want)
		}
	}
	// No message shows a permission key.
	for _, info := range Permissions {
		for _, role := range Roles {
			if msg := Refusal(info.Key, role, false, nil).Message; strings.Contains(msg, string(info.Key)) || strings.Contains(msg, ".manage") {
				t.Errorf("%s for %s: %q shows a key", info.Key, role, msg)
			}
		}
	}
}

func TestRolesHoldingFollowsTheOrganizationsSets(t *testing.T) {
	sets := func(role string) []Permission {
		if role == RoleMember {
			return []Permission{PermClientsWrite}
		}
		return nil
	}
	if got := RoleList(RolesHolding(PermClientsWrite, sets)); got != "owners and members" {
		t.Errorf("got %q", got)
	}
	if got := RoleList(RolesHolding(PermAuditRead, sets)); got != "owners" {
		t.Errorf("got %q", got)
	}
}
