package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/clientflow/clientflow/domain"
)

// ProjectMembers lists the members of a project v may see, by name. Errors: ENOTFOUND.
func (db *DB) ProjectMembers(ctx context.Context, orgID string, v domain.Viewer, projectID string) ([]domain.ProjectMember, error) {
	var out []domain.ProjectMember
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		return p.NewRaw(`SELECT pm.user_id, u.name, u.email, coalesce(m.role, '') AS role, pm.created_at
			FROM project_members pm
			JOIN users u ON u.id = pm.user_id
			LEFT JOIN organization_memberships m ON m.organization_id = pm.organization_id AND m.user_id = pm.user_id
			WHERE pm.organization_id = ? AND pm.project_id = ?
			ORDER BY u.name, pm.user_id`, p.orgID, p.projectID).Scan(ctx, &out)
	})
	if out == nil {
		out = []domain.ProjectMember{}
	}
	return out, mapError(err, projectNotFound)
}

// AddProjectMember puts userID on a project v may see. Adding someone already on it changes nothing.
// Errors: ENOTFOUND (the project), EINVALID (userID is not an active member of orgID, or is a client
// contact: contacts follow their client's projects in the portal, never on the team).
func (db *DB) AddProjectMember(ctx context.Context, orgID string, v domain.Viewer, projectID, userID string) (*domain.ProjectMember, error) {
	var out domain.ProjectMember
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		notMember := domain.Invalid("body.user_id", "is not an active member of the organization")
		if !validUUID(userID) {
			return notMember
		}
		err := p.NewRaw(`SELECT m.user_id, u.name, u.email, m.role FROM organization_memberships m
			JOIN users u ON u.id = m.user_id
			WHERE m.organization_id = ? AND m.user_id = ? AND m.status = 'active'`, p.orgID, userID).Scan(ctx, &out)
		if errors.Is(err, sql.ErrNoRows) {
			return notMember
		} else if err != nil {
			return err
		}
		if out.Role == domain.RoleClient {
			return domain.Invalid("body.user_id", "is a client contact; contacts follow the project in the client portal")
		}
		var added []time.Time
		if err := p.NewRaw(`INSERT INTO project_members (organization_id, project_id, user_id) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING RETURNING created_at`, p.orgID, p.projectID, userID).Scan(ctx, &added); err != nil {
			return err
		}
		if len(added) == 0 {
			return p.NewRaw(`SELECT created_at FROM project_members WHERE organization_id = ? AND project_id = ? AND user_id = ?`,
				p.orgID, p.projectID, userID).Scan(ctx, &out.CreatedAt)
		}
		out.CreatedAt = added[0]
		return recordEvent(ctx, p.Tx, p.orgID, projectMemberEvent(domain.EventProjectMemberAdded, p.projectID, out, v.UserID))
	})
	if err != nil {
		return nil, mapError(err, projectNotFound)
	}
	return &out, nil
}

// RemoveProjectMember takes userID off a project v may see. Errors: ENOTFOUND (the project, or userID is
// not on it).
func (db *DB) RemoveProjectMember(ctx context.Context, orgID string, v domain.Viewer, projectID, userID string) error {
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		if !validUUID(userID) {
			return domain.Errorf(domain.ENOTFOUND, "Project member not found.")
		}
		res, err := p.NewRaw(`DELETE FROM project_members WHERE organization_id = ? AND project_id = ? AND user_id = ?`,
			p.orgID, p.projectID, userID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "Project member not found.")
		}
		return recordEvent(ctx, p.Tx, p.orgID, projectMemberEvent(domain.EventProjectMemberRemoved, p.projectID,
			domain.ProjectMember{UserID: userID}, v.UserID))
	})
	return mapError(err, projectNotFound)
}

func projectMemberEvent(typ, projectID string, m domain.ProjectMember, actorID string) domain.Event {
	payload := map[string]any{"user_id": m.UserID}
	if m.Name != "" {
		payload["name"] = m.Name
	}
	return domain.Event{Type: typ, EntityType: "project", EntityID: projectID, ActorID: actorID, ProjectID: projectID,
		Payload: payload}
}
