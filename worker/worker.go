// Package worker builds the Temporal client and the worker that runs ClientFlow's workflows and activities.
package worker

import (
	"context"
	"errors"
	"log/slog"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/workflows"
)

// Dial returns a lazy Temporal client: it connects on first use, so the API starts even while Temporal
// is still coming up (readiness reports it until then).
func Dial(address, namespace string, logger *slog.Logger) (client.Client, error) {
	return client.NewLazyClient(client.Options{
		HostPort:  address,
		Namespace: namespace,
		Logger:    tlog.NewStructuredLogger(logger),
	})
}

// New registers every workflow and activity on the task queue.
func New(c client.Client, taskQueue string, acts *activities.Activities) worker.Worker {
	w := worker.New(c, taskQueue, worker.Options{})
	for name, fn := range workflows.Types() {
		w.RegisterWorkflowWithOptions(fn, workflow.RegisterOptions{Name: name})
	}
	w.RegisterActivity(acts)
	return w
}

// Starter starts workflows on behalf of the API.
type Starter struct {
	Client              client.Client
	TaskQueue           string
	VerifyReminderAfter time.Duration
	// DunningDay is one day of the dunning schedule; zero means 24 hours (tests shorten it).
	DunningDay time.Duration
	// NotifyEmailWindow is how long notification emails coalesce; zero means workflows.NotifyEmailWindow
	// (tests shorten it).
	NotifyEmailWindow time.Duration
}

// StartWelcome starts the user's welcome workflow; starting it twice is harmless (same business ID).
func (s Starter) StartWelcome(ctx context.Context, userID string) error {
	return s.startOnce(ctx, workflows.WelcomeWorkflowID(userID), "", enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		"Welcome", workflows.WelcomeInput{UserID: userID, ReminderAfter: s.VerifyReminderAfter})
}

// SendEmail starts the one-off email workflow for req; the same key never sends twice (the workflow ID is
// the key, and the outbox dedups the activity).
func (s Starter) SendEmail(ctx context.Context, req domain.EmailRequest) error {
	return s.startOnce(ctx, workflows.EmailWorkflowID(req.Key), "", enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		"SendEmail", req)
}

// StartOrganizationDeletion starts the organization's deletion workflow, findable by its OrganizationId
// search attribute; starting it again joins the running one. A deletion that completed is never run again
// (the outbox relay may retry a start whose fast path succeeded but was not recorded); one that failed may be.
func (s Starter) StartOrganizationDeletion(ctx context.Context, orgID string) error {
	return s.startOnce(ctx, workflows.OrganizationDeleteWorkflowID(orgID), orgID,
		enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		"DeleteOrganization", workflows.DeleteOrganizationInput{OrganizationID: orgID})
}

// StartPurgeFiles wakes the organization's file purge, starting it when none runs (signal-with-start, so
// a purge that is already running takes the new work instead of failing the start), findable by its
// OrganizationId search attribute. A purge still running under its legacy ID takes the signal instead.
func (s Starter) StartPurgeFiles(ctx context.Context, orgID string) error {
	if signalled, err := s.signalRunning(ctx, workflows.LegacyPurgeFilesWorkflowID(orgID), workflows.SignalPurgeFiles, nil); signalled || err != nil {
		return err
	}
	_, err := s.Client.SignalWithStartWorkflow(ctx, workflows.PurgeFilesWorkflowID(orgID), workflows.SignalPurgeFiles, nil,
		client.StartWorkflowOptions{TaskQueue: s.TaskQueue, TypedSearchAttributes: orgSearchAttributes(orgID)},
		"PurgeFiles", workflows.PurgeFilesInput{OrganizationID: orgID})
	return err
}

// StartInvitationExpiry starts the invitation's expiry workflow, findable by its OrganizationId search
// attribute; starting it again for the same invitation is harmless.
func (s Starter) StartInvitationExpiry(ctx context.Context, inv domain.Invitation) error {
	return s.startOnce(ctx, workflows.InvitationWorkflowID(inv.ID), inv.OrganizationID, enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		"InvitationExpiry", workflows.InvitationExpiryInput{OrganizationID: inv.OrganizationID, InvitationID: inv.ID, ExpiresAt: inv.ExpiresAt})
}

// InvitationAccepted ends the invitation's expiry workflow without expiring it.
func (s Starter) InvitationAccepted(ctx context.Context, invitationID string) error {
	return s.signalInvitation(ctx, invitationID, workflows.SignalInvitationAccepted)
}

// InvitationRevoked ends the invitation's expiry workflow without expiring it.
func (s Starter) InvitationRevoked(ctx context.Context, invitationID string) error {
	return s.signalInvitation(ctx, invitationID, workflows.SignalInvitationRevoked)
}

// signalInvitation signals an expiry workflow; one that already finished is not an error (its conditional
// update never touches an invitation that left pending).
func (s Starter) signalInvitation(ctx context.Context, invitationID, signal string) error {
	err := s.Client.SignalWorkflow(ctx, workflows.InvitationWorkflowID(invitationID), "", signal, nil)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return nil
	}
	return err
}

// EmailVerified signals the user's welcome workflow; a workflow that already finished is not an error.
func (s Starter) EmailVerified(ctx context.Context, userID string) error {
	err := s.Client.SignalWorkflow(ctx, workflows.WelcomeWorkflowID(userID), "", workflows.SignalEmailVerified, nil)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return nil
	}
	return err
}

// StartInvoiceOverdue starts a sent invoice's overdue workflow, findable by its OrganizationId search
// attribute; starting it again for the same invoice is harmless.
func (s Starter) StartInvoiceOverdue(ctx context.Context, w domain.InvoiceWatch) error {
	return s.startOnce(ctx, workflows.InvoiceOverdueWorkflowID(w.InvoiceID), w.OrganizationID, enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		"InvoiceOverdue", workflows.InvoiceOverdueInput{OrganizationID: w.OrganizationID, InvoiceID: w.InvoiceID,
			DueAt: w.DueAt, PublicURL: w.PublicURL})
}

// InvoiceSettled ends the invoice's overdue workflow; one that already finished is not an error.
func (s Starter) InvoiceSettled(ctx context.Context, invoiceID string) error {
	err := s.Client.SignalWorkflow(ctx, workflows.InvoiceOverdueWorkflowID(invoiceID), "", workflows.SignalInvoiceSettled, nil)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return nil
	}
	return err
}

// InvoiceLinkReplaced hands the invoice's overdue workflow the client's new link; one that already finished
// is not an error (it sends nothing more).
func (s Starter) InvoiceLinkReplaced(ctx context.Context, invoiceID, link string) error {
	_, err := s.signalRunning(ctx, workflows.InvoiceOverdueWorkflowID(invoiceID), workflows.SignalInvoiceLink, link)
	return err
}

// StartSubscription starts the organization's Subscription workflow, findable by its OrganizationId search
// attribute; starting it again joins the running one, and so does a start while one still runs under its
// legacy ID.
func (s Starter) StartSubscription(ctx context.Context, orgID string) error {
	legacy, err := s.Client.DescribeWorkflowExecution(ctx, workflows.LegacySubscriptionWorkflowID(orgID), "")
	var notFound *serviceerror.NotFound
	if err != nil && !errors.As(err, &notFound) {
		return err
	}
	if err == nil && legacy.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		return nil
	}
	_, err = s.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.SubscriptionWorkflowID(orgID),
		TaskQueue:                s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		TypedSearchAttributes:    orgSearchAttributes(orgID),
	}, "Subscription", workflows.SubscriptionInput{OrganizationID: orgID})
	return err
}

// EnsureSubscription starts the organization's Subscription workflow unless one runs (under its ID or the
// legacy one) and reports whether it started one; the subscription backfill calls it for every organization.
func (s Starter) EnsureSubscription(ctx context.Context, orgID string) (bool, error) {
	legacy, err := s.Client.DescribeWorkflowExecution(ctx, workflows.LegacySubscriptionWorkflowID(orgID), "")
	var notFound *serviceerror.NotFound
	if err != nil && !errors.As(err, &notFound) {
		return false, err
	}
	if err == nil && legacy.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		return false, nil
	}
	_, err = s.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.SubscriptionWorkflowID(orgID),
		TaskQueue:                s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		// Without this the SDK answers a running workflow's handle as if it had started it.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes:                    orgSearchAttributes(orgID),
	}, "Subscription", workflows.SubscriptionInput{OrganizationID: orgID})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return false, nil
	}
	return err == nil, err
}

// StartSubscriptionBackfill starts the one-off subscription backfill under its fixed ID. The worker calls it
// at every start-up: a running backfill is joined, a completed one is never run again, a failed one runs again.
func (s Starter) StartSubscriptionBackfill(ctx context.Context, in workflows.SubscriptionBackfillInput) error {
	return s.startOnce(ctx, workflows.SubscriptionBackfillWorkflowID(), "",
		enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY, "SubscriptionBackfill", in)
}

// DeliverStripeEvent signal-with-starts the organization's Subscription workflow with ev (or signals the one
// still running under its legacy ID). A failed payment also signal-with-starts the invoice's Dunning workflow;
// a payment, a void or a write-off signal-with-starts it too, so that a dunning whose failure arrives (or is
// retried) after the invoice was settled finds the settlement already waiting and ends without an email. The
// dunning's id is never reused: once it ended, later events for the invoice start nothing.
func (s Starter) DeliverStripeEvent(ctx context.Context, ev domain.StripeEvent) error {
	if err := s.signalSubscription(ctx, ev); err != nil || ev.InvoiceID == "" {
		return err
	}
	switch ev.Type {
	case domain.StripeInvoicePaymentFailed:
		return s.signalDunning(ctx, ev, workflows.SignalPaymentFailed)
	case domain.StripeInvoicePaid, domain.StripeInvoiceVoided, domain.StripeInvoiceUncollectible:
		return s.signalDunning(ctx, ev, workflows.SignalInvoicePaid)
	}
	return nil
}

// signalSubscription hands ev to the organization's running Subscription workflow, starting one when none runs.
func (s Starter) signalSubscription(ctx context.Context, ev domain.StripeEvent) error {
	org := ev.OrganizationID
	if signalled, err := s.signalRunning(ctx, workflows.LegacySubscriptionWorkflowID(org), workflows.SignalStripeEvent, ev); signalled || err != nil {
		return err
	}
	_, err := s.Client.SignalWithStartWorkflow(ctx, workflows.SubscriptionWorkflowID(org), workflows.SignalStripeEvent, ev,
		client.StartWorkflowOptions{TaskQueue: s.TaskQueue, TypedSearchAttributes: orgSearchAttributes(org)},
		"Subscription", workflows.SubscriptionInput{OrganizationID: org})
	return err
}

// signalDunning signal-with-starts the invoice's Dunning workflow. A dunning that already ended is left
// alone (REJECT_DUPLICATE answers already-started, which is success here: the event changes nothing), and so
// is one that ran under the legacy ID: one still running there gets the signal, one that ended there means
// the invoice's dunning is over.
func (s Starter) signalDunning(ctx context.Context, ev domain.StripeEvent, signal string) error {
	legacy, err := s.Client.DescribeWorkflowExecution(ctx, workflows.LegacyDunningWorkflowID(ev.InvoiceID), "")
	var notFound *serviceerror.NotFound
	switch {
	case err == nil && legacy.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
		_, err = s.signalRunning(ctx, workflows.LegacyDunningWorkflowID(ev.InvoiceID), signal, nil)
		return err
	case err == nil:
		return nil
	case !errors.As(err, &notFound):
		return err
	}
	_, err = s.Client.SignalWithStartWorkflow(ctx, workflows.DunningWorkflowID(ev.InvoiceID), signal, nil,
		client.StartWorkflowOptions{TaskQueue: s.TaskQueue, TypedSearchAttributes: orgSearchAttributes(ev.OrganizationID),
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE},
		"Dunning", workflows.DunningInput{OrganizationID: ev.OrganizationID, InvoiceID: ev.InvoiceID,
			AmountDue: ev.AmountDue, Currency: ev.Currency, InvoiceURL: ev.InvoiceURL, DayLength: s.DunningDay})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	return err
}

// StartExport starts an export's workflow, findable by its OrganizationId search attribute; starting it
// again (the fast path and the relay) joins or leaves the one run an export gets.
func (s Starter) StartExport(ctx context.Context, ref domain.ExportRef) error {
	return s.startOnce(ctx, workflows.ExportWorkflowID(ref.ExportID), ref.OrganizationID,
		enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, "Export", ref)
}

// signalRunning signals the workflow running under id and reports whether one did: Temporal answers NotFound
// when no execution runs there (none ever did, or it ended), which is how a legacy ID is found vacant.
func (s Starter) signalRunning(ctx context.Context, id, signal string, arg any) (bool, error) {
	err := s.Client.SignalWorkflow(ctx, id, "", signal, arg)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return false, nil
	}
	return err == nil, err
}

// startOnce starts the workflow name under id, joining a run that holds the id (USE_EXISTING) and taking a
// closed run that reuse refuses to replace as already done, so every start may be repeated (the fast path
// and the relay both try). A non-empty orgID makes the run findable by its OrganizationId search attribute.
func (s Starter) startOnce(ctx context.Context, id, orgID string, reuse enumspb.WorkflowIdReusePolicy, name string, input any) error {
	opts := client.StartWorkflowOptions{ID: id, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING, WorkflowIDReusePolicy: reuse}
	if orgID != "" {
		opts.TypedSearchAttributes = orgSearchAttributes(orgID)
	}
	_, err := s.Client.ExecuteWorkflow(ctx, opts, name, input)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	return err
}

func orgSearchAttributes(orgID string) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(temporal.NewSearchAttributeKeyKeyword("OrganizationId").ValueSet(orgID))
}

// HealthCheck reports whether the Temporal frontend answers.
func HealthCheck(c client.Client) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := c.CheckHealth(ctx, &client.CheckHealthRequest{})
		return err
	}
}
