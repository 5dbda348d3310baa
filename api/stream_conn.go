package api

import (
	"context"
	"encoding/binary"
	"maps"
	"time"

	"github.com/google/uuid"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/stream"
)

// streamConn is what one open stream knows about its caller: the session it checks, and per organization
// the caller's role and the projects they may see (the store's rule, cached and refreshed).
type streamConn struct {
	db        *store.DB
	tokenHash []byte
	userID    string
	orgs      map[string]*streamOrg
}

// streamOrg is the caller's view of one organization.
type streamOrg struct {
	viewer domain.Viewer
	// all is true when the role sees every project; else projects lists those the caller is on.
	all      bool
	projects map[string]bool
}

// load checks the session and reads the caller's organizations and visible projects.
// Errors: EUNAUTHENTICATED.
func (c *streamConn) load(ctx context.Context) error {
	userID, err := c.db.SessionUser(ctx, c.tokenHash)
	if err != nil {
		return err
	}
	orgs, err := c.memberships(ctx, userID)
	if err != nil {
		return err
	}
	c.userID, c.orgs = userID, orgs
	for orgID := range c.orgs {
		if err := c.refresh(ctx, orgID); err != nil {
			return err
		}
	}
	return nil
}

func (c *streamConn) memberships(ctx context.Context, userID string) (map[string]*streamOrg, error) {
	ms, err := c.db.Memberships(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*streamOrg, len(ms))
	for _, m := range ms {
		out[m.Organization.ID] = &streamOrg{viewer: domain.Viewer{UserID: userID, Role: m.Role}}
	}
	return out, nil
}

// refresh rereads which projects of orgID the caller may see.
func (c *streamConn) refresh(ctx context.Context, orgID string) error {
	org := c.orgs[orgID]
	all, ids, err := c.db.VisibleProjects(ctx, orgID, org.viewer)
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

// sees reports whether the caller may receive m: a notification addressed to them, or a change in one of
// their organizations that is organization-wide or in a project they may see.
func (c *streamConn) sees(m stream.Message) bool {
	org := c.orgs[m.OrganizationID]
	if org == nil {
		return false
	}
	if m.Kind == stream.KindNotification {
		return m.RecipientID == c.userID
	}
	return m.Kind == stream.KindChange && (m.ProjectID == "" || org.all || org.projects[m.ProjectID])
}

// stillValid rechecks the session and the memberships, and rereads the visible projects (a role change
// records no event). It is false when the session ended, a check failed, or the set of organizations
// changed (one left, suspended, or joined): the stream then closes and the client reconnects.
func (c *streamConn) stillValid(ctx context.Context) bool {
	userID, err := c.db.SessionUser(ctx, c.tokenHash)
	if err != nil || userID != c.userID {
		return false
	}
	orgs, err := c.memberships(ctx, userID)
	if err != nil || !maps.EqualFunc(orgs, c.orgs, func(a, b *streamOrg) bool { return a.viewer == b.viewer }) {
		return false
	}
	for orgID := range c.orgs {
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
