// Package email sends transactional email through one entry point,
// Sender.SendEmail, whatever provider the deployment has configured.
//
// Delivery is at-least-once (Temporal retries activities), so every message
// carries an idempotency key built from business IDs. The Outbox records the
// key before sending and the provider's message id after, so a retried
// activity finds the message already sent and does nothing.
package email

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

// Message is one email ready to send.
type Message struct {
	To      string
	Subject string
	HTML    string
	Text    string
	// FromName replaces the configured sender's display name (the address stays ClientFlow's), e.g.
	// "Acme Agency via ClientFlow" on a client-facing email; empty keeps the configured one.
	FromName string
	// IdempotencyKey is built from business IDs, e.g. "welcome/<user id>".
	IdempotencyKey string
	// Tag groups messages in the provider's dashboard (e.g. "welcome"); optional.
	Tag string
	// ListUnsubscribe is the absolute URL that switches this kind of email off without signing in; when
	// set, providers that carry headers (Resend) add List-Unsubscribe and List-Unsubscribe-Post: One-Click
	// (RFC 8058), so mail clients show their own unsubscribe button. EmailJS sends no custom headers.
	ListUnsubscribe string
}

// headers are the extra mail headers m asks for (nil when none).
func (m Message) headers() map[string]string {
	if m.ListUnsubscribe == "" {
		return nil
	}
	return map[string]string{
		"List-Unsubscribe":      "<" + m.ListUnsubscribe + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
	}
}

// Provider delivers a message; Name is stored with the message ("emailjs", "resend", "mailbox").
type Provider interface {
	// Name identifies the provider in the outbox.
	Name() string
	// Send delivers m once and returns the provider's message id.
	// Errors a retry cannot fix are *PermanentError.
	Send(ctx context.Context, m Message) (providerID string, err error)
}

// Outbox records every message by idempotency key so a retried activity never sends twice.
type Outbox interface {
	// Claim stores m (if new) and reports whether it was already sent.
	Claim(ctx context.Context, m Message, provider string) (alreadySent bool, err error)
	// MarkSent records the provider's message id for the key.
	MarkSent(ctx context.Context, key, providerID string) error
}

// validate rejects messages no provider could deliver, before anything is stored.
func (m Message) validate() error {
	var problem string
	switch {
	case m.IdempotencyKey == "":
		problem = "missing idempotency key"
	case m.To == "":
		problem = "missing recipient"
	case strings.ContainsAny(m.To+m.Subject+m.ListUnsubscribe+m.FromName, "\r\n"):
		// All end up in mail headers; a line break there is header injection.
		problem = "line break in recipient, subject, sender name or unsubscribe link"
	case m.ListUnsubscribe != "" && !absoluteHTTP(m.ListUnsubscribe):
		problem = "unsubscribe link is not an absolute http(s) URL"
	case m.Subject == "":
		problem = "missing subject"
	case m.HTML == "" && m.Text == "":
		problem = "missing body"
	}
	if problem == "" {
		problem = invalidAddress(m.To)
	}
	if problem != "" {
		return &PermanentError{Err: fmt.Errorf("message %q: %s", m.IdempotencyKey, problem)}
	}
	return nil
}

// absoluteHTTP reports whether u is an absolute http or https URL, all a List-Unsubscribe header may hold
// (a ">" would close its angle brackets).
func absoluteHTTP(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != "" && !strings.ContainsAny(u, "<> ")
}

// fromHeader is the From value for a configured sender and a display name: the configured address under
// name (encoded as RFC 2047 when it is not ASCII), or the configured value as is when name is empty or
// the configured value is not an address.
func fromHeader(configured, name string) string {
	if name == "" {
		return configured
	}
	addr, err := mail.ParseAddress(configured)
	if err != nil {
		return configured
	}
	return (&mail.Address{Name: name, Address: addr.Address}).String()
}

// invalidAddress describes why to is not a single bare address, or returns "".
func invalidAddress(to string) string {
	addr, err := mail.ParseAddress(to)
	if err != nil || addr.Address != to {
		return fmt.Sprintf("recipient %q is not a plain email address", to)
	}
	return ""
}
