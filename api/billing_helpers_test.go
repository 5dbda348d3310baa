package api_test

import (
	"context"

	"github.com/clientflow/clientflow/domain"
)

// StartSubscription implements api.Workflows by remembering the organization; the workflow is covered by
// the workflows and worker tests.
func (w *recordingWorkflows) StartSubscription(_ context.Context, orgID string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.subscriptions = append(w.subscriptions, orgID)
	return nil
}

// DeliverStripeEvent implements api.Workflows by remembering the event.
func (w *recordingWorkflows) DeliverStripeEvent(_ context.Context, ev domain.StripeEvent) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stripeEvents = append(w.stripeEvents, ev)
	return nil
}

// StripeEvents returns the events the API delivered, in order.
func (w *recordingWorkflows) StripeEvents() []domain.StripeEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]domain.StripeEvent(nil), w.stripeEvents...)
}

// SubscriptionsStarted returns the organizations whose Subscription workflow the API started.
func (w *recordingWorkflows) SubscriptionsStarted() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.subscriptions...)
}
