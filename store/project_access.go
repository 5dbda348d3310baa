package store

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// projectVisibleSQL is the visibility rule as a condition on a projects row aliased p: the viewer sees
// every project, or is a member of this one. Bind it with (v.SeesAllProjects(), v.UserID).
const projectVisibleSQL = `(? OR EXISTS (SELECT 1 FROM project_members pm
	WHERE pm.organization_id = p.organization_id AND pm.project_id = p.id AND pm.user_id = ?))`

// checkProjectVisible answers ENOTFOUND unless projectID exists in orgID and v may see it, so a project the
// viewer is not on is indistinguishable from one that does not exist. Call it first in every store method
// that reads or writes anything inside a project (tasks, columns, comments, files, time).
func checkProjectVisible(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, projectID string) error {
	if !validUUID(projectID) {
		return domain.Errorf(domain.ENOTFOUND, "Project not found.")
	}
	ok, err := tx.NewSelect().TableExpr("projects AS p").
		Where("p.organization_id = ? AND p.id = ?", orgID, projectID).
		Where(projectVisibleSQL, v.SeesAllProjects(), v.UserID).Exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, "Project not found.")
	}
	return nil
}
