package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// AuditEntry is one row of the organization's audit log.
type AuditEntry struct {
	ID         string         `json:"id" format:"uuid"`
	Action     string         `json:"action" doc:"What was done, <entity>.<verb>, e.g. member.role_changed (see list-audit-actions)."`
	EntityType string         `json:"entity_type" doc:"e.g. member, api_key, webhook_endpoint."`
	EntityID   string         `json:"entity_id" doc:"The entity's ID (a role's name for entity role)."`
	Actor      *ActivityActor `json:"actor,omitempty" doc:"Who did it (their name when it was written); absent for the system."`
	APIKeyID   *string        `json:"api_key_id" format:"uuid" nullable:"true" doc:"The API key the request used, if any."`
	IP         string         `json:"ip"`
	UserAgent  string         `json:"user_agent"`
	RequestID  string         `json:"request_id"`
	Metadata   map[string]any `json:"metadata" doc:"Facts of the action; for updates before and after of the changed fields. Never secrets."`
	CreatedAt  time.Time      `json:"created_at"`
}

// AuditLog is one page of the audit log.
type AuditLog struct {
	Data       []AuditEntry `json:"data"`
	NextCursor *string      `json:"next_cursor" doc:"Pass as cursor for the next page; null on the last page."`
}

// AuditCatalogue names what the audit log's filters can take.
type AuditCatalogue struct {
	Actions     []string `json:"actions" doc:"Every action the log records, grouped by entity."`
	EntityTypes []string `json:"entity_types"`
}

// AuditLogQuery filters the audit log.
type AuditLogQuery struct {
	OrgPath
	From       string `query:"from" maxLength:"40" doc:"From this instant (RFC 3339) or the start of this day (YYYY-MM-DD, UTC), inclusive."`
	To         string `query:"to" maxLength:"40" doc:"Up to this instant (RFC 3339, exclusive) or through this day (YYYY-MM-DD, UTC, inclusive)."`
	ActorID    string `query:"actor_id" format:"uuid" doc:"Only what this user did."`
	Action     string `query:"action" maxLength:"100" pattern:"^[a-z_]+(\\.[a-z_]+)*$" doc:"An action (member.role_changed) or an entity prefix (member)."`
	EntityType string `query:"entity_type" maxLength:"50" pattern:"^[a-z_]+$"`
	EntityID   string `query:"entity_id" maxLength:"100"`
	Q          string `query:"q" maxLength:"200" doc:"Free text over action, entity, actor name, IP and metadata."`
	Limit      int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
	Cursor     string `query:"cursor" maxLength:"200"`
}

func (s *Server) registerAudit() {
	tags := []string{"Audit log"}
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}
	huma.Register(s.api, huma.Operation{OperationID: "list-audit-log", Method: http.MethodGet,
		Path: "/api/v1/orgs/{org_id}/audit-log", Tags: tags, Security: security,
		Extensions: requires(domain.PermAuditRead), Summary: "List the audit log, newest first",
		Description: "Security and administrative actions: sign-ins, two-factor and password changes, sessions, team, " +
			"roles, settings, billing, invoices sent or voided, API keys and webhooks. Append-only.",
		Errors: errs,
	}, s.listAuditLog)
	huma.Register(s.api, huma.Operation{OperationID: "list-audit-actions", Method: http.MethodGet,
		Path: "/api/v1/orgs/{org_id}/audit-log/actions", Tags: tags, Security: security,
		Extensions: requires(domain.PermAuditRead), Summary: "List the actions and entity types the audit log records",
		Errors: errs[:3],
	}, s.listAuditActions)
}

func (s *Server) listAuditLog(ctx context.Context, in *AuditLogQuery) (*struct{ Body AuditLog }, error) {
	f, err := auditFilterFrom(in)
	if err != nil {
		return nil, problem(ctx, err)
	}
	es, next, err := s.db.AuditLog(ctx, in.OrgID, principalFrom(ctx).User.ID, f)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := AuditLog{Data: make([]AuditEntry, len(es))}
	for i, e := range es {
		out.Data[i] = auditEntryFrom(e)
	}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body AuditLog }{Body: out}, nil
}

func (s *Server) listAuditActions(context.Context, *OrgPath) (*struct{ Body AuditCatalogue }, error) {
	return &struct{ Body AuditCatalogue }{Body: AuditCatalogue{Actions: domain.AuditActions,
		EntityTypes: domain.AuditEntityTypes}}, nil
}

// auditFilterFrom checks and converts the query. Errors: EINVALID naming the field.
func auditFilterFrom(in *AuditLogQuery) (domain.AuditFilter, error) {
	f := domain.AuditFilter{ActorID: in.ActorID, Action: in.Action, EntityType: in.EntityType, EntityID: in.EntityID,
		Text: strings.TrimSpace(in.Q), Limit: in.Limit, Cursor: in.Cursor}
	var err error
	if f.From, err = auditTime("query.from", in.From, false); err != nil {
		return f, err
	}
	if f.To, err = auditTime("query.to", in.To, true); err != nil {
		return f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, domain.Invalid("query.to", "must be after from")
	}
	return f, nil
}

// auditTime parses an RFC 3339 instant or a YYYY-MM-DD day (UTC): the day's start, or the next day's when
// it ends a range (endOfDay), so "to=2026-12-07" includes the whole of the 7th.
func auditTime(field, v string, endOfDay bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, domain.Invalid(field, "must be an RFC 3339 time or a date (YYYY-MM-DD)")
	}
	if endOfDay {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

func auditEntryFrom(e *domain.AuditEntry) AuditEntry {
	out := AuditEntry{ID: e.ID, Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID, IP: e.IP,
		UserAgent: e.UserAgent, RequestID: e.RequestID, Metadata: e.Metadata, CreatedAt: e.CreatedAt,
		APIKeyID: optional(e.APIKeyID)}
	if out.Metadata == nil {
		out.Metadata = map[string]any{}
	}
	if e.ActorID != "" {
		out.Actor = &ActivityActor{ID: e.ActorID, Name: e.ActorName}
	}
	return out
}
