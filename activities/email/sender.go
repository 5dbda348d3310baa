package email

import (
	"context"
	"fmt"
	"log/slog"
)

// Sender is the one entry point for sending email.
type Sender struct {
	provider Provider
	outbox   Outbox
	logger   *slog.Logger
}

// NewSender sends through p and records every message in o; a nil logger discards.
func NewSender(p Provider, o Outbox, logger *slog.Logger) *Sender {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Sender{provider: p, outbox: o, logger: logger}
}

// SendEmail claims, sends once, marks sent. A provider 4xx (other than 408/429)
// or an invalid message is a *PermanentError (errors.As-able) so the Temporal
// activity can mark it non-retryable; every other error is worth a retry.
func (s *Sender) SendEmail(ctx context.Context, m Message) error {
	if err := m.validate(); err != nil {
		return err
	}
	alreadySent, err := s.outbox.Claim(ctx, m, s.provider.Name())
	if err != nil {
		return fmt.Errorf("email %q: claim: %w", m.IdempotencyKey, err)
	}
	if alreadySent {
		s.logger.InfoContext(ctx, "email already sent, skipping", "key", m.IdempotencyKey)
		return nil
	}
	id, err := s.provider.Send(ctx, m)
	if err != nil {
		return fmt.Errorf("email %q: %w", m.IdempotencyKey, err)
	}
	// Failing here makes the activity retry and send again. Resend deduplicates
	// that retry by idempotency key; for EmailJS a rare duplicate is the price
	// of never leaving a delivered message recorded as unsent.
	if err := s.outbox.MarkSent(ctx, m.IdempotencyKey, id); err != nil {
		return fmt.Errorf("email %q: sent as %s but not recorded: %w", m.IdempotencyKey, id, err)
	}
	s.logger.InfoContext(ctx, "email sent", "key", m.IdempotencyKey,
		"provider", s.provider.Name(), "provider_id", id)
	return nil
}
