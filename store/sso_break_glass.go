package store

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// OwnedSSORequiredOrganizations lists the active organizations userID owns (active membership) that require
// SSO, oldest membership first: there, the owner's password sign-in is the break-glass that is audited and
// reported. Like Memberships it reads the user's own memberships across organizations (app.user_id alone),
// and each organization's setting through member_access, which scopes itself to each in turn.
func (db *DB) OwnedSSORequiredOrganizations(ctx context.Context, userID string) ([]domain.Organization, error) {
	var rows []organizationRow
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT set_config('app.user_id', ?, true)", userID); err != nil {
			return err
		}
		return tx.NewSelect().
			ColumnExpr("o.id, o.name, o.slug, o.created_at, o.updated_at").
			TableExpr("organization_memberships AS m").
			Join("JOIN organizations AS o ON o.id = m.organization_id").
			Join("CROSS JOIN LATERAL member_access(o.id, m.user_id, ?::jsonb) AS a", defaultPermissionsJSON).
			Where("m.user_id = ? AND m.status = 'active' AND o.status = 'active'", userID).
			Where("m.role = ? AND a.out_sso_required", domain.RoleOwner).
			OrderExpr("m.created_at, o.id").
			Scan(ctx, &rows)
	})
	if err != nil {
		return nil, err
	}
	out := make([]domain.Organization, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}
