package loadtest

import (
	"context"

	"github.com/clientflow/clientflow/store"
)

// Work is the shape of the work data SeedWork loads into an organization.
type Work struct {
	// Projects is how many projects, named "Project 0" onward, each with the four default columns and every
	// member of the organization on it.
	Projects int
	// Tasks is how many tasks each project gets, or FirstTasks for "Project 0" when that is not zero: spread
	// over the columns, numbered, of rotating priority and due date, each assigned to every member.
	Tasks, FirstTasks int
	// Subtasks is how many subtasks each task gets, the first one done.
	Subtasks int
	// Comments is how many comments each task gets from the organization's first member; only the tasks of
	// "Project 0" when CommentsOnFirstOnly.
	Comments            int
	CommentsOnFirstOnly bool
}

// FirstProject names the project SeedWork may size apart (Work.FirstTasks, Work.CommentsOnFirstOnly).
const FirstProject = "Project 0"

// SeedWork bulk-loads w into orgID with SQL, as the schema owner, then analyses the tables.
func SeedWork(ctx context.Context, owner *store.DB, orgID string, w Work) error {
	firstTasks := w.FirstTasks
	if firstTasks == 0 {
		firstTasks = w.Tasks
	}
	_, err := owner.Bun().ExecContext(ctx, `
		INSERT INTO projects (id, organization_id, name, status)
			SELECT gen_random_uuid(), ?0, 'Project ' || p, 'active' FROM generate_series(0, ?1 - 1) p;
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
			FROM projects p CROSS JOIN generate_series(1, CASE WHEN p.name = ?7 THEN ?3 ELSE ?2 END) n
			JOIN task_board_columns c ON c.organization_id = p.organization_id AND c.project_id = p.id
				AND c.position = (ARRAY['a','b','c','d'])[1 + n % 4]
			WHERE p.organization_id = ?0;
		INSERT INTO project_task_counters (organization_id, project_id, last_number)
			SELECT ?0, project_id, max(number) FROM tasks WHERE organization_id = ?0 GROUP BY project_id;
		INSERT INTO task_assignees (organization_id, task_id, user_id)
			SELECT ?0, t.id, m.user_id FROM tasks t, organization_memberships m
			WHERE t.organization_id = ?0 AND m.organization_id = ?0;
		INSERT INTO subtasks (id, organization_id, task_id, title, done, position)
			SELECT gen_random_uuid(), ?0, t.id, 'Step ' || s, s = 1, 'i' || s
			FROM tasks t, generate_series(1, ?4) s WHERE t.organization_id = ?0;
		INSERT INTO task_comments (id, organization_id, task_id, author_id, body_json, body_html, created_at)
			SELECT gen_random_uuid(), ?0, t.id, m.user_id, '{"type":"doc"}',
				'<p>Comment ' || c || ': the client asked for a second pass on the copy.</p>', now() - c * interval '1 hour'
			FROM tasks t JOIN projects p ON p.organization_id = t.organization_id AND p.id = t.project_id
			CROSS JOIN generate_series(1, ?5) c
			CROSS JOIN LATERAL (SELECT user_id FROM organization_memberships WHERE organization_id = ?0 LIMIT 1) m
			WHERE t.organization_id = ?0 AND (NOT ?6 OR p.name = ?7);
		ANALYZE`, orgID, w.Projects, w.Tasks, firstTasks, w.Subtasks, w.Comments, w.CommentsOnFirstOnly, FirstProject)
	return err
}

// Project is a seeded project and what load aims at inside it.
type Project struct {
	ID      string
	Name    string
	Columns []string
	Tasks   []string
}

// Projects reads back orgID's projects, by name, with their columns (in board order) and task ids.
func Projects(ctx context.Context, owner *store.DB, orgID string) ([]Project, error) {
	var out []Project
	if err := owner.Bun().NewRaw("SELECT id, name FROM projects WHERE organization_id = ? ORDER BY name", orgID).
		Scan(ctx, &out); err != nil {
		return nil, err
	}
	for i := range out {
		if err := readProject(ctx, owner, orgID, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ProjectNamed reads back one of orgID's projects, by name, as Projects does.
func ProjectNamed(ctx context.Context, owner *store.DB, orgID, name string) (Project, error) {
	p := Project{Name: name}
	if err := owner.Bun().NewRaw("SELECT id FROM projects WHERE organization_id = ? AND name = ?", orgID, name).
		Scan(ctx, &p.ID); err != nil {
		return p, err
	}
	return p, readProject(ctx, owner, orgID, &p)
}

// readProject fills p's columns and tasks.
func readProject(ctx context.Context, owner *store.DB, orgID string, p *Project) error {
	b := owner.Bun()
	if err := b.NewRaw("SELECT id FROM task_board_columns WHERE organization_id = ? AND project_id = ? ORDER BY position",
		orgID, p.ID).Scan(ctx, &p.Columns); err != nil {
		return err
	}
	return b.NewRaw("SELECT id FROM tasks WHERE organization_id = ? AND project_id = ?", orgID, p.ID).Scan(ctx, &p.Tasks)
}
