package store

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/clientflow/clientflow/domain"
)

// recordDescriptionMentions writes one task.mentioned event, by p's viewer, per user the description of t
// mentions now but did not in before (nil for a new task), as comments do. It costs nothing when nobody new
// is mentioned; who may see the task is decided by the fan-out, as for every notification.
func recordDescriptionMentions(ctx context.Context, p projectTx, t *domain.Task, before json.RawMessage) error {
	now := descriptionMentions(t.DescriptionJSON)
	old := descriptionMentions(before)
	for _, id := range now {
		if slices.Contains(old, id) || id == p.viewer.UserID {
			continue
		}
		if err := recordEvent(ctx, p.Tx, p.orgID, domain.Event{Type: domain.EventTaskMentioned, EntityType: "task",
			EntityID: t.ID, ActorID: p.viewer.UserID, ProjectID: p.projectID,
			Payload: map[string]any{"mentioned_user_id": id, "in": "description"}}); err != nil {
			return err
		}
	}
	return nil
}

// descriptionMentions lists the users a task description mentions; a description that is not an editor
// document (an empty one is "{}") mentions nobody.
func descriptionMentions(doc json.RawMessage) []string {
	if len(doc) == 0 {
		return nil
	}
	ids, err := domain.ParseMentions(doc)
	if err != nil {
		return nil
	}
	return ids
}
