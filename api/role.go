package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// PermissionDescription is one permission of the catalogue, for the matrix editor.
type PermissionDescription struct {
	Key         domain.Permission `json:"key"`
	Group       string            `json:"group"`
	Description string            `json:"description"`
}

// RolePermissions is one role's permission set in an organization.
type RolePermissions struct {
	Role        string              `json:"role" enum:"owner,admin,manager,member,client"`
	Permissions []domain.Permission `json:"permissions"`
	Editable    bool                `json:"editable" doc:"False for the owner, who always holds every permission."`
	Customized  bool                `json:"customized" doc:"Whether the organization changed this role's defaults."`
}

// RoleCatalogue is the permission catalogue and every role's set in an organization.
type RoleCatalogue struct {
	Permissions []PermissionDescription `json:"permissions"`
	Roles       []RolePermissions       `json:"roles"`
}

// RolePermissionsUpdate replaces a role's permission set.
type RolePermissionsUpdate struct {
	Permissions []domain.Permission `json:"permissions" maxItems:"100"`
}

// PermissionOverride grants or denies one permission to one member, on top of their role.
type PermissionOverride struct {
	Permission domain.Permission `json:"permission"`
	Granted    bool              `json:"granted"`
}

// MemberPermissions is a member's overrides and the effective permissions they result in.
type MemberPermissions struct {
	Overrides []PermissionOverride `json:"overrides"`
	Effective []domain.Permission  `json:"effective"`
}

// MemberPermissionsUpdate replaces a member's overrides.
type MemberPermissionsUpdate struct {
	Overrides []PermissionOverride `json:"overrides" maxItems:"100"`
}

// RolePath addresses one role of an organization.
type RolePath struct {
	OrgID string `path:"org_id" format:"uuid" doc:"Organization ID."`
	Role  string `path:"role" enum:"owner,admin,manager,member,client"`
}

func (s *Server) registerRoles() {
	tags := []string{"Roles"}
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-roles", Method: http.MethodGet, Path: "/api/v1/orgs/{org_id}/roles", Tags: tags,
		Security: security, Extensions: requires(domain.PermMembersRead),
		Summary: "The permission catalogue and each role's permissions", Errors: errs,
	}, s.listRoles)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-role", Method: http.MethodPut, Path: "/api/v1/orgs/{org_id}/roles/{role}", Tags: tags,
		Security: security, Extensions: requires(domain.PermRolesManage),
		Summary: "Replace a role's permissions",
		Description: "The owner role is fixed (422), and nobody can add a permission they do not hold themselves (403). " +
			"Members holding the role are affected on their next request.",
		Errors: append(errs, http.StatusUnprocessableEntity),
	}, s.updateRole)
	member := "/api/v1/orgs/{org_id}/members/{member_id}/permissions"
	huma.Register(s.api, huma.Operation{
		OperationID: "get-member-permissions", Method: http.MethodGet, Path: member, Tags: tags,
		Security: security, Extensions: requires(domain.PermRolesManage),
		Summary: "A member's permission overrides and effective permissions", Errors: errs,
	}, s.getMemberPermissions)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-member-permissions", Method: http.MethodPut, Path: member, Tags: tags,
		Security: security, Extensions: requires(domain.PermRolesManage),
		Summary: "Replace a member's permission overrides",
		Description: "Effective permissions are the role's set plus granted and minus denied overrides; the owner cannot be " +
			"overridden, and nobody can grant a permission they do not hold themselves (403).",
		Errors: append(errs, http.StatusUnprocessableEntity),
	}, s.updateMemberPermissions)
}

func (s *Server) listRoles(ctx context.Context, in *OrgPath) (*struct{ Body RoleCatalogue }, error) {
	sets, err := s.db.RolePermissionSets(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := RoleCatalogue{Permissions: make([]PermissionDescription, len(domain.Permissions)), Roles: make([]RolePermissions, len(sets))}
	for i, p := range domain.Permissions {
		out.Permissions[i] = PermissionDescription{Key: p.Key, Group: p.Group, Description: p.Description}
	}
	for i, set := range sets {
		out.Roles[i] = RolePermissions{Role: set.Role, Permissions: set.Permissions, Editable: domain.EditableRole(set.Role),
			Customized: set.Customized}
	}
	return &struct{ Body RoleCatalogue }{Body: out}, nil
}

func (s *Server) updateRole(ctx context.Context, in *struct {
	RolePath
	Body RolePermissionsUpdate
}) (*struct{ Body RolePermissions }, error) {
	if !domain.EditableRole(in.Role) {
		return nil, problem(ctx, domain.Invalid("path.role", "the owner always holds every permission"))
	}
	if err := domain.ValidatePermissionSet("body.permissions", in.Body.Permissions); err != nil {
		return nil, problem(ctx, err)
	}
	p := principalFrom(ctx)
	err := s.db.Atomically(ctx, in.OrgID, p.User.ID, func(ctx context.Context) error {
		sets, err := s.db.RolePermissionSets(ctx, in.OrgID)
		if err != nil {
			return err
		}
		var before []domain.Permission
		for _, set := range sets {
			if set.Role == in.Role {
				before = set.Permissions
			}
		}
		if err := domain.CheckGrantable(p.Permissions, before, in.Body.Permissions); err != nil {
			return err
		}
		if err := s.db.SetRolePermissions(ctx, in.OrgID, in.Role, in.Body.Permissions); err != nil {
			return err
		}
		return s.db.RecordAudit(ctx, in.OrgID, domain.AuditEntry{Action: domain.AuditRolePermissionsChanged,
			EntityType: "role", EntityID: in.Role, Metadata: map[string]any{
				"before": map[string]any{"permissions": domain.InCatalogueOrder(before)},
				"after":  map[string]any{"permissions": domain.InCatalogueOrder(in.Body.Permissions)}}})
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body RolePermissions }{Body: RolePermissions{Role: in.Role, Editable: true, Customized: true,
		Permissions: domain.InCatalogueOrder(in.Body.Permissions)}}, nil
}

type memberPermissionsOutput struct{ Body MemberPermissions }

func (s *Server) getMemberPermissions(ctx context.Context, in *MemberPath) (*memberPermissionsOutput, error) {
	os, effective, err := s.db.MemberOverrides(ctx, in.OrgID, in.MemberID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &memberPermissionsOutput{Body: memberPermissionsFrom(os, effective)}, nil
}

func (s *Server) updateMemberPermissions(ctx context.Context, in *struct {
	MemberPath
	Body MemberPermissionsUpdate
}) (*memberPermissionsOutput, error) {
	want := make([]domain.PermissionOverride, len(in.Body.Overrides))
	for i, o := range in.Body.Overrides {
		want[i] = domain.PermissionOverride{Permission: o.Permission, Granted: o.Granted}
	}
	if err := domain.ValidateOverrides("body.overrides", want); err != nil {
		return nil, problem(ctx, err)
	}
	current, _, err := s.db.MemberOverrides(ctx, in.OrgID, in.MemberID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	// Lifting a deny hands the permission back as surely as granting it, so it needs the same standing:
	// otherwise anyone with roles.manage could clear a deny on themselves or restore what they lack.
	if err := domain.CheckGrantable(principalFrom(ctx).Permissions, nil, append(grantedIn(want), liftedDenies(current, want)...)); err != nil {
		return nil, problem(ctx, err)
	}
	os, effective, err := s.db.SetMemberOverrides(ctx, in.OrgID, in.MemberID, want)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &memberPermissionsOutput{Body: memberPermissionsFrom(os, effective)}, nil
}

func memberPermissionsFrom(os []domain.PermissionOverride, effective []domain.Permission) MemberPermissions {
	out := MemberPermissions{Overrides: make([]PermissionOverride, len(os)), Effective: effective}
	for i, o := range os {
		out.Overrides[i] = PermissionOverride{Permission: o.Permission, Granted: o.Granted}
	}
	return out
}

// liftedDenies lists the permissions denied in before and no longer denied in after.
func liftedDenies(before, after []domain.PermissionOverride) []domain.Permission {
	var out []domain.Permission
	for _, b := range before {
		if b.Granted {
			continue
		}
		if !slices.ContainsFunc(after, func(a domain.PermissionOverride) bool { return a.Permission == b.Permission && !a.Granted }) {
			out = append(out, b.Permission)
		}
	}
	return out
}

// grantedIn lists the permissions the overrides grant.
func grantedIn(os []domain.PermissionOverride) []domain.Permission {
	var out []domain.Permission
	for _, o := range os {
		if o.Granted {
			out = append(out, o.Permission)
		}
	}
	return out
}
