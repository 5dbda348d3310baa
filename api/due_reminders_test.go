package api_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// StartDueReminders implements api.Workflows by remembering the organization; the workflow is covered by
// the worker tests.
func (w *recordingWorkflows) StartDueReminders(_ context.Context, orgID string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.dueReminders = append(w.dueReminders, orgID)
	return nil
}

// DueRemindersStarted returns the organizations whose due-date reminders the API started.
func (w *recordingWorkflows) DueRemindersStarted() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.dueReminders...)
}

// A new organization's due-date reminders commit with it (the workflow outbox) and start at once.
func TestNewOrganizationStartsItsDueReminders(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	owner := srv.MustSignUp(t, "Due Owner")
	org := owner.MustCreateOrg(uniqueName("Due"))
	assert.Equal(t, []string{org.ID}, srv.Workflows.DueRemindersStarted())
	var started int
	require.NoError(t, db.Owner.Bun().NewRaw(`SELECT count(*) FROM workflow_starts
		WHERE kind = ? AND business_key = ? AND started_at IS NOT NULL`, domain.StartKindDueReminders, org.ID).
		Scan(context.Background(), &started))
	assert.Equal(t, 1, started, "one outbox row, marked started by the fast path")
}
