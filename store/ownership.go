package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// OwnershipTransfer is what a completed transfer changed, for the emails that announce it.
type OwnershipTransfer struct {
	OrganizationName string
	PreviousOwner    *domain.User
	NewOwner         *domain.User
}

// TransferOwnership makes the active member memberID the owner of orgID and the current owner
// (ownerUserID) an admin, in one transaction. Errors: ENOTFOUND (no such member here), EFORBIDDEN (the
// caller is not the owner), EINVALID (the member is suspended or already the owner).
func (db *DB) TransferOwnership(ctx context.Context, orgID, ownerUserID, memberID string) (*OwnershipTransfer, error) {
	if !validUUID(memberID) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Member not found.")
	}
	var out OwnershipTransfer
	err := db.inTenant(ctx, orgID, ownerUserID, func(ctx context.Context, tx bun.Tx) error {
		// Locking both memberships serialises concurrent transfers, so an organization never has two owners.
		var prev, next memberWithUser
		if err := lockMember(ctx, tx, orgID, "m.user_id = ?", ownerUserID, &prev); err != nil || prev.Role != domain.RoleOwner {
			if err == nil || errors.Is(err, sql.ErrNoRows) {
				return domain.Errorf(domain.EFORBIDDEN, "Only the owner can transfer ownership.")
			}
			return err
		}
		if err := lockMember(ctx, tx, orgID, "m.id = ?", memberID, &next); err != nil {
			return mapError(err, "Member not found.")
		}
		if next.Status != "active" {
			return domain.Invalid("body.member_id", "must be an active member")
		}
		if next.UserID == ownerUserID {
			return domain.Invalid("body.member_id", "is already the owner")
		}
		now := time.Now().UTC()
		for _, change := range []struct{ id, role string }{{prev.ID, domain.RoleAdmin}, {next.ID, domain.RoleOwner}} {
			if _, err := tx.ExecContext(ctx, "UPDATE organization_memberships SET role = ?, updated_at = ? WHERE organization_id = ? AND id = ?",
				change.role, now, orgID, change.id); err != nil {
				return err
			}
		}
		out.PreviousOwner, out.NewOwner = prev.user(), next.user()
		if err := recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditOwnershipTransferred,
			EntityType: "organization", EntityID: orgID, Metadata: map[string]any{
				"before": map[string]any{"owner_id": prev.UserID, "owner_name": prev.UserName},
				"after":  map[string]any{"owner_id": next.UserID, "owner_name": next.UserName}}}); err != nil {
			return err
		}
		return tx.NewRaw("SELECT name FROM organizations WHERE id = ?", orgID).Scan(ctx, &out.OrganizationName)
	})
	if err != nil {
		return nil, mapError(err, "Member not found.")
	}
	return &out, nil
}

// memberWithUser is one membership joined with its user.
type memberWithUser struct {
	ID       string `bun:"id"`
	UserID   string `bun:"user_id"`
	Role     string `bun:"role"`
	Status   string `bun:"status"`
	UserName string `bun:"user_name"`
	Email    string `bun:"email"`
}

func (m *memberWithUser) user() *domain.User {
	return &domain.User{ID: m.UserID, Name: m.UserName, Email: m.Email}
}

func lockMember(ctx context.Context, tx bun.Tx, orgID, cond string, arg any, dst *memberWithUser) error {
	return tx.NewRaw(`SELECT m.id, m.user_id, m.role, m.status, u.name AS user_name, u.email
		FROM organization_memberships AS m JOIN users AS u ON u.id = m.user_id
		WHERE m.organization_id = ? AND `+cond+` FOR UPDATE OF m`, orgID, arg).Scan(ctx, dst)
}
