package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// outboxRow is the email_outbox table: every email, keyed by a business idempotency key.
type outboxRow struct {
	bun.BaseModel `bun:"table:email_outbox"`

	ID                string     `bun:"id,pk"`
	IdempotencyKey    string     `bun:"idempotency_key"`
	ToAddress         string     `bun:"to_address"`
	Subject           string     `bun:"subject"`
	HTML              string     `bun:"html"`
	TextBody          string     `bun:"text_body"`
	Tag               string     `bun:"tag"`
	Provider          string     `bun:"provider"`
	ProviderMessageID string     `bun:"provider_message_id"`
	Status            string     `bun:"status"`
	CreatedAt         time.Time  `bun:"created_at"`
	SentAt            *time.Time `bun:"sent_at"`
}

// OutboxEmail is one email as recorded in the outbox.
type OutboxEmail struct {
	ID             string
	IdempotencyKey string
	To             string
	Subject        string
	HTML           string
	Text           string
	Tag            string
	Provider       string
	Sent           bool
	CreatedAt      time.Time
}

// ClaimEmail records e under its idempotency key if it is new and reports whether that key was already sent.
func (db *DB) ClaimEmail(ctx context.Context, e OutboxEmail) (alreadySent bool, err error) {
	row := outboxRow{ID: newID(), IdempotencyKey: e.IdempotencyKey, ToAddress: e.To, Subject: e.Subject, HTML: e.HTML,
		TextBody: e.Text, Tag: e.Tag, Provider: e.Provider, Status: "pending", CreatedAt: time.Now().UTC()}
	if _, err := db.bun.NewInsert().Model(&row).On("CONFLICT (idempotency_key) DO NOTHING").Exec(ctx); err != nil {
		return false, err
	}
	var status string
	err = db.bun.NewSelect().Table("email_outbox").Column("status").Where("idempotency_key = ?", e.IdempotencyKey).Scan(ctx, &status)
	return status == "sent", err
}

// MarkEmailSent records that the provider accepted the email with this key.
func (db *DB) MarkEmailSent(ctx context.Context, key, providerMessageID string) error {
	_, err := db.bun.NewUpdate().Table("email_outbox").
		Set("status = 'sent', sent_at = now(), provider_message_id = ?", providerMessageID).
		Where("idempotency_key = ?", key).Exec(ctx)
	return err
}

// Mailbox returns the newest emails kept by the local dev mailbox provider.
func (db *DB) Mailbox(ctx context.Context, limit int) ([]OutboxEmail, error) {
	var rows []outboxRow
	err := db.bun.NewSelect().Model(&rows).Where("provider = 'mailbox'").
		OrderExpr("created_at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	out := make([]OutboxEmail, len(rows))
	for i, r := range rows {
		out[i] = OutboxEmail{ID: r.ID, IdempotencyKey: r.IdempotencyKey, To: r.ToAddress, Subject: r.Subject, HTML: r.HTML,
			Text: r.TextBody, Tag: r.Tag, Provider: r.Provider, Sent: r.Status == "sent", CreatedAt: r.CreatedAt}
	}
	return out, err
}
