package activities

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/clientflow/clientflow/activities/push"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// pushAttempts bounds how often one push delivery is tried while push services fail temporarily; then it is
// recorded as failed and the activity gives up quietly: the notification is still in the inbox.
const pushAttempts = 5

// maxPushPayload keeps a push small: well under the 4 KB every push service accepts once encrypted.
const maxPushPayload = 2000

// SendPushNotification pushes notification notificationID of orgID to every browser its recipient subscribed
// and is still signed in on, once; nothing (skipped) when the recipient is no longer an active member. A
// delivery no longer pending (sent, skipped, failed) or absent (push was off) sends nothing. A
// subscription the push service no longer knows is deleted. It returns an error, for Temporal to retry,
// only while every browser failed temporarily, and at most pushAttempts times.
func (a *Activities) SendPushNotification(ctx context.Context, orgID, notificationID string) error {
	d, err := a.DB.PushDeliveryFor(ctx, orgID, notificationID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil
	}
	if err != nil || d.Status != store.DeliveryPending {
		return err
	}
	switch {
	case !d.RecipientActive:
		return a.DB.RecordPushOutcome(ctx, orgID, notificationID,
			store.PushOutcome{Status: store.DeliverySkipped, LastError: "the recipient is no longer an active member"})
	case a.Push == nil:
		return a.DB.RecordPushOutcome(ctx, orgID, notificationID,
			store.PushOutcome{Status: store.DeliverySkipped, LastError: "web push is not configured (VAPID keys)"})
	case len(d.Subscriptions) == 0:
		return a.DB.RecordPushOutcome(ctx, orgID, notificationID,
			store.PushOutcome{Status: store.DeliverySkipped, LastError: "the recipient has no push subscription of a signed-in browser"})
	}
	out := a.pushToAll(ctx, d)
	if err := a.DB.RecordPushOutcome(ctx, orgID, notificationID, out); err != nil {
		return err
	}
	if out.Status == store.DeliveryPending {
		return fmt.Errorf("push notification %s: %s", notificationID, out.LastError)
	}
	return nil
}

// pushToAll sends d's notification to each subscription and decides the delivery's status: sent when any
// browser got it (retrying would show it twice on the others), skipped when every subscription was gone,
// pending while the failures may pass, failed otherwise.
func (a *Activities) pushToAll(ctx context.Context, d *store.PushDelivery) store.PushOutcome {
	payload := pushPayload(d.Notification)
	// The topic lets a push service replace a still queued copy of this very notification.
	topic := strings.ReplaceAll(d.Notification.ID, "-", "")
	// All browsers at once: each send is bounded by the client's timeout, so the activity takes one
	// timeout at worst however many browsers the recipient has, well within its start-to-close limit.
	errs := make([]error, len(d.Subscriptions))
	var wg sync.WaitGroup
	for i, sub := range d.Subscriptions {
		wg.Go(func() { errs[i] = a.Push.Send(ctx, sub, topic, payload) })
	}
	wg.Wait()
	var out store.PushOutcome
	var failures []string
	temporary := false
	for i, sub := range d.Subscriptions {
		switch err := errs[i]; {
		case err == nil:
			out.Delivered = append(out.Delivered, sub.ID)
		case errors.Is(err, push.ErrGone):
			out.Gone = append(out.Gone, sub.ID)
		default:
			failures = append(failures, err.Error())
			temporary = temporary || push.Temporary(err)
		}
	}
	out.LastError = strings.Join(failures, "; ")
	switch {
	case len(out.Delivered) > 0:
		out.Status = store.DeliverySent
	case len(failures) == 0:
		out.Status, out.LastError = store.DeliverySkipped, "every push subscription is gone"
	case temporary && d.Attempts+1 < pushAttempts:
		out.Status = store.DeliveryPending
	default:
		out.Status = store.DeliveryFailed
	}
	return out
}

// pushMessage is what the service worker receives: enough to show the notification and open its link. The
// link is the SPA path, resolved by the service worker against its own origin.
type pushMessage struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	Link  string `json:"link"`
	ID    string `json:"id"`
}

// pushPayload encodes n for a push, shortening the body (then the title) until it fits maxPushPayload: a
// device shows a line or two anyway, and the inbox has the full text.
func pushPayload(n domain.Notification) []byte {
	m := pushMessage{Title: clipText(n.Title, 200), Body: clipText(n.Body, 500), Link: n.Link, ID: n.ID}
	for {
		b := encodePush(m)
		switch {
		case len(b) <= maxPushPayload:
			return b
		case m.Body != "":
			m.Body = clipText(m.Body, len([]rune(m.Body))/2)
		case m.Title != "":
			m.Title = clipText(m.Title, len([]rune(m.Title))/2)
		default:
			m.Link = ""
		}
	}
}

// encodePush is JSON without HTML escaping: "<" stays one byte instead of six.
func encodePush(m pushMessage) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(m)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// clipText cuts s to at most n characters, marking the cut with an ellipsis.
func clipText(s string, n int) string {
	r := []rune(s)
	switch {
	case len(r) <= n:
		return s
	case n <= 1:
		return ""
	}
	return string(r[:n-1]) + "…"
}
