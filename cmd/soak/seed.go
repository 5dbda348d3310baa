package main

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store"
)

// The soak's data: one organization on an active Professional plan (no plan limit and no trial read-only
// mode gets in the way), 2,000 clients, and projects of tasks with an assignee, a subtask and three comments
// each, spread over the four default columns. Sized like a busy agency, not like cmd/bench's stress set, so
// the seed takes seconds and the soak measures steady traffic rather than giant pages.
const (
	seedClients  = 2000
	seedProjects = 10
	seedTasks    = 200
	seedComments = 3
	// soakEmail and soakPassword sign in the traffic's sessions and the sign-in operation.
	soakEmail    = "soak@example.com"
	soakPassword = "soak-password"
)

// project is one seeded project and what the traffic aims at inside it.
type project struct {
	id      string
	columns []string
	tasks   []string
}

// fixture is the seeded organization.
type fixture struct {
	orgID    string
	projects []project
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
	if err := seedWork(ctx, owner, orgID); err != nil {
		return fixture{}, fmt.Errorf("seed the projects: %w", err)
	}
	return loadFixture(ctx, owner, orgID)
}

// seedWork adds the projects, columns, tasks, assignees, subtasks and comments (the same shape as cmd/bench's).
func seedWork(ctx context.Context, owner *store.DB, orgID string) error {
	_, err := owner.Bun().ExecContext(ctx, `
		INSERT INTO projects (id, organization_id, name, status)
			SELECT gen_random_uuid(), ?0, 'Project ' || p, 'active' FROM generate_series(1, ?1) p;
		INSERT INTO project_members (organization_id, project_id, user_id)
			SELECT ?0, p.id, m.user_id FROM projects p, organization_memberships m
			WHERE p.organization_id = ?0 AND m.organization_id = ?0;
		INSERT INTO task_board_columns (id, organization_id, project_id, name, position, is_done)
			SELECT gen_random_uuid(), ?0, p.id, c.name, c.pos, c.name = 'Done'
			FROM projects p, (VALUES ('To do', 'a'), ('In progress', 'b'), ('Review', 'c'), ('Done', 'd')) c(name, pos)
			WHERE p.organization_id = ?0;
		INSERT INTO tasks (id, organization_id, project_id, column_id, number, title, position, priority, due_date)
			SELECT gen_random_uuid(), ?0, p.id, c.id, n, 'Task ' || n || ' of ' || p.name,
				'i' || lpad(n::text, 5, '0') || 'i',
				(ARRAY['low','medium','high','urgent'])[1 + n % 4], date '2026-12-01' + n % 90
			FROM projects p CROSS JOIN generate_series(1, ?2) n
			JOIN task_board_columns c ON c.organization_id = p.organization_id AND c.project_id = p.id
				AND c.position = (ARRAY['a','b','c','d'])[1 + n % 4]
			WHERE p.organization_id = ?0;
		INSERT INTO project_task_counters (organization_id, project_id, last_number)
			SELECT ?0, project_id, max(number) FROM tasks WHERE organization_id = ?0 GROUP BY project_id;
		INSERT INTO task_assignees (organization_id, task_id, user_id)
			SELECT ?0, t.id, m.user_id FROM tasks t, organization_memberships m
			WHERE t.organization_id = ?0 AND m.organization_id = ?0;
		INSERT INTO subtasks (id, organization_id, task_id, title, done, position)
			SELECT gen_random_uuid(), ?0, t.id, 'Check the copy', false, 'i' FROM tasks t WHERE t.organization_id = ?0;
		INSERT INTO task_comments (id, organization_id, task_id, author_id, body_json, body_html, created_at)
			SELECT gen_random_uuid(), ?0, t.id, m.user_id, '{"type":"doc"}',
				'<p>Comment ' || c || ': the client asked for a second pass.</p>', now() - c * interval '1 hour'
			FROM tasks t CROSS JOIN generate_series(1, ?3) c
			CROSS JOIN LATERAL (SELECT user_id FROM organization_memberships WHERE organization_id = ?0 LIMIT 1) m
			WHERE t.organization_id = ?0;
		ANALYZE`, orgID, seedProjects, seedTasks, seedComments)
	return err
}

// loadFixture reads back the ids the traffic needs.
func loadFixture(ctx context.Context, owner *store.DB, orgID string) (fixture, error) {
	f := fixture{orgID: orgID}
	b := owner.Bun()
	var ids []string
	if err := b.NewRaw("SELECT id FROM projects WHERE organization_id = ? ORDER BY name", orgID).Scan(ctx, &ids); err != nil {
		return f, err
	}
	for _, id := range ids {
		p := project{id: id}
		if err := b.NewRaw("SELECT id FROM task_board_columns WHERE organization_id = ? AND project_id = ? ORDER BY position",
			orgID, id).Scan(ctx, &p.columns); err != nil {
			return f, err
		}
		if err := b.NewRaw("SELECT id FROM tasks WHERE organization_id = ? AND project_id = ?", orgID, id).Scan(ctx, &p.tasks); err != nil {
			return f, err
		}
		f.projects = append(f.projects, p)
	}
	return f, nil
}
