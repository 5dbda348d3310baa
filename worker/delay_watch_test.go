package worker_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/worker"
)

// opsMailbox records the ops_delay emails a DelayWatch sends; fail makes the next send fail.
type opsMailbox struct {
	mu   sync.Mutex
	sent []domain.EmailRequest
	fail bool
}

func (m *opsMailbox) send(_ context.Context, req domain.EmailRequest) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		m.fail = false
		return errors.New("provider down")
	}
	m.sent = append(m.sent, req)
	return nil
}

func TestDelayWatchSendsOneNoticePerIncident(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	ctx := context.Background()
	box := &opsMailbox{}
	w := &worker.DelayWatch{DB: db.App, Send: box.send, To: "ops@example.com", Threshold: 5 * time.Minute, Every: time.Nanosecond}
	queueEvent := func(age time.Duration) string {
		id := uuid.NewString()
		_, err := db.Owner.Bun().NewRaw(`INSERT INTO domain_event_queue (event_id, organization_id, created_at)
			VALUES (?, ?, now() - ?::interval)`, id, uuid.NewString(), age.String()).Exec(ctx)
		require.NoError(t, err)
		return id
	}

	queueEvent(time.Minute)
	w.Check(ctx)
	assert.Empty(t, box.sent, "a backlog within the threshold is no incident")

	queueEvent(7 * time.Minute)
	w.Check(ctx)
	w.Check(ctx)
	require.Len(t, box.sent, 1, "one notice however often the pass checks")
	n := box.sent[0]
	assert.Equal(t, "ops@example.com", n.To)
	assert.Equal(t, "domain events waiting for the notification fan-out", n.Data["Backlog"])
	assert.Equal(t, "5m0s", n.Data["Threshold"])
	require.NoError(t, n.Validate())
	data := map[string]any{"AppURL": "https://app.test"}
	for k, v := range n.Data {
		data[k] = v
	}
	subject, _, text, err := email.Renderer{}.Render(n.Template, data)
	require.NoError(t, err)
	assert.Contains(t, subject, "Dispatch delayed: domain events waiting for the notification fan-out waiting 7m")
	assert.Contains(t, text, "only notice for this incident")

	// The backlog clears: the incident ends, and the next one mails again, under another key.
	_, err = db.Owner.Bun().NewRaw(`DELETE FROM domain_event_queue`).Exec(ctx)
	require.NoError(t, err)
	w.Check(ctx)
	require.Len(t, box.sent, 1)
	queueEvent(6 * time.Minute)
	box.fail = true
	w.Check(ctx)
	require.Len(t, box.sent, 1, "the send failed")
	w.Check(ctx)
	require.Len(t, box.sent, 2, "a failed notice is retried by the next check")
	assert.NotEqual(t, box.sent[0].Key, box.sent[1].Key)

	// Stripe events the webhook could not hand over are an incident of their own (read by the app role).
	_, err = db.Owner.Bun().NewRaw(`INSERT INTO stripe_events (id, type, created, payload, received_at)
		VALUES ('evt_delay_watch', 'invoice.paid', now(), '{}', now() - interval '9 minutes')`).Exec(ctx)
	require.NoError(t, err)
	w.Check(ctx)
	require.Len(t, box.sent, 3)
	assert.Equal(t, "Stripe events waiting for dispatch", box.sent[2].Data["Backlog"])
}

func TestDelayWatchWithoutOpsEmailOnlyLogs(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	ctx := context.Background()
	_, err := db.Owner.Bun().NewRaw(`INSERT INTO domain_event_queue (event_id, organization_id, created_at)
		VALUES (?, ?, now() - interval '1 hour')`, uuid.NewString(), uuid.NewString()).Exec(ctx)
	require.NoError(t, err)
	box := &opsMailbox{}
	(&worker.DelayWatch{DB: db.App, Send: box.send, Every: time.Nanosecond}).Check(ctx)
	assert.Empty(t, box.sent)
	var nilWatch *worker.DelayWatch
	nilWatch.Check(ctx) // a relay without a watch
}
