package main

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/cmd/internal/loadtest"
	"github.com/clientflow/clientflow/store"
)

// The soak's data: one organization on an active Professional plan (no plan limit and no trial read-only
// mode gets in the way), 2,000 clients, and projects of tasks with an assignee, a subtask and three comments
// each, spread over the four default columns. Sized like a busy agency, not like cmd/bench's stress set, so
// the seed takes seconds and the soak measures steady traffic rather than giant pages. The work data is
// loadtest's, the shape cmd/bench uses.
const (
	seedClients  = 2000
	seedProjects = 10
	seedTasks    = 200
	seedComments = 3
	// soakEmail and soakPassword sign in the traffic's sessions and the sign-in operation.
	soakEmail    = "soak@example.com"
	soakPassword = "soak-password"
)

// soakWork is the soak's work data.
var soakWork = loadtest.Work{Projects: seedProjects, Tasks: seedTasks, Subtasks: 1, Comments: seedComments}

// fixture is the seeded organization.
type fixture struct {
	orgID    string
	projects []loadtest.Project
}

// seed loads the organization, its owner (the soak user) and the work data with SQL as the schema owner.
func seed(ctx context.Context, owner *store.DB) (fixture, error) {
	hash, err := api.HashPassword(soakPassword)
	if err != nil {
		return fixture{}, err
	}
	orgID, userID := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	_, err = owner.Bun().ExecContext(ctx, `
		INSERT INTO users (id, name, email, password_hash) VALUES (?1, 'Soak', ?2, ?3);
		INSERT INTO organizations (id, name, slug) VALUES (?0, 'Soak agency', 'soak-agency');
		INSERT INTO subscriptions (organization_id, plan_id, status) VALUES (?0, 'professional', 'active');
		INSERT INTO organization_settings (organization_id) VALUES (?0);
		INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (gen_random_uuid(), ?0, ?1, 'owner');
		INSERT INTO clients (id, organization_id, name, email, company, status)
			SELECT gen_random_uuid(), ?0, 'Client ' || n, 'contact' || n || '@client' || n % 50 || '.example',
				'Company ' || n % 50, CASE WHEN n % 10 = 0 THEN 'archived' ELSE 'active' END
			FROM generate_series(1, ?4) n;`,
		orgID, userID, soakEmail, hash, seedClients)
	if err != nil {
		return fixture{}, fmt.Errorf("seed the organization: %w", err)
	}
	if err := loadtest.SeedWork(ctx, owner, orgID, soakWork); err != nil {
		return fixture{}, fmt.Errorf("seed the projects: %w", err)
	}
	projects, err := loadtest.Projects(ctx, owner, orgID)
	return fixture{orgID: orgID, projects: projects}, err
}
