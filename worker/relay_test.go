package worker_test

import (
	"context"
	"testing"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/worker"
)

// TestStartRefusesWhatItCannotStart: a row the relay cannot map to a workflow fails (and so backs off, with
// the reason in last_error) instead of being marked started and silently dropped.
func TestStartRefusesWhatItCannotStart(t *testing.T) {
	for _, ws := range []domain.WorkflowStart{
		{ID: "1", Kind: "no_such_kind", Key: "k"},
		{ID: "2", Kind: domain.StartKindEmail, Key: "k", Input: []byte(`{"Key": 7}`)},
		{ID: "3", Kind: domain.StartKindInvitationExpiry, Key: "k", Input: []byte(`not json`)},
		{ID: "4", Kind: domain.StartKindInvoiceOverdue, Key: "k"},
	} {
		if err := (worker.Starter{}).Start(context.Background(), ws); err == nil {
			t.Errorf("start %+v: no error", ws)
		}
	}
}
