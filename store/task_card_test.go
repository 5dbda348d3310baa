package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

func mustProjectWithTask(t *testing.T, db *store.DB, email string) (orgID string, v domain.Viewer, projectID string, task *domain.Task) {
	t.Helper()
	ctx := context.Background()
	u, org := mustUserAndOrg(t, db, email)
	v = domain.Viewer{UserID: u.ID, Role: domain.RoleOwner}
	p := &domain.Project{Name: "Cards"}
	if err := db.CreateProject(ctx, org.ID, v, p, ""); err != nil {
		t.Fatal(err)
	}
	task = &domain.Task{Title: "Card", AssigneeIDs: []string{u.ID}}
	if err := db.CreateTask(ctx, org.ID, v, p.ID, task); err != nil {
		t.Fatal(err)
	}
	return org.ID, v, p.ID, task
}

// The board reads assignees and subtask counts from the task row; the triggers that keep them must agree
// with the rows they summarise, also when writers race.
func TestBoardCardsFollowAssigneesAndSubtasks(t *testing.T) {
	db := storetest.MustOpen(t).App
	ctx := context.Background()
	orgID, v, projectID, task := mustProjectWithTask(t, db, "cards@example.com")

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.CreateSubtask(ctx, orgID, v, projectID, task.ID, &domain.Subtask{Title: "Step", Done: i%3 == 0})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	detail, err := db.Task(ctx, orgID, v, projectID, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	done := true
	if _, err := db.UpdateSubtask(ctx, orgID, v, projectID, task.ID, detail.Subtasks[1].ID, domain.SubtaskUpdate{Done: &done}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSubtask(ctx, orgID, v, projectID, task.ID, detail.Subtasks[0].ID); err != nil {
		t.Fatal(err)
	}
	// Count what the rows say now: 12 steps of which 4 were done, one ticked, one deleted.
	after, err := db.Task(ctx, orgID, v, projectID, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantDone := 0
	for _, s := range after.Subtasks {
		if s.Done {
			wantDone++
		}
	}
	card := boardCard(t, db, orgID, v, projectID, task.ID)
	if card.SubtasksAll != 11 || len(after.Subtasks) != 11 || card.SubtasksDone != wantDone {
		t.Fatalf("card counts %d/%d, rows say %d/%d", card.SubtasksDone, card.SubtasksAll, wantDone, len(after.Subtasks))
	}
	if len(card.Assignees) != 1 || card.Assignees[0].UserID != v.UserID || card.Assignees[0].Initials != "TC" {
		t.Fatalf("card assignees %+v", card.Assignees)
	}

	none := []string{}
	if _, err := db.UpdateTask(ctx, orgID, v, projectID, task.ID, domain.TaskUpdate{AssigneeIDs: &none}); err != nil {
		t.Fatal(err)
	}
	if card := boardCard(t, db, orgID, v, projectID, task.ID); len(card.Assignees) != 0 {
		t.Fatalf("unassigned card still shows %+v", card.Assignees)
	}
}

func boardCard(t *testing.T, db *store.DB, orgID string, v domain.Viewer, projectID, taskID string) *domain.TaskCard {
	t.Helper()
	cols, err := db.Board(context.Background(), orgID, v, projectID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		for _, card := range c.Tasks {
			if card.ID == taskID {
				return card
			}
		}
	}
	t.Fatalf("task %s is not on the board", taskID)
	return nil
}

// Keys that have grown long (thousands of moves into one spot) are renumbered, keeping the order.
func TestLongPositionKeysAreRenumbered(t *testing.T) {
	d := storetest.MustOpen(t)
	db := d.App
	ctx := context.Background()
	orgID, v, projectID, first := mustProjectWithTask(t, db, "rebalance@example.com")
	var ids []string
	ids = append(ids, first.ID)
	for range 5 {
		task := &domain.Task{Title: "Card"}
		if err := db.CreateTask(ctx, orgID, v, projectID, task); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, task.ID)
	}
	// Give the last two cards keys one step from the length limit, as a long history of moves would.
	long := strings.Repeat("z", domain.PositionLong-1)
	if _, err := d.Owner.Bun().ExecContext(ctx, `UPDATE tasks SET position = CASE id WHEN ? THEN ? ELSE ? END WHERE id IN (?, ?)`,
		ids[4], long+"1", long+"2", ids[4], ids[5]); err != nil {
		t.Fatal(err)
	}
	// Moving the first card between them needs a key longer than the limit.
	if _, err := db.MoveTask(ctx, orgID, v, projectID, ids[0], domain.TaskMove{Move: domain.Move{AfterID: ids[4]}}); err != nil {
		t.Fatal(err)
	}
	cols, err := db.Board(ctx, orgID, v, projectID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cols[0].Tasks {
		got = append(got, c.ID)
		if len(c.Position) > 4 {
			t.Errorf("key %q was not renumbered", c.Position)
		}
	}
	want := []string{ids[1], ids[2], ids[3], ids[4], ids[0], ids[5]}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("order after renumbering\n got %v\nwant %v", got, want)
	}
}
