package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// TimerStart is what a timer is started on.
type TimerStart struct {
	ProjectID string
	TaskID    string
	Note      string
	Billable  bool
}

// StartTimer starts v's timer. A timer already running is stopped first, in the same transaction, so
// switching work is one click and a user never has two timers. Concurrent starts by the same user queue
// on a per-user advisory lock, leaving exactly one running. It returns the new entry and the stopped one
// (nil when none ran). Errors: ENOTFOUND (project), EINVALID.
func (db *DB) StartTimer(ctx context.Context, orgID string, v domain.Viewer, in TimerStart) (started, stopped *domain.TimeEntry, err error) {
	if err := domain.ValidateLogged(now(), nil, nil, &in.Note); err != nil {
		return nil, nil, err
	}
	err = db.inProject(ctx, orgID, v, in.ProjectID, func(ctx context.Context, p projectTx) error {
		if err := checkTaskInProject(ctx, p, in.TaskID); err != nil {
			return err
		}
		tx := p.Tx
		if stopped, err = stopRunning(ctx, tx, orgID, v); err != nil {
			return err
		}
		e := &domain.TimeEntry{ProjectID: in.ProjectID, TaskID: in.TaskID, UserID: v.UserID, StartedAt: now(),
			Note: in.Note, Billable: in.Billable}
		if err := insertTimeEntry(ctx, tx, orgID, e); err != nil {
			return err
		}
		started, err = loadTimeEntry(ctx, tx, orgID, v, e.ID, false)
		return err
	})
	if err != nil {
		return nil, nil, mapError(err, timeEntryNotFound)
	}
	return started, stopped, nil
}

// StopTimer stops v's running timer and returns the finished entry. Errors: ECONFLICT when none runs.
func (db *DB) StopTimer(ctx context.Context, orgID string, v domain.Viewer) (*domain.TimeEntry, error) {
	var out *domain.TimeEntry
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		stopped, err := stopRunning(ctx, tx, orgID, v)
		if err != nil {
			return err
		}
		if stopped == nil {
			return domain.Errorf(domain.ECONFLICT, "No timer is running.")
		}
		out = stopped
		return nil
	})
	return out, err
}

// RunningTimer returns v's running timer, or nil when none runs.
func (db *DB) RunningTimer(ctx context.Context, orgID string, v domain.Viewer) (*domain.TimeEntry, error) {
	var out *domain.TimeEntry
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = runningTimer(ctx, tx, orgID, v, false)
		return err
	})
	return out, err
}

// stopRunning takes v's timer lock, then stops and saves v's running timer, if any.
func stopRunning(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer) (*domain.TimeEntry, error) {
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))",
		"timer:"+orgID+":"+v.UserID); err != nil {
		return nil, err
	}
	e, err := runningTimer(ctx, tx, orgID, v, true)
	if err != nil || e == nil {
		return nil, err
	}
	e.Stop(now())
	if err := saveTimeEntry(ctx, tx, orgID, v.UserID, e, true); err != nil {
		return nil, err
	}
	return e, nil
}

// runningTimer reads v's own running entry. It ignores project visibility on purpose: a member removed
// from a project must still be able to stop the clock they started there.
func runningTimer(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, lock bool) (*domain.TimeEntry, error) {
	query := timeEntryBase + " AND te.user_id = ? AND te.ended_at IS NULL"
	if lock {
		query += " FOR UPDATE OF te"
	}
	var row timeEntryRow
	err := tx.NewRaw(query, orgID, v.UserID).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return row.domain(), nil
}
