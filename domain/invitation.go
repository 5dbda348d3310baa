package domain

import "time"

// Invitation statuses. Only a pending invitation can be accepted, revoked or resent.
const (
	InvitationPending  = "pending"
	InvitationAccepted = "accepted"
	InvitationRevoked  = "revoked"
	InvitationExpired  = "expired"
)

// EGONE is the code of an invitation that exists but can no longer be used (accepted, revoked or expired).
const EGONE = "invitation_unusable"

// InvitationLifetime is how long an invitation stays usable.
const InvitationLifetime = 7 * 24 * time.Hour

// Invitation asks someone, by email address, to join an organization with a role.
type Invitation struct {
	ID             string
	OrganizationID string
	Email          string
	Role           string
	// ClientID makes the invitee a contact of that client (role client); empty for staff.
	ClientID   string
	InvitedBy  string
	Status     string
	ExpiresAt  time.Time
	CreatedAt  time.Time
	AcceptedAt *time.Time
}

// InvitationPreview is what the holder of an invitation token may see before signing in.
type InvitationPreview struct {
	Invitation
	OrganizationName string
	InviterName      string
}

// ValidateInvitationRole checks a role someone can be invited with as staff: any but owner, and not
// client, since a contact belongs to a client and is invited from it (see ContactInvitation).
func ValidateInvitationRole(field, role string) error {
	if !ValidRole(role) {
		return Invalid(field, "is not a role")
	}
	if role == RoleOwner {
		return Invalid(field, "nobody can be invited as owner; transfer ownership instead")
	}
	if role == RoleClient {
		return Invalid(field, "client contacts are invited from their client's page")
	}
	return nil
}

// ContactInvitation is the invitation that makes email a contact of clientID in orgID.
func ContactInvitation(orgID, clientID, email, invitedBy string) *Invitation {
	return &Invitation{OrganizationID: orgID, Email: email, Role: RoleClient, ClientID: clientID, InvitedBy: invitedBy}
}

// EffectiveStatus is the status as of now: a pending invitation past its expiry is expired even before
// the expiry workflow has recorded it.
func (i *Invitation) EffectiveStatus(now time.Time) string {
	if i.Status == InvitationPending && !now.Before(i.ExpiresAt) {
		return InvitationExpired
	}
	return i.Status
}

// CheckAcceptable reports whether the user with email and verified state may accept i now.
// Errors: EGONE, EFORBIDDEN.
func (i *Invitation) CheckAcceptable(email string, now time.Time) error {
	if st := i.EffectiveStatus(now); st != InvitationPending {
		return Errorf(EGONE, "This invitation is %s and can no longer be used.", st)
	}
	if NormalizeEmail(email) != i.Email {
		return Errorf(EFORBIDDEN, "This invitation was sent to %s; sign in with that address to accept it.", i.Email)
	}
	return nil
}
