package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// organizationRow is the organizations table; its ID is the tenant ID.
type organizationRow struct {
	bun.BaseModel `bun:"table:organizations"`

	ID        string    `bun:"id,pk"`
	Name      string    `bun:"name"`
	Slug      string    `bun:"slug"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

func (r *organizationRow) domain() domain.Organization {
	return domain.Organization{ID: r.ID, Name: r.Name, Slug: r.Slug, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// membershipRow is the organization_memberships table.
type membershipRow struct {
	bun.BaseModel `bun:"table:organization_memberships"`

	ID             string    `bun:"id,pk"`
	OrganizationID string    `bun:"organization_id"`
	UserID         string    `bun:"user_id"`
	Role           string    `bun:"role"`
	ClientID       *string   `bun:"client_id"`
	Status         string    `bun:"status"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
}

// CreateOrganization creates an organization with default settings and makes ownerID its owner.
// The slug is derived from the name and made unique with a numeric suffix.
func (db *DB) CreateOrganization(ctx context.Context, name, ownerID string) (*domain.Organization, error) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	row := organizationRow{ID: newID(), Name: name, CreatedAt: now, UpdatedAt: now}
	err := db.inTenant(ctx, row.ID, ownerID, func(ctx context.Context, tx bun.Tx) error {
		if err := insertWithFreeSlug(ctx, tx, &row); err != nil {
			return err
		}
		if _, err := tx.NewRaw("INSERT INTO organization_settings (organization_id) VALUES (?)", row.ID).Exec(ctx); err != nil {
			return err
		}
		if err := createSubscription(ctx, tx, row.ID, now); err != nil {
			return err
		}
		m := membershipRow{ID: newID(), OrganizationID: row.ID, UserID: ownerID, Role: domain.RoleOwner,
			Status: "active", CreatedAt: now, UpdatedAt: now}
		_, err := tx.NewInsert().Model(&m).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	org := row.domain()
	return &org, nil
}

// insertWithFreeSlug inserts the organization under the first free slug among base, base-2, base-3, ….
// Slugs are global but other tenants' rows are invisible under RLS, so it lets the unique index decide
// (ON CONFLICT DO NOTHING sees every row) instead of reading slugs it may not see.
func insertWithFreeSlug(ctx context.Context, tx bun.Tx, row *organizationRow) error {
	base := domain.Slugify(row.Name)
	for i := 1; i <= 20; i++ {
		row.Slug = base
		if i > 1 {
			row.Slug = fmt.Sprintf("%s-%d", base, i)
		}
		res, err := tx.NewInsert().Model(row).On("CONFLICT (slug) DO NOTHING").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
	}
	row.Slug = base + "-" + row.ID[len(row.ID)-8:]
	_, err := tx.NewInsert().Model(row).Exec(ctx)
	return err
}

// Organization returns the organization orgID. Errors: ENOTFOUND.
func (db *DB) Organization(ctx context.Context, orgID string) (*domain.Organization, error) {
	var row organizationRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&row).Where("id = ?", orgID).Scan(ctx)
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	org := row.domain()
	return &org, nil
}

// Memberships lists the organizations userID belongs to, oldest first.
func (db *DB) Memberships(ctx context.Context, userID string) ([]domain.Membership, error) {
	var rows []struct {
		organizationRow
		Role        string   `bun:"role"`
		Permissions []string `bun:"permissions,array"`
		ClientID    *string  `bun:"client_id"`
		Features    []string `bun:"features,array"`
	}
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT set_config('app.user_id', ?, true)", userID); err != nil {
			return err
		}
		// member_access answers the permissions and the plan's features in the same query (it scopes
		// itself to each organization in turn, which the subscriptions policy needs).
		return tx.NewSelect().
			ColumnExpr("o.id, o.name, o.slug, o.created_at, o.updated_at, m.role, m.client_id").
			ColumnExpr("a.out_permissions AS permissions, a.out_features AS features").
			TableExpr("organization_memberships AS m").
			Join("JOIN organizations AS o ON o.id = m.organization_id").
			Join("CROSS JOIN LATERAL member_access(o.id, m.user_id, ?::jsonb) AS a", defaultPermissionsJSON).
			Where("m.user_id = ? AND m.status = 'active' AND o.status = 'active'", userID).
			OrderExpr("m.created_at, o.id").
			Scan(ctx, &rows)
	})
	if err != nil {
		return nil, err
	}
	out := make([]domain.Membership, len(rows))
	for i := range rows {
		out[i] = domain.Membership{Organization: rows[i].organizationRow.domain(), UserID: userID, Role: rows[i].Role,
			Permissions: permissionsFrom(rows[i].Permissions), Features: rows[i].Features}
		if rows[i].ClientID != nil {
			out[i].ClientID = *rows[i].ClientID
		}
		if out[i].Features == nil {
			out[i].Features = []string{}
		}
	}
	return out, nil
}
