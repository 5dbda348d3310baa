package api

import (
	"context"
	"encoding/binary"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/stream"
)

// streamConn is what one open stream knows about its caller: the session it checks, and per organization
// the caller's standing and the projects they may see (the store's rules, cached and refreshed).
type streamConn struct {
	db        *store.DB
	tokenHash []byte
	// ip is the client's address, which organizations' IP allowlists judge.
	ip     string
	userID string
	orgs   map[string]*streamOrg
}

// streamOrg is the caller's view of one organization.
type streamOrg struct {
	member store.StreamMember
	// all is true when the role sees every project; else projects lists those the caller is on.
	all      bool
	projects map[string]bool
}

// load checks the session and reads the caller's organizations (those whose idle timeout has not passed
// for this session) and visible projects. Errors: EUNAUTHENTICATED.
func (c *streamConn) load(ctx context.Context) error {
	userID, members, err := c.session(ctx)
	if err != nil {
		return err
	}
	c.userID, c.orgs = userID, make(map[string]*streamOrg, len(members))
	for orgID, m := range members {
		c.orgs[orgID] = &streamOrg{member: m}
		if err := c.refresh(ctx, orgID); err != nil {
			return err
		}
	}
	return nil
}

// session reads the caller's organizations, leaving out those whose sign-in rules (IP allowlist, require
// SSO) refuse this session from this address, as their routes do: an organization that turns a rule on
// drops out of an open stream at its next check, which ends it.
func (c *streamConn) session(ctx context.Context) (string, map[string]store.StreamMember, error) {
	userID, members, err := c.db.StreamSession(ctx, c.tokenHash)
	if err != nil {
		return "", nil, err
	}
	for orgID, m := range members {
		r := signInRules{allowlist: m.Allowlist, ssoRequired: m.SSORequired, sessionSSOOrg: m.SessionSSOOrg}
		if r.refusal(c.ip, orgID, m.Role) != nil {
			delete(members, orgID)
		}
	}
	return userID, members, nil
}

// refresh rereads which projects of orgID the caller may see.
func (c *streamConn) refresh(ctx context.Context, orgID string) error {
	org := c.orgs[orgID]
	all, ids, err := c.db.VisibleProjects(ctx, orgID, org.member.Viewer)
	if err != nil {
		return err
	}
	org.all, org.projects = all, ids
	return nil
}

// refreshFor rereads the visible projects before filtering a message that may change them: someone
// added to or removed from a project, or a project the caller just created (its creator is its member).
func (c *streamConn) refreshFor(ctx context.Context, m stream.Message) error {
	org := c.orgs[m.OrganizationID]
	if org == nil || org.all || m.Kind != stream.KindChange {
		return nil
	}
	switch {
	case m.Type == domain.EventProjectMemberAdded, m.Type == domain.EventProjectMemberRemoved,
		m.Type == domain.EventProjectCreated && m.ActorID == c.userID:
		return c.refresh(ctx, m.OrganizationID)
	}
	return nil
}

// removes reports whether m removes the caller from one of their organizations: the stream ends at once
// rather than at the next recheck.
func (c *streamConn) removes(m stream.Message) bool {
	return m.Kind == stream.KindChange && m.Type == domain.EventMemberRemoved && m.EntityID == c.userID &&
		c.orgs[m.OrganizationID] != nil
}

// sees reports whether the caller may receive m: a notification addressed to them, or a change in one of
// their organizations that is organization-wide or in a project they may see, of an entity they may see
// (store.StreamMember.SeesEntity).
func (c *streamConn) sees(m stream.Message) bool {
	org := c.orgs[m.OrganizationID]
	if org == nil {
		return false
	}
	if m.Kind == stream.KindNotification {
		return m.RecipientID == c.userID
	}
	return m.Kind == stream.KindChange && org.member.SeesChanges() &&
		(m.ProjectID == "" || org.all || org.projects[m.ProjectID]) && org.member.SeesEntity(m.EntityType, m.ActorID)
}

// stillValid rechecks the session and the memberships, and rereads the visible projects (a role change
// records no event). It is false when the session ended, a check failed, or the caller's standing changed
// (an organization left, suspended, joined or past its idle timeout; a role or permission changed): the
// stream then closes and the client reconnects.
func (c *streamConn) stillValid(ctx context.Context) bool {
	userID, members, err := c.session(ctx)
	if err != nil || userID != c.userID || len(members) != len(c.orgs) {
		return false
	}
	for orgID, m := range members {
		org := c.orgs[orgID]
		if org == nil || org.member.Viewer != m.Viewer || !slices.Equal(org.member.Permissions, m.Permissions) {
			return false
		}
		if c.refresh(ctx, orgID) != nil {
			return false
		}
	}
	return true
}

// validEventID reports whether s can be an id this stream sent: a canonical UUIDv7.
func validEventID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s && u.Version() == 7
}

// eventTime is the creation time a UUIDv7 carries (milliseconds since the epoch in its first 48 bits).
func eventTime(id string) (time.Time, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return time.Time{}, err
	}
	ms := int64(binary.BigEndian.Uint64(append([]byte{0, 0}, u[:6]...)))
	return time.UnixMilli(ms), nil
}

// eventIDAt is the smallest UUIDv7 of the millisecond t: every id created from t on sorts after it.
func eventIDAt(t time.Time) string {
	var u uuid.UUID
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(t.UnixMilli()))
	copy(u[:6], ms[2:])
	u[6], u[8] = 0x70, 0x80
	return u.String()
}
