package domain

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Member statuses: a suspended member keeps their row but every request to the organization answers 404.
const (
	MemberActive    = "active"
	MemberSuspended = "suspended"
)

// Member is one person's membership of an organization as the team screens show it.
type Member struct {
	// ID is the membership's ID (what member routes address), not the user's.
	ID     string
	UserID string
	Name   string
	Email  string
	Role   string
	Status string
	// ClientID is the client a contact (role client) belongs to; empty for staff.
	ClientID string
	JoinedAt time.Time
	// UpdatedAt changes with every role or status change; emails use it to key one event.
	UpdatedAt time.Time
}

// ChangeRole applies actor's request to give m the role; it enforces who may change what.
// Ownership moves only through an ownership transfer; a client contact belongs to their client, so they
// become staff (or staff a contact) only by removal and a new invitation. Errors: EINVALID, EFORBIDDEN,
// ECONFLICT.
func (m *Member) ChangeRole(actorUserID, role string) error {
	if !ValidRole(role) {
		return Invalid("body.role", "is not a role")
	}
	if role == RoleOwner {
		return Invalid("body.role", "ownership is handed over with a transfer, not a role change")
	}
	if err := m.checkManageable(actorUserID, "change the role of"); err != nil {
		return err
	}
	if m.Role == role {
		return nil
	}
	if m.ClientID != "" || m.Role == RoleClient {
		return Errorf(ECONFLICT, "%s is a client contact: remove them and re-invite them with the new role.", m.Name)
	}
	if role == RoleClient {
		return Invalid("body.role", "client contacts are invited from their client's page")
	}
	m.Role = role
	return nil
}

// SetStatus suspends or reactivates m on actor's request. Errors: EINVALID, EFORBIDDEN.
func (m *Member) SetStatus(actorUserID, status string) error {
	if status != MemberActive && status != MemberSuspended {
		return Invalid("body.status", "must be active or suspended")
	}
	if err := m.checkManageable(actorUserID, "suspend or reactivate"); err != nil {
		return err
	}
	m.Status = status
	return nil
}

// CheckRemovable reports whether actor may remove m. Errors: EFORBIDDEN.
func (m *Member) CheckRemovable(actorUserID string) error {
	return m.checkManageable(actorUserID, "remove")
}

// checkManageable refuses changes to the owner (only a transfer changes ownership) and to oneself (so
// nobody locks themselves out by accident).
func (m *Member) checkManageable(actorUserID, verb string) error {
	if m.Role == RoleOwner {
		return Errorf(EFORBIDDEN, "You cannot %s the organization's owner.", verb)
	}
	if m.UserID == actorUserID {
		return Errorf(EFORBIDDEN, "You cannot %s yourself.", verb)
	}
	return nil
}

// Initials returns up to two upper-case letters of a name for an avatar ("Ada Lovelace" → "AL").
func Initials(name string) string {
	var out []rune
	for _, word := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(word)
		out = append(out, unicode.ToUpper(r))
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}
