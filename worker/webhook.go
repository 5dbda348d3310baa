package worker

import (
	"context"
	"errors"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/workflows"
)

// webhookTestWait is how long SendWebhookTest waits for the ping's single try (10 s HTTP timeout plus the
// bookkeeping around it).
const webhookTestWait = 15 * time.Second

// StartWebhookDelivery starts the WebhookDelivery workflow of one delivery row (the row must exist, pending),
// findable by its OrganizationId search attribute. The workflow ID is the delivery's, so starting it again
// (a retried fan-out, an API retry) joins or leaves alone the run that has it. It implements
// activities.WebhookStarter.
func (s Starter) StartWebhookDelivery(ctx context.Context, ref domain.WebhookDeliveryRef) error {
	return s.startOnce(ctx, workflows.WebhookDeliveryWorkflowID(ref.DeliveryID), ref.OrganizationID,
		enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, "WebhookDelivery", ref)
}

// SendWebhookTest starts the delivery of a ping row with a single try and waits up to 15 s for it to end, so
// the caller can read the outcome from the row. It returns nil when the run ended (delivered or failed: the
// row says which) and also when the wait ran out or the caller left (the row then still says pending); an
// error only when the workflow could not be started or its run failed.
func (s Starter) SendWebhookTest(ctx context.Context, ref domain.WebhookDeliveryRef) error {
	ref.SingleAttempt = true
	id := workflows.WebhookDeliveryWorkflowID(ref.DeliveryID)
	run, err := s.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes:    orgSearchAttributes(ref.OrganizationID)}, "WebhookDelivery", ref)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil // ended before: the row holds its outcome
	} else if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, webhookTestWait)
	defer cancel()
	err = run.Get(wctx, nil)
	if wctx.Err() != nil {
		// Still trying: the caller shows the row as it stands. Also when the caller itself went away: the
		// workflow runs and owns the row, which must not be taken for a failed start and removed.
		return nil
	}
	return err
}
