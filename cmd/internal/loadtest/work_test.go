package loadtest_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/clientflow/clientflow/cmd/internal/loadtest"
	"github.com/clientflow/clientflow/store/storetest"
)

// TestSeedWork seeds a small shape with every option the load programs use (cmd/bench's first project
// sized apart and commented alone) and counts what landed, so a broken statement fails here and not at
// the start of a bench or a soak.
func TestSeedWork(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	orgID, userID := uuid.NewString(), uuid.NewString()
	if _, err := db.Owner.Bun().ExecContext(ctx, `
		INSERT INTO users (id, name, email, password_hash) VALUES (?1, 'Load', 'load@example.com', 'x');
		INSERT INTO organizations (id, name, slug) VALUES (?0, 'Load agency', 'load-agency');
		INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (gen_random_uuid(), ?0, ?1, 'owner')`,
		orgID, userID); err != nil {
		t.Fatal(err)
	}
	w := loadtest.Work{Projects: 3, Tasks: 8, FirstTasks: 4, Subtasks: 2, Comments: 3, CommentsOnFirstOnly: true}
	if err := loadtest.SeedWork(ctx, db.Owner, orgID, w); err != nil {
		t.Fatal(err)
	}

	projects, err := loadtest.Projects(ctx, db.Owner, orgID)
	if err != nil {
		t.Fatal(err)
	}
	if len(projects) != 3 || projects[0].Name != loadtest.FirstProject {
		t.Fatalf("projects = %+v, want 3 starting with %q", projects, loadtest.FirstProject)
	}
	for i, p := range projects {
		want := 8
		if i == 0 {
			want = 4
		}
		if len(p.Tasks) != want || len(p.Columns) != 4 {
			t.Errorf("%s: %d tasks and %d columns, want %d and 4", p.Name, len(p.Tasks), len(p.Columns), want)
		}
	}
	first, err := loadtest.ProjectNamed(ctx, db.Owner, orgID, loadtest.FirstProject)
	if err != nil || first.ID != projects[0].ID || len(first.Tasks) != 4 {
		t.Fatalf("ProjectNamed = %+v, %v; want %s with 4 tasks", first, err, projects[0].ID)
	}
	var subtasks, done, comments, assignees int
	if err := db.Owner.Bun().NewRaw(`SELECT
		(SELECT count(*) FROM subtasks WHERE organization_id = ?0),
		(SELECT count(*) FROM subtasks WHERE organization_id = ?0 AND done),
		(SELECT count(*) FROM task_comments WHERE organization_id = ?0),
		(SELECT count(*) FROM task_assignees WHERE organization_id = ?0)`, orgID).
		Scan(ctx, &subtasks, &done, &comments, &assignees); err != nil {
		t.Fatal(err)
	}
	// 20 tasks; comments only on the first project's 4.
	if subtasks != 40 || done != 20 || comments != 12 || assignees != 20 {
		t.Errorf("subtasks %d (done %d), comments %d, assignees %d; want 40 (20), 12, 20", subtasks, done, comments, assignees)
	}
}
