package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Session is one signed-in browser of the user.
type Session struct {
	ID         string    `json:"id" format:"uuid"`
	Device     string    `json:"device" doc:"Browser and system, from the User-Agent (e.g. \"Firefox on Linux\")."`
	IP         string    `json:"ip"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	Current    bool      `json:"current" doc:"Whether this is the session making the request."`
}

// SessionList is the user's live sessions, most recently seen first.
type SessionList struct {
	Data []Session `json:"data"`
}

func (s *Server) registerAccountSessions() {
	huma.Register(s.api, huma.Operation{
		OperationID: "list-sessions", Method: http.MethodGet, Path: "/api/v1/me/sessions", Tags: []string{"Account"},
		Summary: "List the signed-in user's sessions", Security: security,
		Errors: []int{http.StatusUnauthorized},
	}, s.listSessions)
	huma.Register(s.api, huma.Operation{
		OperationID: "revoke-session", Method: http.MethodDelete, Path: "/api/v1/me/sessions/{session_id}", Tags: []string{"Account"},
		Summary: "Sign one session out", Security: security, DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.revokeSession)
	huma.Register(s.api, huma.Operation{
		OperationID: "revoke-other-sessions", Method: http.MethodPost, Path: "/api/v1/me/sessions/revoke-others", Tags: []string{"Account"},
		Summary: "Sign every other session out", Security: security, DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusUnauthorized},
	}, s.revokeOtherSessions)
}

func (s *Server) listSessions(ctx context.Context, _ *struct{}) (*struct{ Body SessionList }, error) {
	p := principalFrom(ctx)
	rows, err := s.db.UserSessions(ctx, p.User.ID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := SessionList{Data: make([]Session, len(rows))}
	for i, r := range rows {
		out.Data[i] = Session{ID: r.ID, Device: domain.DeviceFamily(r.UserAgent), IP: r.IP, CreatedAt: r.CreatedAt,
			LastSeenAt: r.LastSeenAt, Current: r.ID == p.SessionID}
	}
	return &struct{ Body SessionList }{Body: out}, nil
}

func (s *Server) revokeSession(ctx context.Context, in *struct {
	SessionID string `path:"session_id" maxLength:"64"`
}) (*struct{}, error) {
	if err := s.db.RevokeUserSession(ctx, principalFrom(ctx).User.ID, in.SessionID); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{}{}, nil
}

func (s *Server) revokeOtherSessions(ctx context.Context, _ *struct{}) (*struct{}, error) {
	p := principalFrom(ctx)
	if err := s.db.RevokeOtherSessions(ctx, p.User.ID, p.SessionID); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{}{}, nil
}
