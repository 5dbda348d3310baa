package worker

import (
	"context"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/clientflow/clientflow/workflows"
)

// StartDueReminders starts the organization's due-date reminders workflow, findable by its OrganizationId
// search attribute; starting it again joins the running one. A finished one (its organization was deleted)
// may be started again, harmlessly: its first sweep finds the organization gone and ends it.
func (s Starter) StartDueReminders(ctx context.Context, orgID string) error {
	_, err := s.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.DueRemindersWorkflowID(orgID),
		TaskQueue:                s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		TypedSearchAttributes:    orgSearchAttributes(orgID),
	}, "DueReminders", workflows.DueRemindersInput{OrganizationID: orgID})
	return err
}
