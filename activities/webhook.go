package activities

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/clientflow/clientflow/activities/outbound"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// WebhookStarter starts the WebhookDelivery workflow of a pending delivery row (worker.Starter); starting
// one twice is harmless.
type WebhookStarter interface {
	StartWebhookDelivery(ctx context.Context, ref domain.WebhookDeliveryRef) error
}

// Webhook delivery settings.
const (
	// WebhookUserAgent names the sender to receivers.
	WebhookUserAgent = "ClientFlow-Webhooks/1"
	// webhookMaxAttempts is the workflow's number of tries, used only when the activity's retry policy is
	// unknown (the server always sends it).
	webhookMaxAttempts = 4
	// webhookDisableAfter is how long an endpoint may fail every delivery before it is disabled.
	webhookDisableAfter = 24 * time.Hour
	// webhookRecordTimeout bounds recording a try after the request, which runs even when the activity's
	// context was cancelled (a stopping worker), so an interrupted try still shows in the log.
	webhookRecordTimeout = 5 * time.Second
)

// webhookClients are the outbound clients of deliveries, one per loopback setting, shared so connections
// to a receiver are reused across deliveries.
var webhookClients = map[bool]*http.Client{
	false: outbound.NewClient(outbound.Options{}),
	true:  outbound.NewClient(outbound.Options{AllowLoopback: true}),
}

// DispatchWebhooks creates the deliveries of a batch of domain events and starts their workflows: for every
// event of a type webhooks carry, one pending delivery per enabled endpoint of its organization subscribed
// to the type, whose body is the envelope {id, type, created_at, organization_id, data}. It reads the
// endpoints with one query per organization of the batch, and inserts on the unique first-delivery index,
// so a retry creates nothing twice and still starts every delivery left pending.
func (a *Activities) DispatchWebhooks(ctx context.Context, refs []domain.EventRef) error {
	evs, err := a.DB.FanOutEvents(ctx, refs, domain.WebhookEventTypes)
	if err != nil || len(evs) == 0 {
		return err
	}
	var orgs []string
	byOrg := map[string][]*domain.Activity{}
	for _, ref := range refs {
		ev, ok := evs[ref]
		if !ok {
			continue
		}
		if _, seen := byOrg[ref.OrganizationID]; !seen {
			orgs = append(orgs, ref.OrganizationID)
		}
		byOrg[ref.OrganizationID] = append(byOrg[ref.OrganizationID], ev)
	}
	for _, orgID := range orgs {
		if err := a.dispatchOrgWebhooks(ctx, orgID, byOrg[orgID]); err != nil {
			return err
		}
	}
	return nil
}

// dispatchOrgWebhooks creates and starts the deliveries of one organization's events.
func (a *Activities) dispatchOrgWebhooks(ctx context.Context, orgID string, evs []*domain.Activity) error {
	var types []string
	for _, ev := range evs {
		types = append(types, ev.Type)
	}
	subs, err := a.DB.WebhookSubscribers(ctx, orgID, types)
	if err != nil || len(subs) == 0 {
		return err
	}
	var ds []store.NewWebhookDelivery
	for _, ev := range evs {
		body, err := WebhookBody(orgID, ev)
		if err != nil {
			return temporal.NewNonRetryableApplicationError("webhook envelope", "WebhookEnvelope", err)
		}
		for _, s := range subs {
			if containsString(s.Events, ev.Type) {
				ds = append(ds, store.NewWebhookDelivery{EndpointID: s.EndpointID, EventID: ev.ID, EventType: ev.Type, Body: body})
			}
		}
	}
	pending, err := a.DB.CreateWebhookDeliveries(ctx, orgID, ds)
	if err != nil || len(pending) == 0 {
		return err
	}
	if a.Webhooks == nil {
		return temporal.NewNonRetryableApplicationError("no webhook starter configured", "Config", nil)
	}
	for _, id := range pending {
		if err := a.Webhooks.StartWebhookDelivery(ctx, domain.WebhookDeliveryRef{OrganizationID: orgID, DeliveryID: id}); err != nil {
			return err
		}
	}
	return nil
}

// WebhookBody is the envelope JSON of event ev of orgID: what every delivery of it sends, and signs.
func WebhookBody(orgID string, ev *domain.Activity) ([]byte, error) {
	data := ev.Payload
	if data == nil {
		data = map[string]any{}
	}
	return json.Marshal(domain.WebhookEnvelope{ID: ev.ID, Type: ev.Type, CreatedAt: ev.CreatedAt.UTC(),
		OrganizationID: orgID, Data: data})
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// DeliverWebhook makes one try of a delivery: it signs the stored body with the endpoint's secret (and the
// previous one during a rotation's grace period) and POSTs it, then records the try on the delivery. It
// returns nil when nothing more is to be done: delivered (2xx), the endpoint disabled or deleted, or the
// receiver answering 410 Gone (which disables the endpoint). A 5xx, 408, 429 or a network failure is a
// retryable error, for Temporal's next try; any other answer (a 4xx, a redirect, an address the guard
// refuses) would come again, so it is a non-retryable one. A delivery no longer pending (a try whose
// success was recorded but whose result was lost) is not sent again.
func (a *Activities) DeliverWebhook(ctx context.Context, ref domain.WebhookDeliveryRef) error {
	s, err := a.DB.WebhookSendFor(ctx, ref.OrganizationID, ref.DeliveryID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil // the endpoint or organization was deleted, and the delivery with it
	} else if err != nil {
		return err
	}
	if s.Status != domain.WebhookPending {
		return nil
	}
	if !s.Enabled {
		_, err := a.DB.FailWebhookDelivery(ctx, ref.OrganizationID, ref.DeliveryID, "endpoint disabled")
		return ignoreNotFound(err)
	}
	info := activity.GetInfo(ctx)
	try := store.WebhookTry{Attempt: int(max(info.Attempt, 1)), StartedAt: a.now()}
	secrets, err := a.webhookSecrets(s)
	if err != nil {
		try.Error = "the endpoint's signing secret cannot be read"
		return a.recordTry(ctx, ref, try, temporal.NewNonRetryableApplicationError(try.Error, "WebhookSecret", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(s.Body))
	if err != nil {
		try.Error = "the endpoint URL is not usable: " + err.Error()
		return a.recordTry(ctx, ref, try, temporal.NewNonRetryableApplicationError(try.Error, "WebhookURL", nil))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", WebhookUserAgent)
	req.Header.Set(domain.WebhookSignatureHeader, domain.SignWebhook(try.StartedAt, s.Body, secrets...))
	req.Header.Set(domain.WebhookEventHeader, s.EventType)
	req.Header.Set(domain.WebhookDeliveryHeader, s.DeliveryID)

	began := time.Now()
	resp, err := webhookClients[a.WebhookAllowLoopback].Do(req)
	var answer []byte
	if err == nil {
		try.StatusCode = resp.StatusCode
		answer, _ = outbound.ReadBody(resp) // a body cut short still tells what arrived
	}
	try.Duration = time.Since(began)
	try.ResponseExcerpt = excerpt(answer)

	var result error
	switch code := try.StatusCode; {
	case err != nil && outbound.Refused(err):
		try.Error = "refused: the endpoint resolves to a private, loopback or reserved address"
		result = temporal.NewNonRetryableApplicationError(try.Error, "WebhookAddress", nil)
	case err != nil:
		try.Error = requestError(err)
		result = temporal.NewApplicationError(try.Error, "WebhookNetwork")
	case code >= 200 && code < 300:
		try.Delivered = true
	case code == http.StatusGone:
		try.Error = "the endpoint answered 410 Gone: it is disabled"
		if err := a.recordTry(ctx, ref, try, nil); err != nil {
			return err
		}
		if s.EventType != domain.WebhookPing {
			if err := a.DB.WebhookEndpointGone(ctx, ref.OrganizationID, s.EndpointID); err != nil {
				return err
			}
		}
		_, err := a.DB.FailWebhookDelivery(ctx, ref.OrganizationID, ref.DeliveryID, "")
		return ignoreNotFound(err)
	case code >= 500 || code == http.StatusRequestTimeout || code == http.StatusTooManyRequests:
		try.Error = "HTTP " + strconv.Itoa(code)
		result = temporal.NewApplicationError(try.Error, "WebhookStatus")
	case code >= 300 && code < 400:
		try.Error = "HTTP " + strconv.Itoa(code) + ": redirects are not followed"
		result = temporal.NewNonRetryableApplicationError(try.Error, "WebhookRejected", nil)
	default:
		try.Error = "HTTP " + strconv.Itoa(code)
		result = temporal.NewNonRetryableApplicationError(try.Error, "WebhookRejected", nil)
	}
	if result != nil && !isNonRetryable(result) {
		if next, ok := nextWebhookTry(info, ref, try.StartedAt); ok {
			try.NextAttemptAt = &next
		}
	}
	return a.recordTry(ctx, ref, try, result)
}

// recordTry records try and returns result, or the recording's error: a try that cannot be recorded is
// retried (the row must show it). It runs on a context that survives the activity's cancellation.
func (a *Activities) recordTry(ctx context.Context, ref domain.WebhookDeliveryRef, try store.WebhookTry, result error) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), webhookRecordTimeout)
	defer cancel()
	err := a.DB.RecordWebhookTry(rctx, ref.OrganizationID, ref.DeliveryID, try)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil // deleted meanwhile with its endpoint
	} else if err != nil {
		return err
	}
	return result
}

// webhookSecrets opens the endpoint's signing secrets: its own, and the previous one while it still signs.
func (a *Activities) webhookSecrets(s *store.WebhookSend) ([][]byte, error) {
	secret, err := domain.OpenWebhookSecret(a.SessionSecret, s.Secret)
	if err != nil {
		return nil, err
	}
	secrets := [][]byte{secret}
	if s.PreviousSecret != nil {
		prev, err := domain.OpenWebhookSecret(a.SessionSecret, s.PreviousSecret)
		if err != nil {
			return nil, err
		}
		secrets = append(secrets, prev)
	}
	return secrets, nil
}

// nextWebhookTry is when Temporal will make the next try after a retryable failure of this one, and false
// when this was the last: the retry policy's initial interval times its coefficient to the power of the
// tries so far, capped by its maximum interval.
func nextWebhookTry(info activity.Info, ref domain.WebhookDeliveryRef, now time.Time) (time.Time, bool) {
	maxAttempts, initial, coeff, maxInterval := int32(webhookMaxAttempts), time.Second, 2.0, time.Duration(0)
	if ref.SingleAttempt {
		maxAttempts = 1
	}
	if p := info.RetryPolicy; p != nil {
		maxAttempts, initial, coeff, maxInterval = p.MaximumAttempts, p.InitialInterval, p.BackoffCoefficient, p.MaximumInterval
	}
	attempt := max(info.Attempt, 1)
	if maxAttempts > 0 && attempt >= maxAttempts {
		return time.Time{}, false
	}
	backoff := time.Duration(float64(initial) * math.Pow(coeff, float64(attempt-1)))
	if maxInterval > 0 && backoff > maxInterval {
		backoff = maxInterval
	}
	return now.Add(backoff), true
}

func isNonRetryable(err error) bool {
	var ae *temporal.ApplicationError
	return errors.As(err, &ae) && ae.NonRetryable()
}

// requestError describes a request that got no answer without repeating the URL (the log shows it).
func requestError(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		err = ue.Unwrap()
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout"):
		return fmt.Sprintf("no answer within %s", outbound.Timeout)
	case errors.Is(err, context.Canceled):
		return "the try was interrupted (the worker stopped)"
	}
	return err.Error()
}

// excerpt is the start of an answer as the log keeps it: valid UTF-8 without NUL bytes (Postgres text takes
// neither), at most 2,000 characters.
func excerpt(b []byte) string {
	s := strings.ReplaceAll(strings.ToValidUTF8(string(b), "\uFFFD"), "\x00", "")
	if r := []rune(s); len(r) > 2000 {
		s = string(r[:2000])
	}
	return s
}

func ignoreNotFound(err error) error {
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil
	}
	return err
}

// now is the activities' clock.
func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// WebhookDeliveryFailed records a delivery whose tries are over without success: the delivery is marked
// failed and, for an event (a ping never counts), its endpoint's run of failures starts unless one runs.
// The organization's owners and admins hear of it at most once per endpoint and hour; once the run is older
// than 24 hours the endpoint is disabled (reason 'failing') and they are told that instead. Every step is
// idempotent (the emails are keyed by endpoint, hour or run, and recipient), so a retry finishes what a
// lost attempt began.
func (a *Activities) WebhookDeliveryFailed(ctx context.Context, ref domain.WebhookDeliveryRef) error {
	d, err := a.DB.FailWebhookDelivery(ctx, ref.OrganizationID, ref.DeliveryID, "")
	if err != nil || d.EventType == domain.WebhookPing {
		return ignoreNotFound(err)
	}
	now := a.now().UTC()
	f, err := a.DB.WebhookEndpointFailed(ctx, ref.OrganizationID, d.EndpointID, now, webhookDisableAfter)
	if err != nil {
		return ignoreNotFound(err)
	}
	var template, key string
	switch {
	case f.Enabled:
		template, key = domain.EmailWebhookFailures, "webhook-failures/"+d.EndpointID+"/"+now.Format("2006-01-02T15")
	case f.DisabledReason == "failing" && f.FailingSince != nil:
		template, key = domain.EmailWebhookDisabled, "webhook-disabled/"+d.EndpointID+"/"+f.FailingSince.UTC().Format(time.RFC3339)
	default:
		return nil // disabled by hand or gone: nobody waits for news of it
	}
	org, err := a.DB.Organization(ctx, ref.OrganizationID)
	if err != nil {
		return ignoreNotFound(err)
	}
	members, err := a.DB.Members(ctx, ref.OrganizationID)
	if err != nil {
		return err
	}
	lastError := d.LastError
	switch {
	case lastError == "" && d.LastStatusCode != 0:
		lastError = "HTTP " + strconv.Itoa(d.LastStatusCode)
	case lastError == "":
		lastError = "no answer"
	}
	since := now
	if f.FailingSince != nil {
		since = f.FailingSince.UTC()
	}
	for _, m := range members {
		if m.Status != domain.MemberActive || (m.Role != domain.RoleOwner && m.Role != domain.RoleAdmin) {
			continue
		}
		data := map[string]string{"Name": m.Name, "OrgName": org.Name, "EndpointURL": endpointForEmail(f.URL),
			"FailingSince": since.Format("2 Jan 2006, 15:04 UTC"), "LastError": lastError,
			"EndpointPageURL": a.AppURL + "/orgs/" + ref.OrganizationID + "/webhooks/" + d.EndpointID}
		if err := a.SendTemplatedEmail(ctx, domain.EmailRequest{Key: key + "/" + m.UserID, To: m.Email,
			Template: template, Data: data}); err != nil {
			return err
		}
	}
	return nil
}

// endpointForEmail is an endpoint's URL as emails show it: without its query and fragment, where receivers
// often put a token that every owner's and admin's mailbox need not hold.
func endpointForEmail(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	hidden := u.RawQuery != "" || u.Fragment != ""
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	if hidden {
		return u.String() + "?…"
	}
	return u.String()
}
