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
	InvitedBy      string
	Status         string
	ExpiresAt      time.Time
	CreatedAt      time.Time
	AcceptedAt     *time.Time
}

// InvitationPreview is what the holder of an invitation token may see before signing in.
type InvitationPreview struct {
	Invitation
	OrganizationName string
	InviterName      string
}

// ValidateInvitationRole checks a role someone can be invited with: any but owner.
func ValidateInvitationRole(field, role string) error {
	if !ValidRole(role) {
		return Invalid(field, "is not a role")
	}
	if role == RoleOwner {
		return Invalid(field, "nobody can be invited as owner; transfer ownership instead")
	}
	return nil
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
