package store

import (
	"context"
	"encoding/hex"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// invitationRow is the organization_invitations table.
type invitationRow struct {
	bun.BaseModel `bun:"table:organization_invitations"`

	ID             string     `bun:"id,pk"`
	OrganizationID string     `bun:"organization_id"`
	Email          string     `bun:"email"`
	Role           string     `bun:"role"`
	ClientID       *string    `bun:"client_id"`
	InvitedBy      *string    `bun:"invited_by"`
	Status         string     `bun:"status"`
	TokenHash      []byte     `bun:"token_hash"`
	ExpiresAt      time.Time  `bun:"expires_at"`
	CreatedAt      time.Time  `bun:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at"`
	AcceptedAt     *time.Time `bun:"accepted_at"`
}

func (r *invitationRow) domain() *domain.Invitation {
	inv := &domain.Invitation{ID: r.ID, OrganizationID: r.OrganizationID, Email: r.Email, Role: r.Role, Status: r.Status,
		ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt, AcceptedAt: r.AcceptedAt}
	if r.InvitedBy != nil {
		inv.InvitedBy = *r.InvitedBy
	}
	if r.ClientID != nil {
		inv.ClientID = *r.ClientID
	}
	return inv
}

const notFoundInvitation = "Invitation not found."

// CreateInvitation stores a pending invitation (filling its ID, status and times) under tokenHash; with a
// ClientID it invites a contact of that client. Errors: ECONFLICT when the address already belongs to a
// member (staff or any client's contact) or has a pending invitation; ENOTFOUND for a client not in the
// organization.
func (db *DB) CreateInvitation(ctx context.Context, inv *domain.Invitation, tokenHash []byte) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	row := invitationRow{ID: newID(), OrganizationID: inv.OrganizationID, Email: inv.Email, Role: inv.Role,
		ClientID: nullable(inv.ClientID), InvitedBy: &inv.InvitedBy, Status: domain.InvitationPending,
		TokenHash: tokenHash, ExpiresAt: now.Add(domain.InvitationLifetime), CreatedAt: now, UpdatedAt: now}
	err := db.inTenant(ctx, inv.OrganizationID, inv.InvitedBy, func(ctx context.Context, tx bun.Tx) error {
		if inv.ClientID != "" {
			// Locking the client keeps a concurrent delete from leaving an invitation to nothing.
			var id string
			if err := tx.NewRaw("SELECT id FROM clients WHERE organization_id = ? AND id = ? FOR KEY SHARE",
				inv.OrganizationID, inv.ClientID).Scan(ctx, &id); err != nil {
				return mapError(err, clientNotFound)
			}
		}
		member, err := tx.NewSelect().TableExpr("organization_memberships AS m").Join("JOIN users AS u ON u.id = m.user_id").
			Where("m.organization_id = ? AND u.email = ?", inv.OrganizationID, inv.Email).Exists(ctx)
		if err != nil {
			return err
		}
		if member {
			return domain.Errorf(domain.ECONFLICT, "%s is already a member of this organization.", inv.Email)
		}
		_, err = tx.NewInsert().Model(&row).Exec(ctx)
		if domain.ErrorCode(mapError(err, "")) == domain.ECONFLICT {
			return domain.Errorf(domain.ECONFLICT, "%s already has a pending invitation; resend it instead.", inv.Email)
		} else if err != nil {
			return err
		}
		if inv.ClientID != "" {
			return nil // a contact takes no seat
		}
		return enforceSeats(ctx, tx, inv.OrganizationID)
	})
	if err != nil {
		return mapError(err, "Organization not found.")
	}
	*inv = *row.domain()
	return nil
}

// PendingInvitations lists orgID's pending invitations, newest first.
func (db *DB) PendingInvitations(ctx context.Context, orgID string) ([]*domain.Invitation, error) {
	var rows []invitationRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&rows).Where("organization_id = ? AND status = ?", orgID, domain.InvitationPending).
			OrderExpr("created_at DESC, id DESC").Scan(ctx)
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	out := make([]*domain.Invitation, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// RevokeInvitation marks a pending invitation revoked. Errors: ENOTFOUND, EGONE (no longer pending).
func (db *DB) RevokeInvitation(ctx context.Context, orgID, id string) (*domain.Invitation, error) {
	return db.updatePendingInvitation(ctx, orgID, "", id, "status = 'revoked'")
}

// RevokeContactInvitation marks a pending invitation to become a contact of clientID revoked.
// Errors: ENOTFOUND (also for another client's or a staff invitation), EGONE (no longer pending).
func (db *DB) RevokeContactInvitation(ctx context.Context, orgID, clientID, id string) (*domain.Invitation, error) {
	if !validUUID(clientID) {
		return nil, domain.Errorf(domain.ENOTFOUND, notFoundInvitation)
	}
	return db.updatePendingInvitation(ctx, orgID, clientID, id, "status = 'revoked'")
}

// ResendInvitation replaces a pending, unexpired invitation's token; its expiry stays as it was.
// Errors: ENOTFOUND, EGONE.
func (db *DB) ResendInvitation(ctx context.Context, orgID, id string, tokenHash []byte) (*domain.Invitation, error) {
	return db.updatePendingInvitation(ctx, orgID, "", id, "token_hash = ?", tokenHash)
}

// updatePendingInvitation applies set to the invitation (one inviting a contact of clientID, unless
// clientID is empty) while it is pending and unexpired; otherwise it tells a missing invitation
// (ENOTFOUND) from one that can no longer change (EGONE).
func (db *DB) updatePendingInvitation(ctx context.Context, orgID, clientID, id, set string, args ...any) (*domain.Invitation, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, notFoundInvitation)
	}
	var row invitationRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewSelect().Model(&row).Where("organization_id = ? AND id = ?", orgID, id)
		if clientID != "" {
			q = q.Where("client_id = ?", clientID)
		}
		if err := q.For("UPDATE").Scan(ctx); err != nil {
			return err
		}
		inv := row.domain()
		if st := inv.EffectiveStatus(time.Now()); st != domain.InvitationPending {
			return domain.Errorf(domain.EGONE, "This invitation is %s and can no longer be changed.", st)
		}
		return tx.NewUpdate().Model(&row).Set(set, args...).Set("updated_at = now()").
			Where("organization_id = ? AND id = ?", orgID, id).Returning("*").Scan(ctx)
	})
	if err != nil {
		return nil, mapError(err, notFoundInvitation)
	}
	return row.domain(), nil
}

// ExpireInvitation marks the invitation expired if it is still pending and returns it as it now stands,
// so the expiry workflow's activity can run any number of times. Errors: ENOTFOUND.
func (db *DB) ExpireInvitation(ctx context.Context, orgID, id string) (*domain.Invitation, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, notFoundInvitation)
	}
	var row invitationRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(&row).Set("status = 'expired', updated_at = now()").
			Where("organization_id = ? AND id = ? AND status = 'pending'", orgID, id).Exec(ctx); err != nil {
			return err
		}
		return tx.NewSelect().Model(&row).Where("organization_id = ? AND id = ?", orgID, id).Scan(ctx)
	})
	if err != nil {
		return nil, mapError(err, notFoundInvitation)
	}
	return row.domain(), nil
}

// InvitationByToken returns the invitation whose token hashes to tokenHash, with the organization's and
// inviter's names, for the public preview. Errors: ENOTFOUND.
func (db *DB) InvitationByToken(ctx context.Context, tokenHash []byte) (*domain.InvitationPreview, error) {
	var out *domain.InvitationPreview
	err := db.withInvitationToken(ctx, tokenHash, func(ctx context.Context, tx bun.Tx, row *invitationRow) error {
		out = &domain.InvitationPreview{Invitation: *row.domain()}
		return tx.NewRaw(`SELECT o.name, coalesce(u.name, '') FROM organizations o
			LEFT JOIN users u ON u.id = ? WHERE o.id = ?`, row.InvitedBy, row.OrganizationID).
			Scan(ctx, &out.OrganizationName, &out.InviterName)
	})
	if err != nil {
		return nil, mapError(err, notFoundInvitation)
	}
	return out, nil
}

// AcceptInvitation makes the user a member of the invitation's organization with its role (a contact of
// its client when it names one), once check
// (the domain rules, given the invitation) allows it, and marks the invitation accepted. Accepting proves
// the user receives mail at the invited address, so when it is theirs it becomes verified; verified
// reports whether that happened now. Errors: ENOTFOUND, ECONFLICT (already a member), and check's.
func (db *DB) AcceptInvitation(ctx context.Context, tokenHash []byte, userID string, check func(*domain.Invitation) error) (inv *domain.Invitation, verified bool, err error) {
	err = db.withInvitationToken(ctx, tokenHash, func(ctx context.Context, tx bun.Tx, row *invitationRow) error {
		inv = row.domain()
		if err := check(inv); err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		m := membershipRow{ID: newID(), OrganizationID: inv.OrganizationID, UserID: userID, Role: inv.Role,
			ClientID: nullable(inv.ClientID), Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
		res, err := tx.NewInsert().Model(&m).On("CONFLICT (organization_id, user_id) DO NOTHING").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ECONFLICT, "You are already a member of this organization.")
		}
		// A contact takes no seat: counting them would also refuse their acceptance once staff fill the plan.
		if inv.ClientID == "" {
			if err := bumpUsage(ctx, tx, inv.OrganizationID, domain.UsageMembers, 1); err != nil {
				return err
			}
		}
		// The new member is the actor: the owners and admins hear that they joined (member_joined). The
		// payload names them as their account does (the invited address may differ from the account's).
		added := domain.MemberEventPayload{UserID: userID, Role: inv.Role, ClientID: domain.OptionalID(inv.ClientID)}
		if err := tx.NewRaw("SELECT name, email FROM users WHERE id = ?", userID).Scan(ctx, &added.Name, &added.Email); err != nil {
			return err
		}
		if err := recordEvent(ctx, tx, inv.OrganizationID, memberEvent(domain.EventMemberAdded, userID, added)); err != nil {
			return err
		}
		if err := recordAudit(ctx, tx, inv.OrganizationID, domain.AuditEntry{Action: domain.AuditMemberJoined,
			EntityType: "member", EntityID: userID, ActorID: userID, Metadata: map[string]any{"invitation_id": inv.ID,
				"role": inv.Role, "client_id": inv.ClientID, "email": added.Email}}); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(row).Set("status = 'accepted', accepted_at = ?, updated_at = ?", now, now).
			Where("organization_id = ? AND id = ?", inv.OrganizationID, inv.ID).Exec(ctx); err != nil {
			return err
		}
		inv.Status, inv.AcceptedAt = domain.InvitationAccepted, &now
		res, err = tx.NewUpdate().Table("users").Set("email_verified_at = ?, updated_at = ?", now, now).
			Where("id = ? AND email = ? AND email_verified_at IS NULL", userID, inv.Email).Exec(ctx)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		verified = n == 1
		return nil
	})
	if err != nil {
		return nil, false, mapError(err, notFoundInvitation)
	}
	return inv, verified, nil
}

// withInvitationToken finds the invitation by token hash (the RLS policy lets the token's holder read that
// one row), locks it, scopes the transaction to its organization and runs fn.
func (db *DB) withInvitationToken(ctx context.Context, tokenHash []byte, fn func(ctx context.Context, tx bun.Tx, row *invitationRow) error) error {
	return db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT set_config('app.invitation_token', ?, true)", hex.EncodeToString(tokenHash)); err != nil {
			return err
		}
		// The token only grants reading the row (a SELECT-only policy); locking it for the update needs
		// the tenant in scope, so find the organization first, scope the transaction, then lock.
		var orgID string
		if err := tx.NewSelect().Model((*invitationRow)(nil)).Column("organization_id").
			Where("token_hash = ?", tokenHash).Scan(ctx, &orgID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "SELECT set_config('app.org_id', ?, true)", orgID); err != nil {
			return err
		}
		var row invitationRow
		if err := tx.NewSelect().Model(&row).Where("organization_id = ? AND token_hash = ?", orgID, tokenHash).
			For("UPDATE").Scan(ctx); err != nil {
			return err
		}
		return fn(ctx, tx, &row)
	})
}
