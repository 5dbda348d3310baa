package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
)

// defaultPermissionsJSON is domain.DefaultRolePermissions as the JSON object (role → array) that
// member_permissions falls back to, so the defaults live only in the domain package.
var defaultPermissionsJSON = func() string {
	m := map[string][]domain.Permission{}
	for _, r := range domain.Roles {
		m[r] = domain.DefaultRolePermissions(r)
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// permissionsFrom turns member_permissions' array into catalogue order, so responses are stable.
func permissionsFrom(ps []string) []domain.Permission {
	out := make([]domain.Permission, len(ps))
	for i, p := range ps {
		out[i] = domain.Permission(p)
	}
	return domain.InCatalogueOrder(out)
}

// RolePermissionSet is one role's permissions in an organization and whether it differs from the default.
type RolePermissionSet struct {
	Role        string
	Permissions []domain.Permission
	Customized  bool
}

// RolePermissionSets returns every predefined role's permissions in orgID, most powerful role first.
func (db *DB) RolePermissionSets(ctx context.Context, orgID string) ([]RolePermissionSet, error) {
	var rows []struct {
		Role        string   `bun:"role"`
		Permissions []string `bun:"permissions,array"`
	}
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Table("role_permission_sets").Column("role", "permissions").
			Where("organization_id = ?", orgID).Scan(ctx, &rows)
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	out := make([]RolePermissionSet, len(domain.Roles))
	for i, role := range domain.Roles {
		out[i] = RolePermissionSet{Role: role, Permissions: domain.DefaultRolePermissions(role)}
		for _, r := range rows {
			if r.Role == role {
				out[i] = RolePermissionSet{Role: role, Permissions: permissionsFrom(r.Permissions), Customized: true}
			}
		}
	}
	return out, nil
}

// SetRolePermissions replaces role's permission set in orgID; the caller has validated role and set.
func (db *DB) SetRolePermissions(ctx context.Context, orgID, role string, ps []domain.Permission) error {
	perms := make([]string, len(ps))
	for i, p := range ps {
		perms[i] = string(p)
	}
	now := time.Now().UTC()
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw(`INSERT INTO role_permission_sets (id, organization_id, role, permissions, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (organization_id, role) DO UPDATE SET permissions = EXCLUDED.permissions, updated_at = EXCLUDED.updated_at`,
			newID(), orgID, role, pgdialect.Array(perms), now, now).Exec(ctx)
		return err
	})
	return mapError(err, "Organization not found.")
}

// MemberOverrides returns the member's overrides and effective permissions. Errors: ENOTFOUND.
func (db *DB) MemberOverrides(ctx context.Context, orgID, memberID string) ([]domain.PermissionOverride, []domain.Permission, error) {
	var overrides []domain.PermissionOverride
	var effective []domain.Permission
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var err error
		overrides, effective, err = memberOverrides(ctx, tx, orgID, memberID)
		return err
	})
	if err != nil {
		return nil, nil, mapError(err, "Member not found.")
	}
	return overrides, effective, nil
}

// SetMemberOverrides replaces the member's overrides and returns the new overrides and effective
// permissions. The owner always holds everything, so overriding the owner is invalid.
// Errors: ENOTFOUND, EINVALID.
func (db *DB) SetMemberOverrides(ctx context.Context, orgID, memberID string, os []domain.PermissionOverride) ([]domain.PermissionOverride, []domain.Permission, error) {
	var overrides []domain.PermissionOverride
	var effective []domain.Permission
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		m, err := lockMembership(ctx, tx, orgID, memberID)
		if err != nil {
			return err
		}
		if m.Role == domain.RoleOwner {
			return domain.Invalid("body.overrides", "the owner always holds every permission")
		}
		before, _, err := memberOverrides(ctx, tx, orgID, memberID)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Table("member_permission_overrides").
			Where("organization_id = ? AND membership_id = ?", orgID, memberID).Exec(ctx); err != nil {
			return err
		}
		for _, o := range os {
			if _, err := tx.NewRaw(`INSERT INTO member_permission_overrides (id, organization_id, membership_id, permission, granted)
				VALUES (?, ?, ?, ?, ?)`, newID(), orgID, memberID, string(o.Permission), o.Granted).Exec(ctx); err != nil {
				return err
			}
		}
		if overrides, effective, err = memberOverrides(ctx, tx, orgID, memberID); err != nil {
			return err
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditMemberPermissionsChanged,
			EntityType: "member", EntityID: m.UserID, Metadata: map[string]any{"membership_id": m.ID, "name": m.Name,
				"before": map[string]any{"overrides": auditOverrides(before)},
				"after":  map[string]any{"overrides": auditOverrides(overrides)}}})
	})
	if err != nil {
		return nil, nil, mapError(err, "Member not found.")
	}
	return overrides, effective, nil
}

// auditOverrides renders overrides for the audit log: "+perm" granted, "-perm" denied.
func auditOverrides(os []domain.PermissionOverride) []string {
	out := make([]string, len(os))
	for i, o := range os {
		sign := "-"
		if o.Granted {
			sign = "+"
		}
		out[i] = sign + string(o.Permission)
	}
	return out
}

// memberOverrides reads the overrides and, through member_permissions, the effective set (empty for a
// suspended member, who can do nothing).
func memberOverrides(ctx context.Context, tx bun.Tx, orgID, memberID string) ([]domain.PermissionOverride, []domain.Permission, error) {
	var member struct {
		UserID      string   `bun:"user_id"`
		Permissions []string `bun:"permissions,array"`
	}
	err := tx.NewRaw(`SELECT user_id, member_permissions(organization_id, user_id, ?::jsonb) AS permissions
		FROM organization_memberships WHERE organization_id = ? AND id = ?`,
		defaultPermissionsJSON, orgID, memberID).Scan(ctx, &member)
	if err != nil {
		return nil, nil, err
	}
	var rows []struct {
		Permission string `bun:"permission"`
		Granted    bool   `bun:"granted"`
	}
	if err := tx.NewSelect().Table("member_permission_overrides").Column("permission", "granted").
		Where("organization_id = ? AND membership_id = ?", orgID, memberID).OrderExpr("permission").
		Scan(ctx, &rows); err != nil {
		return nil, nil, err
	}
	out := make([]domain.PermissionOverride, len(rows))
	for i, r := range rows {
		out[i] = domain.PermissionOverride{Permission: domain.Permission(r.Permission), Granted: r.Granted}
	}
	return out, permissionsFrom(member.Permissions), nil
}
