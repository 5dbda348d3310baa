package email

import (
	"context"
	"crypto/rand"
	"log/slog"
)

// mailboxProvider is the local default: the Outbox already stored the message
// (the app reads the dev mailbox from there), so sending is only a log line.
type mailboxProvider struct{ logger *slog.Logger }

// newMailbox builds the dev mailbox.
func newMailbox(logger *slog.Logger) *mailboxProvider {
	return &mailboxProvider{logger: logger}
}

// Name implements Provider.
func (p *mailboxProvider) Name() string { return "mailbox" }

// Send implements Provider.
func (p *mailboxProvider) Send(ctx context.Context, m Message) (string, error) {
	id := "mailbox_" + rand.Text()
	p.logger.InfoContext(ctx, "dev mailbox", "to", m.To, "from_name", m.FromName, "subject", m.Subject,
		"key", m.IdempotencyKey, "id", id, "list_unsubscribe", m.ListUnsubscribe)
	return id, nil
}
