package store

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/clientflow/clientflow/domain"
)

// TestTenantQueryScopesTheBatch proves the pipelined read runs under the tenant setting: the query has no
// organization filter of its own, so only row-level security can narrow it to one organization.
func TestTenantQueryScopesTheBatch(t *testing.T) {
	db := mustOpenInternal(t)
	ctx := context.Background()
	u := &domain.User{Name: "T", Email: "t@example.com", PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	count := func(orgID string) int {
		var n int
		err := db.tenantQuery(ctx, orgID, "", "SELECT count(*) FROM clients", nil, func(r pgx.Rows) error {
			for r.Next() {
				if err := r.Scan(&n); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	a, _ := db.CreateOrganization(ctx, "A", u.ID)
	b, _ := db.CreateOrganization(ctx, "B", u.ID)
	for i := 0; i < 3; i++ {
		if err := db.CreateClient(ctx, a.ID, u.ID, &domain.Client{Name: "a"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.CreateClient(ctx, b.ID, u.ID, &domain.Client{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	if got := count(a.ID); got != 3 {
		t.Fatalf("org A sees %d clients, want 3", got)
	}
	if got := count(b.ID); got != 1 {
		t.Fatalf("org B sees %d clients, want 1", got)
	}
	// The setting is transaction-local: the next statement on a pooled connection sees nothing.
	var leaked int
	if err := db.bun.NewRaw("SELECT count(*) FROM clients").Scan(ctx, &leaked); err != nil || leaked != 0 {
		t.Fatalf("after the batch an unscoped query sees %d rows (err %v), want 0", leaked, err)
	}
}
