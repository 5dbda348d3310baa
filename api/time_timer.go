package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// TimerStart starts the caller's timer on a project (and optionally one of its tasks).
type TimerStart struct {
	ProjectID string `json:"project_id" format:"uuid"`
	TaskID    string `json:"task_id,omitempty" format:"uuid" doc:"A task of the project."`
	Note      string `json:"note,omitempty" maxLength:"2000"`
	Billable  *bool  `json:"billable,omitempty" doc:"Defaults to true."`
}

// TimerStarted is the new running entry and the one it stopped, if a timer was already running.
type TimerStarted struct {
	Entry   TimeEntry  `json:"entry"`
	Stopped *TimeEntry `json:"stopped" doc:"The timer that was running and is now stopped; null if none ran."`
}

// TimerState is the caller's running timer, or null.
type TimerState struct {
	Entry *TimeEntry `json:"entry" doc:"Null when no timer runs."`
}

func (s *Server) registerTimer() {
	tags := []string{"Time"}
	base := "/api/v1/orgs/{org_id}/time/timer"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "get-timer", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Extensions: requires(domain.PermTimeRead),
		Summary:    "Get your running timer", Errors: errs,
	}, s.getTimer)
	huma.Register(s.api, huma.Operation{
		OperationID: "start-timer", Method: http.MethodPost, Path: base + "/start", Tags: tags, Security: security,
		Extensions: timeWrite(),
		Summary:    "Start your timer",
		Description: "A timer already running is stopped first, in the same transaction, and returned as stopped: " +
			"you never have two timers in one organization.",
		DefaultStatus: http.StatusCreated, Errors: append(errs, http.StatusUnprocessableEntity),
	}, s.startTimer)
	huma.Register(s.api, huma.Operation{
		OperationID: "stop-timer", Method: http.MethodPost, Path: base + "/stop", Tags: tags, Security: security,
		Extensions: timeWrite(),
		Summary:    "Stop your timer",
		Description: "Minutes are the elapsed time rounded to the nearest minute, at least 1. " +
			"Answers 409 when no timer runs.",
		Errors: append(errs, http.StatusConflict),
	}, s.stopTimer)
}

func (s *Server) getTimer(ctx context.Context, in *OrgPath) (*struct{ Body TimerState }, error) {
	e, err := s.db.RunningTimer(ctx, in.OrgID, viewerFrom(ctx))
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := &struct{ Body TimerState }{}
	if e != nil {
		te := timeEntryFrom(e)
		out.Body.Entry = &te
	}
	return out, nil
}

func (s *Server) startTimer(ctx context.Context, in *struct {
	OrgPath
	Body TimerStart
}) (*struct{ Body TimerStarted }, error) {
	b := in.Body
	started, stopped, err := s.db.StartTimer(ctx, in.OrgID, viewerFrom(ctx), store.TimerStart{ProjectID: b.ProjectID,
		TaskID: b.TaskID, Note: b.Note, Billable: b.Billable == nil || *b.Billable})
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := &struct{ Body TimerStarted }{Body: TimerStarted{Entry: timeEntryFrom(started)}}
	if stopped != nil {
		te := timeEntryFrom(stopped)
		out.Body.Stopped = &te
	}
	return out, nil
}

func (s *Server) stopTimer(ctx context.Context, in *OrgPath) (*timeEntryOutput, error) {
	e, err := s.db.StopTimer(ctx, in.OrgID, viewerFrom(ctx))
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &timeEntryOutput{Body: timeEntryFrom(e)}, nil
}
