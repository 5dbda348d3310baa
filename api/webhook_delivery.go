package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// WebhookDelivery is one delivery of one event to one endpoint: its outcome so far.
type WebhookDelivery struct {
	ID        string `json:"id" format:"uuid" doc:"Sent as X-ClientFlow-Delivery."`
	EventID   string `json:"event_id" format:"uuid" doc:"The envelope's id: the same on every replay, so receivers can de-duplicate."`
	EventType string `json:"event_type" doc:"The event type, or ping for a test delivery."`
	Status    string `json:"status" enum:"pending,delivered,failed"`
	Attempts  int    `json:"attempts" doc:"How many tries were made."`
	// The last try's answer.
	LastStatusCode  *int       `json:"last_status_code" nullable:"true" doc:"The HTTP status of the last try; null when it got no answer."`
	LastError       *string    `json:"last_error" nullable:"true" doc:"Why the last try failed, when it did."`
	ResponseExcerpt *string    `json:"response_excerpt" nullable:"true" doc:"The start of the last answer's body."`
	DurationMS      *int       `json:"duration_ms" nullable:"true" doc:"How long the last try took."`
	NextAttemptAt   *time.Time `json:"next_attempt_at" nullable:"true" doc:"When the next retry is due; null when none is."`
	ReplayOf        *string    `json:"replay_of" nullable:"true" format:"uuid" doc:"The delivery this one replays."`
	CreatedAt       time.Time  `json:"created_at"`
	CompletedAt     *time.Time `json:"completed_at" nullable:"true"`
}

func webhookDeliveryFrom(d *store.WebhookDelivery) WebhookDelivery {
	return WebhookDelivery{ID: d.ID, EventID: d.EventID, EventType: d.EventType, Status: d.Status, Attempts: d.AttemptCount,
		LastStatusCode: d.LastStatusCode, LastError: d.LastError, ResponseExcerpt: d.ResponseExcerpt,
		DurationMS: d.DurationMS, NextAttemptAt: d.NextAttemptAt, ReplayOf: d.ReplayOf, CreatedAt: d.CreatedAt,
		CompletedAt: d.CompletedAt}
}

// WebhookDeliveryDetail is a delivery with the request body sent and every try.
type WebhookDeliveryDetail struct {
	WebhookDelivery
	RequestBody  *string                  `json:"request_body" nullable:"true" doc:"The JSON envelope POSTed, byte for byte; null when the viewer may not read the event's entity (e.g. an invoice event without invoices.read)."`
	AttemptsList []WebhookDeliveryAttempt `json:"attempt_log" doc:"Every try, first first."`
}

// WebhookDeliveryAttempt is one try of a delivery.
type WebhookDeliveryAttempt struct {
	Attempt         int       `json:"attempt" doc:"1 for the first try."`
	StatusCode      *int      `json:"status_code" nullable:"true" doc:"The HTTP status; null when no answer came."`
	Error           *string   `json:"error" nullable:"true"`
	ResponseExcerpt *string   `json:"response_excerpt" nullable:"true"`
	DurationMS      int       `json:"duration_ms"`
	StartedAt       time.Time `json:"started_at"`
}

// WebhookDeliveryList is one page of an endpoint's delivery log, newest first.
type WebhookDeliveryList struct {
	Data       []WebhookDelivery `json:"data"`
	NextCursor *string           `json:"next_cursor" doc:"Pass as cursor for the next page; null on the last page."`
}

// WebhookReplayFailed replays an endpoint's failed deliveries.
type WebhookReplayFailed struct {
	Status string    `json:"status" enum:"failed" doc:"Which deliveries to replay: only failed ones can be."`
	Since  time.Time `json:"since" doc:"Replay deliveries created at or after this time (RFC 3339, not in the future)."`
}

// WebhookReplayed counts the deliveries a replay made.
type WebhookReplayed struct {
	Replayed int `json:"replayed" doc:"How many new deliveries were made (at most 1,000 per request)."`
}

// WebhookDeliveryPath addresses one delivery of an endpoint.
type WebhookDeliveryPath struct {
	WebhookEndpointPath
	DeliveryID string `path:"delivery_id" format:"uuid" doc:"Webhook delivery ID."`
}

type webhookDeliveryOutput struct{ Body WebhookDelivery }

// webhookPingMessage is the data.message of every test delivery.
const webhookPingMessage = "This is a test delivery from ClientFlow."

func (s *Server) registerWebhookDeliveries(one string) {
	huma.Register(s.api, s.webhookOp(huma.Operation{OperationID: "test-webhook-endpoint", Method: http.MethodPost,
		Path: one + "/test", Summary: "Send a signed test delivery (ping) and answer its outcome",
		Description: "Makes one try, without retries, and waits up to 15 seconds for it: the answer is the " +
			"delivery as it stands then (still pending if the receiver is slower).",
		Errors: []int{http.StatusConflict, http.StatusServiceUnavailable}}), s.testWebhookEndpoint)
	huma.Register(s.api, s.webhookOp(huma.Operation{OperationID: "list-webhook-deliveries", Method: http.MethodGet,
		Path: one + "/deliveries", Summary: "List an endpoint's deliveries, newest first",
		Errors: []int{http.StatusUnprocessableEntity}}), s.listWebhookDeliveries)
	huma.Register(s.api, s.webhookOp(huma.Operation{OperationID: "get-webhook-delivery", Method: http.MethodGet,
		Path: one + "/deliveries/{delivery_id}", Summary: "Get a delivery with its request body and every try"}),
		s.getWebhookDelivery)
	huma.Register(s.api, s.webhookOp(huma.Operation{OperationID: "replay-webhook-delivery", Method: http.MethodPost,
		Path: one + "/deliveries/{delivery_id}/replay", Summary: "Replay a delivery",
		Description:   "Makes a new delivery of the same event (same event id and body, replay_of set).",
		DefaultStatus: http.StatusAccepted, Errors: []int{http.StatusConflict, http.StatusServiceUnavailable}}),
		s.replayWebhookDelivery)
	huma.Register(s.api, s.webhookOp(huma.Operation{OperationID: "replay-failed-webhook-deliveries", Method: http.MethodPost,
		Path: one + "/replay", Summary: "Replay every failed delivery since a time",
		Description: "Replays each event whose delivery failed at or after since, once, skipping events " +
			"already delivered or on their way (at most 1,000, oldest first; repeat for more). Test pings are not replayed.",
		DefaultStatus: http.StatusAccepted,
		Errors:        []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable}}),
		s.replayFailedWebhookDeliveries)
}

func (s *Server) listWebhookDeliveries(ctx context.Context, in *struct {
	WebhookEndpointPath
	Status string `query:"status" enum:"pending,delivered,failed" doc:"Only deliveries with this status."`
	Event  string `query:"event" maxLength:"100" doc:"Only deliveries of this event type (or ping)."`
	Limit  int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor" maxLength:"200"`
}) (*struct{ Body WebhookDeliveryList }, error) {
	if in.Event != "" && in.Event != domain.WebhookPing && !domain.IsWebhookEvent(in.Event) {
		return nil, problem(ctx, domain.Invalid("query.event", fmt.Sprintf("%q is not a webhook event type. %s",
			in.Event, webhookEventsDoc)))
	}
	ds, next, err := s.db.WebhookDeliveries(ctx, in.OrgID, in.EndpointID, store.WebhookDeliveryFilter{
		Status: in.Status, EventType: in.Event, Limit: in.Limit, Cursor: in.Cursor})
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := WebhookDeliveryList{Data: make([]WebhookDelivery, len(ds))}
	for i, d := range ds {
		out.Data[i] = webhookDeliveryFrom(d)
	}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body WebhookDeliveryList }{Body: out}, nil
}

func (s *Server) getWebhookDelivery(ctx context.Context, in *WebhookDeliveryPath) (*struct{ Body WebhookDeliveryDetail }, error) {
	d, err := s.db.WebhookDelivery(ctx, in.OrgID, in.EndpointID, in.DeliveryID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	var body *string
	if perm, ok := domain.WebhookEventPermission(d.EventType); !ok || slices.Contains(principalFrom(ctx).Permissions, perm) {
		// The payload is the entity's data: a webhooks.manage holder sees it only with the entity's read
		// permission, as subscribing needs (an endpoint may be someone else's). A ping has none to need.
		b := string(d.Body)
		body = &b
	}
	out := WebhookDeliveryDetail{WebhookDelivery: webhookDeliveryFrom(d), RequestBody: body,
		AttemptsList: make([]WebhookDeliveryAttempt, len(d.Attempts))}
	for i, a := range d.Attempts {
		out.AttemptsList[i] = WebhookDeliveryAttempt{Attempt: a.Attempt, StatusCode: a.StatusCode, Error: a.Error,
			ResponseExcerpt: a.ResponseExcerpt, DurationMS: a.DurationMS, StartedAt: a.StartedAt}
	}
	return &struct{ Body WebhookDeliveryDetail }{Body: out}, nil
}

// testWebhookEndpoint inserts a ping delivery and has the worker try it once, waiting for the outcome, so
// the settings page shows the receiver's answer inline.
func (s *Server) testWebhookEndpoint(ctx context.Context, in *WebhookEndpointPath) (*webhookDeliveryOutput, error) {
	d, err := s.db.CreateWebhookPing(ctx, in.OrgID, in.EndpointID, webhookPingMessage)
	if err != nil {
		return nil, problem(ctx, err)
	}
	ref := domain.WebhookDeliveryRef{OrganizationID: in.OrgID, DeliveryID: d.ID, SingleAttempt: true}
	if err := s.Workflows.SendWebhookTest(ctx, ref); err != nil {
		// The error may come after the try ran (the run failed): then the row has the outcome to show.
		if ran, rerr := s.db.WebhookDelivery(context.WithoutCancel(ctx), in.OrgID, in.EndpointID, d.ID); rerr == nil &&
			(ran.AttemptCount > 0 || ran.Status != domain.WebhookPending) {
			return &webhookDeliveryOutput{Body: webhookDeliveryFrom(ran)}, nil
		}
		return nil, s.webhookStartFailed(ctx, in.OrgID, []string{d.ID}, err)
	}
	now, err := s.db.WebhookDelivery(ctx, in.OrgID, in.EndpointID, d.ID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &webhookDeliveryOutput{Body: webhookDeliveryFrom(now)}, nil
}

func (s *Server) replayWebhookDelivery(ctx context.Context, in *WebhookDeliveryPath) (*webhookDeliveryOutput, error) {
	d, err := s.db.ReplayWebhookDelivery(ctx, in.OrgID, in.EndpointID, in.DeliveryID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if err := s.startWebhookDeliveries(ctx, in.OrgID, []string{d.ID}); err != nil {
		return nil, err
	}
	return &webhookDeliveryOutput{Body: webhookDeliveryFrom(d)}, nil
}

func (s *Server) replayFailedWebhookDeliveries(ctx context.Context, in *struct {
	WebhookEndpointPath
	Body WebhookReplayFailed
}) (*struct{ Body WebhookReplayed }, error) {
	if in.Body.Since.After(time.Now()) {
		return nil, problem(ctx, domain.Invalid("body.since", "The time is in the future: no delivery failed after it yet."))
	}
	ids, err := s.db.ReplayFailedWebhookDeliveries(ctx, in.OrgID, in.EndpointID, in.Body.Since)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if err := s.startWebhookDeliveries(ctx, in.OrgID, ids); err != nil {
		return nil, err
	}
	return &struct{ Body WebhookReplayed }{Body: WebhookReplayed{Replayed: len(ids)}}, nil
}

// webhookStartParallel bounds the workflow starts a replay makes at once.
const webhookStartParallel = 8

// webhookStartTimeout bounds the starts of one request, which go on if the client goes away: a delivery
// row left without its workflow would stay pending forever.
const webhookStartTimeout = 20 * time.Second

// startWebhookDeliveries starts the delivery workflow of each new row. Starting is idempotent (the
// workflow ID is the delivery's), and a row whose start failed is removed again, so the answer is a 503
// to retry and no delivery is left pending without a workflow. A retried "replay failed" re-sends only
// what did not start: events already on their way are skipped by the replay query.
func (s *Server) startWebhookDeliveries(ctx context.Context, orgID string, ids []string) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), webhookStartTimeout)
	defer cancel()
	var (
		mu      sync.Mutex
		failed  []string
		lastErr error
		wg      sync.WaitGroup
		slots   = make(chan struct{}, webhookStartParallel)
	)
	for _, id := range ids {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			if err := s.Workflows.StartWebhookDelivery(sctx, domain.WebhookDeliveryRef{OrganizationID: orgID, DeliveryID: id}); err != nil {
				mu.Lock()
				failed, lastErr = append(failed, id), err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(failed) == 0 {
		return nil
	}
	return s.webhookStartFailed(ctx, orgID, failed, lastErr)
}

// webhookStartFailed removes the deliveries whose workflow could not be started and answers 503 (with
// Retry-After), the outcome of every start the API cannot hand to Temporal.
func (s *Server) webhookStartFailed(ctx context.Context, orgID string, ids []string, err error) error {
	if ferr := s.db.ForgetUnstartedWebhookDeliveries(context.WithoutCancel(ctx), orgID, ids); ferr != nil {
		s.logger.ErrorContext(ctx, "webhooks: remove deliveries whose start failed", "org_id", orgID, "err", ferr)
	}
	return unavailableProblem(ctx, errors.Join(fmt.Errorf("start %d webhook deliveries", len(ids)), err))
}
