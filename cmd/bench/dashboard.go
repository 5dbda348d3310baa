package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/clientflow/clientflow/cmd/internal/loadtest"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// Dashboard part: an organization of its own with the insight issue's sizes — 5,000 client projects with
// 20,000 files, 20,000 invoices and 200,000 events (storetest.SeedDashboard), plus 100 projects × 2,000
// tasks — whose dashboard the bench user (its owner: sees everything, revenue included) reads, 8 at a time.
const (
	dashboardConns    = 8
	dashboardDuration = 8 * time.Second
)

var dashboardWork = loadtest.Work{Projects: 100, Tasks: 2000}

// seedDashboard creates the dashboard organization, owned by the bench user, and returns its id.
func seedDashboard(ctx context.Context, dsn string) (string, error) {
	db, err := store.Open(ctx, dsn, store.Options{Owner: true, MaxConns: 2})
	if err != nil {
		return "", err
	}
	defer db.Close()
	b := db.Bun()
	orgID, memberID := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	if _, err := b.ExecContext(ctx, `
		INSERT INTO organizations (id, name, slug) VALUES (?0, 'Dashboard', 'dashboard');
		INSERT INTO subscriptions (organization_id, plan_id, status) VALUES (?0, 'professional', 'active');
		INSERT INTO organization_settings (organization_id) VALUES (?0);
		INSERT INTO organization_memberships (id, organization_id, user_id, role)
			SELECT gen_random_uuid(), ?0, id, 'owner' FROM users WHERE email = 'bench@example.com'`, orgID); err != nil {
		return "", err
	}
	// The tasks first, while the owner is the only member (SeedWork puts every member on its projects).
	if err := loadtest.SeedWork(ctx, db, orgID, dashboardWork); err != nil {
		return "", err
	}
	if _, err := b.ExecContext(ctx, `
		INSERT INTO users (id, name, email, password_hash) VALUES (?1, 'Dashboard member', 'dashboard-member@example.com', 'x');
		INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (gen_random_uuid(), ?0, ?1, 'member')`,
		orgID, memberID); err != nil {
		return "", err
	}
	return orgID, storetest.SeedDashboard(ctx, db, orgID, memberID)
}

// dashboardPart seeds the dashboard organization and load-tests its dashboard.
func dashboardPart(ctx context.Context, dsn, base string, clients []*http.Client) error {
	fmt.Printf("\nseeding the dashboard organization (5,100 projects, 200,000 tasks, 20,000 invoices)…\n")
	start := time.Now()
	orgID, err := seedDashboard(ctx, dsn)
	if err != nil {
		return err
	}
	fmt.Printf("seeded in %v\n", time.Since(start).Round(time.Millisecond))
	fmt.Printf("\n%-34s %10s %9s %9s %9s\n", fmt.Sprintf("scenario (%d connections)", dashboardConns), "req/s", "p50", "p99", "errors")
	report("GET dashboard?months=6 (owner)", load(clients[:min(dashboardConns, len(clients))], base+"/api/v1/orgs/"+orgID+"/dashboard?months=6", dashboardDuration))
	return nil
}
