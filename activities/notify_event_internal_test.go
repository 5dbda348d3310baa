package activities

import (
	"context"
	"testing"

	"github.com/clientflow/clientflow/domain"
)

// TestNotifyEventSkipsWithoutAQuery: events that concern nobody are decided from their type and payload
// alone. The activities have no database here, so any query would panic.
func TestNotifyEventSkipsWithoutAQuery(t *testing.T) {
	a := &Activities{}
	org, task := "0190c0de-0000-7000-8000-000000000001", "0190c0de-0000-7000-8000-000000000002"
	for name, ev := range map[string]*domain.Activity{
		"reordered within its column": {Type: domain.EventTaskUpdated, EntityID: task, Payload: map[string]any{"assignees_added": []any{}}},
		"created unassigned":          {Type: domain.EventTaskCreated, EntityID: task, Payload: map[string]any{"column_to": "To do"}},
		"a project's file":            {Type: domain.EventFileUploaded, Payload: map[string]any{"name": "logo.png"}},
		"a client created":            {Type: domain.EventClientCreated, Payload: map[string]any{"name": "Acme"}},
		"a time entry":                {Type: domain.EventTimeEntryCreated, Payload: map[string]any{"task_id": task}},
		"a task completed":            {Type: domain.EventTaskCompleted, EntityID: task},
	} {
		ev.ID, ev.ActorID = "0190c0de-0000-7000-8000-000000000003", "0190c0de-0000-7000-8000-000000000004"
		plans, err := a.writeNotifications(context.Background(), org, ev)
		if err != nil || len(plans) != 0 {
			t.Errorf("%s: %d plans, err %v; want none", name, len(plans), err)
		}
	}
}
