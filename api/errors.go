package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Problem codes that exist only at the HTTP edge (the rest come from domain).
const (
	codeBadRequest           = "bad_request"
	codePayloadTooLarge      = "payload_too_large"
	codeUnsupportedMediaType = "unsupported_media_type"
)

// statusByCode is the one table mapping application error codes to HTTP statuses.
var statusByCode = map[string]int{
	domain.EINVALID:            http.StatusUnprocessableEntity,
	domain.EUNAUTHENTICATED:    http.StatusUnauthorized,
	domain.EFORBIDDEN:          http.StatusForbidden,
	domain.ENOTFOUND:           http.StatusNotFound,
	domain.ECONFLICT:           http.StatusConflict,
	domain.EGONE:               http.StatusGone,
	domain.ERATELIMITED:        http.StatusTooManyRequests,
	domain.EINTERNAL:           http.StatusInternalServerError,
	domain.EPLANLIMIT:          http.StatusPaymentRequired,
	domain.EPLANFEATURE:        http.StatusPaymentRequired,
	domain.ERESTRICTED:         http.StatusPaymentRequired,
	domain.ESUBSCRIPTIONEXISTS: http.StatusConflict,
	domain.EAPIKEYINVALID:      http.StatusUnauthorized,
	domain.EAPIKEYREVOKED:      http.StatusUnauthorized,
	domain.EAPIKEYEXPIRED:      http.StatusUnauthorized,
	domain.ESSOREQUIRED:        http.StatusForbidden,
	domain.EIPNOTALLOWED:       http.StatusForbidden,
}

// codeByStatus names the problem code for statuses Huma produces itself (validation, limits, parsing).
var codeByStatus = map[int]string{
	http.StatusBadRequest:            codeBadRequest,
	http.StatusUnauthorized:          domain.EUNAUTHENTICATED,
	http.StatusForbidden:             domain.EFORBIDDEN,
	http.StatusNotFound:              domain.ENOTFOUND,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusConflict:              domain.ECONFLICT,
	http.StatusRequestEntityTooLarge: codePayloadTooLarge,
	http.StatusUnsupportedMediaType:  codeUnsupportedMediaType,
	http.StatusUnprocessableEntity:   domain.EINVALID,
	http.StatusTooManyRequests:       domain.ERATELIMITED,
	http.StatusInternalServerError:   domain.EINTERNAL,
	http.StatusServiceUnavailable:    "unavailable",
}

// ErrorModel is an RFC 9457 problem document with a stable machine-readable code.
type ErrorModel struct {
	Type     string              `json:"type,omitempty" doc:"A URI reference that identifies the problem type."`
	Title    string              `json:"title" doc:"A short summary of the problem type."`
	Status   int                 `json:"status" doc:"The HTTP status code."`
	Detail   string              `json:"detail" doc:"A human-readable explanation of this occurrence."`
	Code     string              `json:"code" doc:"Stable error code, e.g. validation_failed, not_found, rate_limited."`
	Instance string              `json:"instance,omitempty" doc:"The request ID of this occurrence."`
	Errors   []*huma.ErrorDetail `json:"errors,omitempty" doc:"Per-field problems for validation_failed."`
	// Metric, Limit, Usage and Plan detail plan_limit_reached.
	Metric string `json:"metric,omitempty" doc:"For plan_limit_reached: the limited metric, e.g. clients or storage_bytes."`
	Limit  *int64 `json:"limit,omitempty" doc:"For plan_limit_reached: the plan's limit for the metric."`
	Usage  *int64 `json:"usage,omitempty" doc:"For plan_limit_reached: the usage before the refused write."`
	Plan   string `json:"plan,omitempty" doc:"For plan_limit_reached: the organization's current plan id. For plan_feature_unavailable: the plan that has the feature."`
	// Feature details plan_feature_unavailable.
	Feature string `json:"feature,omitempty" doc:"For plan_feature_unavailable: the feature the plan lacks, e.g. invoices."`
	// Permission details a forbidden refusal for a missing permission.
	Permission string `json:"permission,omitempty" doc:"For forbidden: the permission the request needed, e.g. clients.write (the detail says it in words)."`
}

// Error implements error.
func (e *ErrorModel) Error() string { return e.Detail }

// GetStatus implements huma.StatusError.
func (e *ErrorModel) GetStatus() int { return e.Status }

// ContentType makes Huma send errors as application/problem+json.
func (e *ErrorModel) ContentType(string) string { return "application/problem+json" }

func init() {
	// Lists are always arrays (never null) in our responses, so say so in the schema.
	huma.DefaultArrayNullable = false
	huma.NewError = newProblem
	huma.NewErrorWithContext = func(ctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
		p := newProblem(status, msg, errs...).(*ErrorModel)
		if ctx != nil {
			p.Instance = requestIDFrom(ctx.Context())
		}
		return p
	}
}

func newProblem(status int, msg string, errs ...error) huma.StatusError {
	p := &ErrorModel{Status: status, Title: http.StatusText(status), Detail: msg, Code: codeByStatus[status]}
	if p.Code == "" {
		p.Code = codeBadRequest
	}
	if status == http.StatusRequestEntityTooLarge {
		p.Detail = "The request body is larger than the limit of 1 MiB."
	}
	for _, err := range errs {
		if err == nil {
			continue
		}
		var d huma.ErrorDetailer
		if errors.As(err, &d) {
			p.Errors = append(p.Errors, d.ErrorDetail())
		} else {
			p.Errors = append(p.Errors, &huma.ErrorDetail{Message: err.Error()})
		}
	}
	return p
}

// problem turns any error from the layers below into the problem Huma writes. Application errors keep
// their code and message; anything else is logged and answered as a bare "internal error".
func problem(ctx context.Context, err error) error {
	code := domain.ErrorCode(err)
	if code == domain.EINTERNAL {
		if errors.Is(err, context.Canceled) {
			return newProblem(499, "The client closed the request.")
		}
		if unavailable(err) {
			return unavailableProblem(ctx, err)
		}
		slog.ErrorContext(ctx, "internal error", "err", err, "request_id", requestIDFrom(ctx))
		p := newProblem(http.StatusInternalServerError, "internal error").(*ErrorModel)
		p.Instance = requestIDFrom(ctx)
		return p
	}
	p := newProblem(statusByCode[code], domain.ErrorMessage(err)).(*ErrorModel)
	p.Code, p.Instance = code, requestIDFrom(ctx)
	var de *domain.Error
	if errors.As(err, &de) {
		for _, f := range de.Fields {
			p.Errors = append(p.Errors, &huma.ErrorDetail{Location: f.Field, Message: f.Message})
		}
		if q := de.Quota; q != nil {
			p.Metric, p.Limit, p.Usage, p.Plan = q.Metric, &q.Limit, &q.Usage, q.Plan
		}
		if f := de.Feature; f != nil {
			p.Feature, p.Plan = f.Feature, f.Plan
		}
		p.Permission = string(de.Permission)
	}
	return p
}
