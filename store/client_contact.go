package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

const contactNotFound = "Contact not found."

// ClientContacts lists a client's contacts (longest-standing first) and the pending invitations that would
// make someone one (newest first). Errors: ENOTFOUND (the client, also another tenant's).
func (db *DB) ClientContacts(ctx context.Context, orgID, clientID string) ([]*domain.ClientContact, []*domain.Invitation, error) {
	if !validUUID(clientID) {
		return nil, nil, domain.Errorf(domain.ENOTFOUND, clientNotFound)
	}
	var contacts []struct {
		UserID    string    `bun:"user_id"`
		Name      string    `bun:"name"`
		Email     string    `bun:"email"`
		Status    string    `bun:"status"`
		CreatedAt time.Time `bun:"created_at"`
	}
	var invs []invitationRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if err := checkClient(ctx, tx, orgID, clientID); err != nil {
			return err
		}
		if err := tx.NewRaw(`SELECT m.user_id, u.name, u.email, m.status, m.created_at
			FROM organization_memberships m JOIN users u ON u.id = m.user_id
			WHERE m.organization_id = ? AND m.client_id = ? ORDER BY m.created_at, m.id`, orgID, clientID).
			Scan(ctx, &contacts); err != nil {
			return err
		}
		return tx.NewSelect().Model(&invs).
			Where("organization_id = ? AND client_id = ? AND status = ? AND expires_at > now()", orgID, clientID,
				domain.InvitationPending).
			OrderExpr("created_at DESC, id DESC").Scan(ctx)
	})
	if err != nil {
		return nil, nil, mapError(err, clientNotFound)
	}
	out := make([]*domain.ClientContact, len(contacts))
	for i, c := range contacts {
		out[i] = &domain.ClientContact{UserID: c.UserID, Name: c.Name, Email: c.Email, Status: c.Status, JoinedAt: c.CreatedAt}
	}
	pending := make([]*domain.Invitation, len(invs))
	for i := range invs {
		pending[i] = invs[i].domain()
	}
	return out, pending, nil
}

// RemoveClientContact ends userID's membership as a contact of clientID on behalf of actorID: they lose the
// portal (and every other route of the organization) on their next request, and team.member_removed ends
// their open live streams at once. Errors: ENOTFOUND (the client, or userID is not its contact).
func (db *DB) RemoveClientContact(ctx context.Context, orgID, actorID, clientID, userID string) error {
	if !validUUID(clientID) {
		return domain.Errorf(domain.ENOTFOUND, clientNotFound)
	}
	err := db.inTenant(ctx, orgID, actorID, func(ctx context.Context, tx bun.Tx) error {
		if err := checkClient(ctx, tx, orgID, clientID); err != nil {
			return err
		}
		if !validUUID(userID) {
			return domain.Errorf(domain.ENOTFOUND, contactNotFound)
		}
		// The removed person's name and address come back with the deletion, for team.member_removed.
		var gone []struct {
			Name  string `bun:"name"`
			Email string `bun:"email"`
		}
		if err := tx.NewRaw(`DELETE FROM organization_memberships m USING users u
			WHERE m.organization_id = ? AND m.client_id = ? AND m.user_id = ? AND u.id = m.user_id
			RETURNING u.name, u.email`, orgID, clientID, userID).Scan(ctx, &gone); err != nil {
			return err
		}
		if len(gone) == 0 {
			return domain.Errorf(domain.ENOTFOUND, contactNotFound)
		}
		if err := recordEvent(ctx, tx, orgID, memberEvent(domain.EventMemberRemoved, actorID, domain.MemberEventPayload{
			UserID: userID, Name: gone[0].Name, Email: gone[0].Email, Role: domain.RoleClient, ClientID: &clientID})); err != nil {
			return err
		}
		return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: domain.AuditClientContactRemoved, EntityType: "client",
			EntityID: clientID, Metadata: map[string]any{"user_id": userID, "name": gone[0].Name, "email": gone[0].Email}})
	})
	return mapError(err, contactNotFound)
}

// checkClient answers ENOTFOUND unless clientID is a client of orgID.
func checkClient(ctx context.Context, tx bun.Tx, orgID, clientID string) error {
	ok, err := tx.NewSelect().TableExpr("clients").Where("organization_id = ? AND id = ?", orgID, clientID).Exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, clientNotFound)
	}
	return nil
}
