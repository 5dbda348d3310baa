package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// myWorkTaskLimit caps the open tasks the home page lists; truncated says when there are more.
const myWorkTaskLimit = 100

// myWorkMentionLimit is how many recent mentions the home page shows.
const myWorkMentionLimit = 5

// MyWork is the caller's home page in one answer.
type MyWork struct {
	Tasks          []MyTask       `json:"tasks" doc:"Open tasks assigned to you in projects you can see: due first, undated last."`
	TasksTruncated bool           `json:"tasks_truncated" doc:"More open tasks are assigned to you than listed."`
	TodayMinutes   *int           `json:"today_minutes" doc:"Minutes of your stopped entries started since day_start; null without time.read or time tracking."`
	Timer          *TimeEntry     `json:"timer" doc:"Your running timer; null when none runs (or without time.read)."`
	Mentions       []Notification `json:"mentions" doc:"Your latest notifications of type mentioned, newest first."`
}

// MyTask is an open task assigned to the caller.
type MyTask struct {
	ID          string  `json:"id" format:"uuid"`
	ProjectID   string  `json:"project_id" format:"uuid"`
	ProjectName string  `json:"project_name"`
	Number      int     `json:"number"`
	Title       string  `json:"title"`
	Status      string  `json:"status" doc:"The name of the board column the task is in."`
	Priority    string  `json:"priority" enum:"low,medium,high,urgent"`
	DueDate     *string `json:"due_date" doc:"YYYY-MM-DD or null."`
}

func (s *Server) registerMyWork() {
	huma.Register(s.api, huma.Operation{OperationID: "get-my-work", Method: http.MethodGet,
		Path: "/api/v1/orgs/{org_id}/me/work", Tags: []string{"Tasks"}, Security: security,
		Extensions: requires(domain.PermProjectsRead), Summary: "Get your home page: your tasks, time and mentions",
		Description: "One read for the My work page. Client contacts use the portal instead (403).",
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, s.getMyWork)
}

func (s *Server) getMyWork(ctx context.Context, in *struct {
	OrgPath
	DayStart time.Time `query:"day_start" doc:"When your day began, e.g. local midnight as 2026-12-07T00:00:00+01:00; defaults to midnight UTC. At most 48 hours ago."`
}) (*struct{ Body MyWork }, error) {
	p := principalFrom(ctx)
	now := time.Now()
	dayStart := in.DayStart
	if dayStart.IsZero() {
		dayStart = now.UTC().Truncate(24 * time.Hour)
	}
	if dayStart.After(now) || now.Sub(dayStart) > 48*time.Hour {
		return nil, problem(ctx, domain.Invalid("query.day_start", "must be within the last 48 hours"))
	}
	withTime := p.can(domain.PermTimeRead) && slices.Contains(p.Features, domain.FeatureTimeTracking)
	w, err := s.db.MyWork(ctx, in.OrgID, viewerFrom(ctx), domain.MyWorkQuery{DayStart: dayStart,
		TaskLimit: myWorkTaskLimit, MentionLimit: myWorkMentionLimit, WithTime: withTime})
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := MyWork{Tasks: make([]MyTask, len(w.Tasks)), TasksTruncated: w.TasksTruncated,
		Mentions: make([]Notification, len(w.Mentions))}
	for i, t := range w.Tasks {
		out.Tasks[i] = MyTask{ID: t.ID, ProjectID: t.ProjectID, ProjectName: t.ProjectName, Number: t.Number,
			Title: t.Title, Status: t.ColumnName, Priority: t.Priority, DueDate: dateString(t.DueDate)}
	}
	for i, n := range w.Mentions {
		out.Mentions[i] = notificationFrom(n)
	}
	if withTime {
		out.TodayMinutes = &w.TodayMinutes
		if w.Timer != nil {
			te := timeEntryFrom(w.Timer)
			out.Timer = &te
		}
	}
	return &struct{ Body MyWork }{Body: out}, nil
}
