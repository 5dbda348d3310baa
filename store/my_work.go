package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clientflow/clientflow/domain"
)

// myTasksSQL reads the open tasks assigned to $2 in projects they may see ($3: sees every project), due
// first, undated last (served by task_assignees_org_user_idx).
const myTasksSQL = `SELECT t.id, t.project_id, p.name, t.number, t.title, c.name, t.priority, t.due_date
	FROM task_assignees a
	JOIN tasks t ON t.organization_id = a.organization_id AND t.id = a.task_id
	JOIN projects p ON p.organization_id = t.organization_id AND p.id = t.project_id
	JOIN task_board_columns c ON c.organization_id = t.organization_id AND c.id = t.column_id
	WHERE a.organization_id = $1 AND a.user_id = $2 AND t.completed_at IS NULL AND p.archived_at IS NULL
	  AND ($3 OR EXISTS (SELECT 1 FROM project_members pm
	       WHERE pm.organization_id = p.organization_id AND pm.project_id = p.id AND pm.user_id = $2))
	ORDER BY t.due_date ASC NULLS LAST, t.priority = 'urgent' DESC, t.priority = 'high' DESC, t.id
	LIMIT $4`

// myTodaySQL sums the minutes of $2's stopped entries started since $3 (time_entries_org_user_idx).
const myTodaySQL = `SELECT coalesce(sum(minutes), 0)::int FROM time_entries
	WHERE organization_id = $1 AND user_id = $2 AND started_at >= $3 AND ended_at IS NOT NULL`

// myTimerSQL reads $2's running timer with its labels (time_entries_one_running_idx). Like RunningTimer it
// ignores project visibility: whoever started a clock may always see and stop it.
const myTimerSQL = `SELECT te.id, te.project_id, coalesce(te.task_id::text, ''), te.started_at, te.note, te.billable,
	te.created_at, te.updated_at, p.name, coalesce(t.title, ''), u.name
	FROM time_entries te
	JOIN projects p ON p.organization_id = te.organization_id AND p.id = te.project_id
	LEFT JOIN tasks t ON t.organization_id = te.organization_id AND t.id = te.task_id
	JOIN users u ON u.id = te.user_id
	WHERE te.organization_id = $1 AND te.user_id = $2 AND te.ended_at IS NULL`

// myMentionsSQL reads $2's newest mention notifications (notifications_inbox_idx).
const myMentionsSQL = notificationSelect + ` WHERE n.organization_id = $1 AND n.recipient_id = $2 AND n.type = $3
	ORDER BY n.id DESC LIMIT $4`

// MyWork reads v's home page in one round trip: their open assigned tasks, their time today and running
// timer (when q.WithTime) and their latest mentions. Errors: ENOTFOUND for a malformed organization ID.
func (db *DB) MyWork(ctx context.Context, orgID string, v domain.Viewer, q domain.MyWorkQuery) (*domain.MyWork, error) {
	out := &domain.MyWork{Tasks: []*domain.MyTask{}, Mentions: []*domain.Notification{}}
	if !validUUID(v.UserID) {
		return out, nil
	}
	reads := []read{
		{sql: myTasksSQL, args: []any{orgID, v.UserID, v.SeesAllProjects(), q.TaskLimit + 1}, scan: func(r pgx.Rows) error {
			for r.Next() {
				var t domain.MyTask
				if err := r.Scan(&t.ID, &t.ProjectID, &t.ProjectName, &t.Number, &t.Title, &t.ColumnName, &t.Priority,
					&t.DueDate); err != nil {
					return err
				}
				out.Tasks = append(out.Tasks, &t)
			}
			return nil
		}},
		{sql: myMentionsSQL, args: []any{orgID, v.UserID, domain.NotifyMentioned, q.MentionLimit}, scan: func(r pgx.Rows) error {
			for r.Next() {
				n, err := scanNotification(r)
				if err != nil {
					return err
				}
				out.Mentions = append(out.Mentions, n)
			}
			return nil
		}},
	}
	if q.WithTime {
		reads = append(reads,
			read{sql: myTodaySQL, args: []any{orgID, v.UserID, q.DayStart}, scan: scanCount(&out.TodayMinutes)},
			read{sql: myTimerSQL, args: []any{orgID, v.UserID}, scan: func(r pgx.Rows) error {
				for r.Next() {
					e := domain.TimeEntry{OrganizationID: orgID, UserID: v.UserID}
					var started time.Time
					if err := r.Scan(&e.ID, &e.ProjectID, &e.TaskID, &started, &e.Note, &e.Billable, &e.CreatedAt,
						&e.UpdatedAt, &e.ProjectName, &e.TaskTitle, &e.UserName); err != nil {
						return err
					}
					e.StartedAt = started.UTC()
					out.Timer = &e
				}
				return nil
			}})
	}
	if err := db.tenantRead(ctx, orgID, v.UserID, reads...); err != nil {
		return nil, err
	}
	if len(out.Tasks) > q.TaskLimit {
		out.Tasks, out.TasksTruncated = out.Tasks[:q.TaskLimit], true
	}
	return out, nil
}
