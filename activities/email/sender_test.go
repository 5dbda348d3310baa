package email_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities/email"
)

func TestSender(t *testing.T) {
	t.Run("sends_once_and_records_the_provider_id", func(t *testing.T) {
		provider, outbox := &fakeProvider{}, newFakeOutbox()
		require.NoError(t, email.NewSender(provider, outbox, nil).SendEmail(t.Context(), welcomeMessage()))

		assert.Equal(t, []email.Message{welcomeMessage()}, provider.sent)
		rec := outbox.records[welcomeMessage().IdempotencyKey]
		require.NotNil(t, rec)
		assert.Equal(t, outboxRecord{message: welcomeMessage(), provider: "fake", providerID: "fake-1", sent: true}, *rec)
	})

	t.Run("second_send_with_the_same_key_does_not_call_the_provider", func(t *testing.T) {
		provider, outbox := &fakeProvider{}, newFakeOutbox()
		sender := email.NewSender(provider, outbox, nil)
		require.NoError(t, sender.SendEmail(t.Context(), welcomeMessage()))
		require.NoError(t, sender.SendEmail(t.Context(), welcomeMessage()))

		assert.Len(t, provider.sent, 1)
		assert.Equal(t, "fake-1", outbox.records[welcomeMessage().IdempotencyKey].providerID)
	})

	t.Run("a_failed_send_is_sent_on_retry", func(t *testing.T) {
		provider := &fakeProvider{failures: []error{errors.New("connection reset")}}
		outbox := newFakeOutbox()
		sender := email.NewSender(provider, outbox, nil)

		require.Error(t, sender.SendEmail(t.Context(), welcomeMessage()))
		assert.False(t, outbox.records[welcomeMessage().IdempotencyKey].sent)

		require.NoError(t, sender.SendEmail(t.Context(), welcomeMessage()))
		assert.Len(t, provider.sent, 1)
		assert.True(t, outbox.records[welcomeMessage().IdempotencyKey].sent)
	})

	t.Run("permanent_provider_error_reaches_the_caller", func(t *testing.T) {
		rejection := &email.PermanentError{Provider: "fake", Status: 422, Err: errors.New("invalid to")}
		sender := email.NewSender(&fakeProvider{failures: []error{rejection}}, newFakeOutbox(), nil)

		err := sender.SendEmail(t.Context(), welcomeMessage())
		var permanent *email.PermanentError
		require.True(t, errors.As(err, &permanent), "got %v", err)
		assert.Equal(t, 422, permanent.Status)
	})

	t.Run("invalid_messages_are_permanent_and_never_stored", func(t *testing.T) {
		for name, change := range map[string]func(*email.Message){
			"missing_key":           func(m *email.Message) { m.IdempotencyKey = "" },
			"missing_recipient":     func(m *email.Message) { m.To = "" },
			"malformed_recipient":   func(m *email.Message) { m.To = "not an address" },
			"recipient_list":        func(m *email.Message) { m.To = "a@example.com, b@example.com" },
			"display_name":          func(m *email.Message) { m.To = "Ada <ada@example.com>" },
			"header_injection":      func(m *email.Message) { m.Subject = "Hi\r\nBcc: everyone@example.com" },
			"missing_subject":       func(m *email.Message) { m.Subject = "" },
			"missing_html_and_text": func(m *email.Message) { m.HTML, m.Text = "", "" },
		} {
			t.Run(name, func(t *testing.T) {
				provider, outbox := &fakeProvider{}, newFakeOutbox()
				m := welcomeMessage()
				change(&m)

				err := email.NewSender(provider, outbox, nil).SendEmail(t.Context(), m)
				var permanent *email.PermanentError
				assert.True(t, errors.As(err, &permanent), "got %v", err)
				assert.Empty(t, provider.sent)
				assert.Empty(t, outbox.records)
			})
		}
	})

	t.Run("text_only_or_html_only_messages_are_fine", func(t *testing.T) {
		textOnly, htmlOnly := welcomeMessage(), welcomeMessage()
		textOnly.HTML, htmlOnly.Text = "", ""
		htmlOnly.IdempotencyKey += "/html"
		sender := email.NewSender(&fakeProvider{}, newFakeOutbox(), nil)
		assert.NoError(t, sender.SendEmail(t.Context(), textOnly))
		assert.NoError(t, sender.SendEmail(t.Context(), htmlOnly))
	})

	t.Run("claim_failure_sends_nothing", func(t *testing.T) {
		provider, outbox := &fakeProvider{}, newFakeOutbox()
		outbox.claimErr = errors.New("database is down")

		err := email.NewSender(provider, outbox, nil).SendEmail(t.Context(), welcomeMessage())
		assert.ErrorIs(t, err, outbox.claimErr)
		assert.Empty(t, provider.sent)
	})

	t.Run("unrecorded_send_is_a_retryable_error", func(t *testing.T) {
		outbox := newFakeOutbox()
		outbox.markErr = errors.New("database is down")

		err := email.NewSender(&fakeProvider{}, outbox, nil).SendEmail(t.Context(), welcomeMessage())
		assert.ErrorIs(t, err, outbox.markErr)
		var permanent *email.PermanentError
		assert.False(t, errors.As(err, &permanent))
	})
}

// fakeProvider records what it was asked to send; failures are returned first, in order.
type fakeProvider struct {
	failures []error
	sent     []email.Message
}

func (p *fakeProvider) Name() string { return "fake" }

func (p *fakeProvider) Send(_ context.Context, m email.Message) (string, error) {
	if len(p.failures) > 0 {
		err := p.failures[0]
		p.failures = p.failures[1:]
		return "", err
	}
	p.sent = append(p.sent, m)
	return fmt.Sprintf("fake-%d", len(p.sent)), nil
}

// outboxRecord is what the fake outbox keeps per idempotency key.
type outboxRecord struct {
	message    email.Message
	provider   string
	providerID string
	sent       bool
}

// fakeOutbox is an in-memory Outbox with the semantics the store's must have.
type fakeOutbox struct {
	mu       sync.Mutex
	records  map[string]*outboxRecord
	claimErr error
	markErr  error
}

func newFakeOutbox() *fakeOutbox {
	return &fakeOutbox{records: make(map[string]*outboxRecord)}
}

func (o *fakeOutbox) Claim(_ context.Context, m email.Message, provider string) (bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.claimErr != nil {
		return false, o.claimErr
	}
	if rec, ok := o.records[m.IdempotencyKey]; ok {
		return rec.sent, nil
	}
	o.records[m.IdempotencyKey] = &outboxRecord{message: m, provider: provider}
	return false, nil
}

func (o *fakeOutbox) MarkSent(_ context.Context, key, providerID string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.markErr != nil {
		return o.markErr
	}
	rec, ok := o.records[key]
	if !ok {
		return fmt.Errorf("no message claimed under %q", key)
	}
	rec.sent, rec.providerID = true, providerID
	return nil
}
