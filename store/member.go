package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// memberRow is a membership joined with its user, as the team screens list it.
type memberRow struct {
	ID        string    `bun:"id"`
	UserID    string    `bun:"user_id"`
	Name      string    `bun:"name"`
	Email     string    `bun:"email"`
	Role      string    `bun:"role"`
	Status    string    `bun:"status"`
	ClientID  *string   `bun:"client_id"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

func (r *memberRow) domain() *domain.Member {
	m := &domain.Member{ID: r.ID, UserID: r.UserID, Name: r.Name, Email: r.Email, Role: r.Role, Status: r.Status,
		JoinedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.ClientID != nil {
		m.ClientID = *r.ClientID
	}
	return m
}

const memberColumns = "m.id, m.user_id, u.name, u.email, m.role, m.status, m.client_id, m.created_at, m.updated_at"

// Members lists orgID's members (active and suspended), longest-standing first.
func (db *DB) Members(ctx context.Context, orgID string) ([]*domain.Member, error) {
	var rows []memberRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().ColumnExpr(memberColumns).TableExpr("organization_memberships AS m").
			Join("JOIN users AS u ON u.id = m.user_id").
			Where("m.organization_id = ?", orgID).OrderExpr("m.created_at, m.id").Scan(ctx, &rows)
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	out := make([]*domain.Member, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// UpdateMember loads the member, lets change apply domain rules to it, and saves its role and status,
// all in one transaction with the row locked. Errors: ENOTFOUND and whatever change returns.
func (db *DB) UpdateMember(ctx context.Context, orgID, memberID string, change func(*domain.Member) error) (*domain.Member, error) {
	var m *domain.Member
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var err error
		if m, err = lockMembership(ctx, tx, orgID, memberID); err != nil {
			return err
		}
		if err := change(m); err != nil {
			return err
		}
		m.UpdatedAt = time.Now().UTC().Truncate(time.Microsecond)
		_, err = tx.NewUpdate().Table("organization_memberships").
			Set("role = ?, status = ?, updated_at = ?", m.Role, m.Status, m.UpdatedAt).
			Where("organization_id = ? AND id = ?", orgID, memberID).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, mapError(err, "Member not found.")
	}
	return m, nil
}

// RemoveMember deletes the membership once check (domain rules) allows it, on behalf of actorID; the
// member's permission overrides go with it. It records team.member_removed naming the user, which also ends
// their open live streams at once. Errors: ENOTFOUND and whatever check returns.
func (db *DB) RemoveMember(ctx context.Context, orgID, actorID, memberID string, check func(*domain.Member) error) (*domain.Member, error) {
	var m *domain.Member
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var err error
		if m, err = lockMembership(ctx, tx, orgID, memberID); err != nil {
			return err
		}
		if err := check(m); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Table("organization_memberships").Where("organization_id = ? AND id = ?", orgID, memberID).Exec(ctx); err != nil {
			return err
		}
		// Their API keys stop with the membership (member_access finds none) and must not come back if they
		// rejoin: revoked, they say so in the list and to a script still using one.
		if _, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = now(), revoked_by = ?
			WHERE organization_id = ? AND created_by = ? AND revoked_at IS NULL`, actorID, orgID, m.UserID); err != nil {
			return err
		}
		if err := recordEvent(ctx, tx, orgID, memberEvent(domain.EventMemberRemoved, actorID, domain.MemberEventPayload{
			UserID: m.UserID, Name: m.Name, Email: m.Email, Role: m.Role, ClientID: domain.OptionalID(m.ClientID)})); err != nil {
			return err
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditMemberRemoved, EntityType: "member",
			EntityID: m.UserID, Metadata: map[string]any{"membership_id": m.ID, "name": m.Name, "email": m.Email,
				"role": m.Role, "status": m.Status, "client_id": m.ClientID}})
	})
	if err != nil {
		return nil, mapError(err, "Member not found.")
	}
	return m, nil
}

// lockMembership reads one member of orgID and locks the membership row for the rest of the transaction.
func lockMembership(ctx context.Context, tx bun.Tx, orgID, memberID string) (*domain.Member, error) {
	if !validUUID(memberID) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Member not found.")
	}
	var row memberRow
	err := tx.NewSelect().ColumnExpr(memberColumns).TableExpr("organization_memberships AS m").
		Join("JOIN users AS u ON u.id = m.user_id").
		Where("m.organization_id = ? AND m.id = ?", orgID, memberID).For("UPDATE OF m").Scan(ctx, &row)
	if err != nil {
		return nil, err
	}
	return row.domain(), nil
}

// memberEvent is team.member_added or team.member_removed (typ) about pl's person, with its documented
// payload. The entity is the user (not the membership, which a removal deletes): a live stream ends its
// own user's connections on team.member_removed by that id.
func memberEvent(typ, actorID string, pl domain.MemberEventPayload) domain.Event {
	return domain.Event{Type: typ, EntityType: "member", EntityID: pl.UserID, ActorID: actorID,
		Payload: domain.EventPayloadMap(pl)}
}
