package worker_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"

	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker"
	"github.com/clientflow/clientflow/worker/temporaltest"
	"github.com/clientflow/clientflow/workflows"
)

// TestSubscriptionBackfillOnDevServer runs the one-off backfill through the real worker, activities and
// database over organizations made before plans existed (no Subscription workflow): each live one gets its
// workflow, one already running is left alone, one being deleted is skipped, the run pages and continues as
// new, and starting the backfill again (the next worker start-up) runs nothing.
func TestSubscriptionBackfillOnDevServer(t *testing.T) {
	srv := temporaltest.MustStart(t)
	db := storetest.MustOpen(t)
	ctx := context.Background()
	c := srv.Client()
	var orgs []string
	for _, name := range []string{"Pre-plan A", "Pre-plan B", "Pre-plan C", "Already running", "Being deleted"} {
		orgs = append(orgs, billingOrg(t, db, name))
	}
	running, deleting := orgs[3], orgs[4]
	_, err := db.Owner.Bun().ExecContext(ctx, "UPDATE organizations SET status = 'deleting', deleted_at = now() WHERE id = ?", deleting)
	require.NoError(t, err)

	const queue = "subscription-backfill-test"
	starter := worker.Starter{Client: c, TaskQueue: queue}
	acts := billingActivities(db)
	acts.Subscriptions = starter
	w := worker.New(c, queue, acts)
	require.NoError(t, w.Start())
	defer w.Stop()
	require.NoError(t, starter.StartSubscription(ctx, running))
	runningRun, err := c.DescribeWorkflowExecution(ctx, workflows.SubscriptionWorkflowID(running), "")
	require.NoError(t, err)

	// Two organizations a page and one page a run: three runs (the last finds the end).
	require.NoError(t, starter.StartSubscriptionBackfill(ctx, workflows.SubscriptionBackfillInput{PageSize: 2, PagesPerRun: 1}))
	waitCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var res workflows.SubscriptionBackfillInput
	require.NoError(t, c.GetWorkflow(ctx, workflows.SubscriptionBackfillWorkflowID(), "").Get(waitCtx, &res))
	assert.Equal(t, 4, res.Seen, "every live organization, not the one being deleted")
	assert.Equal(t, 3, res.Started, "the one already running is joined, not started")

	for _, org := range orgs[:4] {
		d, err := c.DescribeWorkflowExecution(ctx, workflows.SubscriptionWorkflowID(org), "")
		require.NoError(t, err, "organization %s has its Subscription workflow", org)
		assert.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, d.GetWorkflowExecutionInfo().GetStatus())
	}
	after, err := c.DescribeWorkflowExecution(ctx, workflows.SubscriptionWorkflowID(running), "")
	require.NoError(t, err)
	assert.Equal(t, runningRun.GetWorkflowExecutionInfo().GetExecution().GetRunId(), after.GetWorkflowExecutionInfo().GetExecution().GetRunId())
	_, err = c.DescribeWorkflowExecution(ctx, workflows.SubscriptionWorkflowID(deleting), "")
	var notFound *serviceerror.NotFound
	assert.True(t, errors.As(err, &notFound), "no workflow for an organization being deleted: %v", err)

	done, err := c.DescribeWorkflowExecution(ctx, workflows.SubscriptionBackfillWorkflowID(), "")
	require.NoError(t, err)
	require.NoError(t, starter.StartSubscriptionBackfill(ctx, workflows.SubscriptionBackfillInput{}))
	again, err := c.DescribeWorkflowExecution(ctx, workflows.SubscriptionBackfillWorkflowID(), "")
	require.NoError(t, err)
	assert.Equal(t, done.GetWorkflowExecutionInfo().GetExecution().GetRunId(), again.GetWorkflowExecutionInfo().GetExecution().GetRunId(),
		"a completed backfill is not run again")
	assert.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED, again.GetWorkflowExecutionInfo().GetStatus())
	// The first run: a page, then continue-as-new.
	first := again.GetWorkflowExecutionInfo().GetFirstRunId()
	require.NotEmpty(t, first)
	recordHistory(t, c, workflows.SubscriptionBackfillWorkflowID(), first, "subscription_backfill")
}
