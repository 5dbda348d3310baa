package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
)

// siblings names a set of ordered rows (a project's columns, a column's tasks, a task's subtasks): the
// table and the condition selecting the set, with ? placeholders.
type siblings struct {
	table string
	where string
	args  []any
	// field is the API field the neighbours were named in, for error messages ("body.after_id").
	field string
}

// noID stands in for "no row to exclude"; it matches no row.
const noID = "00000000-0000-0000-0000-000000000000"

// positionFor returns the fractional-index key for selfID placed as m says among s (selfID itself is
// ignored, so a row can move within its own set). Errors: EINVALID when a neighbour is not in the set.
// Keys carry random digits (domain.PositionAmong), so concurrent writers rarely want the same key; when a
// key grows past domain.PositionLong the whole set is renumbered first.
func positionFor(ctx context.Context, tx bun.Tx, s siblings, selfID string, m domain.Move) (string, error) {
	pos, err := placeAmong(ctx, tx, s, selfID, m)
	if err != nil || len(pos) <= domain.PositionLong {
		return pos, err
	}
	if err := rebalance(ctx, tx, s); err != nil {
		return "", err
	}
	return placeAmong(ctx, tx, s, selfID, m)
}

// rebalance renumbers every row of s with short, evenly spread keys in their current order: one UPDATE,
// which the deferrable UNIQUE (…, position) constraints check only when it ends.
func rebalance(ctx context.Context, tx bun.Tx, s siblings) error {
	var ids []string
	if err := tx.NewRaw("SELECT id FROM "+s.table+" WHERE "+s.where+" ORDER BY position FOR NO KEY UPDATE",
		s.args...).Scan(ctx, &ids); err != nil {
		return err
	}
	args := append([]any{pgdialect.Array(ids), pgdialect.Array(domain.PositionsEven(len(ids)))}, s.args...)
	_, err := tx.NewRaw("UPDATE "+s.table+" SET position = r.key FROM (SELECT unnest(?::uuid[]) AS row_id, unnest(?::text[]) AS key) r"+
		" WHERE id = r.row_id AND "+s.where, args...).Exec(ctx)
	return err
}

func placeAmong(ctx context.Context, tx bun.Tx, s siblings, selfID string, m domain.Move) (string, error) {
	switch {
	case m.AfterID != "":
		before, err := siblingPosition(ctx, tx, s, m.AfterID, s.field+"after_id")
		if err != nil {
			return "", err
		}
		after, err := neighbour(ctx, tx, s, selfID, "min", "position > ?", before)
		if err != nil {
			return "", err
		}
		return domain.PositionAmong(before, after)
	case m.BeforeID != "":
		after, err := siblingPosition(ctx, tx, s, m.BeforeID, s.field+"before_id")
		if err != nil {
			return "", err
		}
		before, err := neighbour(ctx, tx, s, selfID, "max", "position < ?", after)
		if err != nil {
			return "", err
		}
		return domain.PositionAmong(before, after)
	}
	last, err := neighbour(ctx, tx, s, selfID, "max", "TRUE", nil)
	if err != nil {
		return "", err
	}
	return domain.PositionAmong(last, "")
}

func siblingPosition(ctx context.Context, tx bun.Tx, s siblings, id, field string) (string, error) {
	if !validUUID(id) {
		return "", domain.Invalid(field, "is not in the same list")
	}
	var pos []string
	args := append(append([]any{}, s.args...), id)
	if err := tx.NewRaw("SELECT position FROM "+s.table+" WHERE "+s.where+" AND id = ?", args...).Scan(ctx, &pos); err != nil {
		return "", err
	}
	if len(pos) == 0 {
		return "", domain.Invalid(field, "is not in the same list")
	}
	return pos[0], nil
}

// neighbour returns the min or max position of the set under cond, "" when there is none.
func neighbour(ctx context.Context, tx bun.Tx, s siblings, selfID, agg, cond string, arg any) (string, error) {
	if selfID == "" {
		selfID = noID
	}
	args := append(append([]any{}, s.args...), selfID)
	if arg != nil {
		args = append(args, arg)
	}
	var pos *string
	err := tx.NewRaw("SELECT "+agg+"(position) FROM "+s.table+" WHERE "+s.where+" AND id <> ? AND "+cond, args...).Scan(ctx, &pos)
	if err != nil || pos == nil {
		return "", err
	}
	return *pos, nil
}

// retryPositionConflict runs fn again (a fresh transaction, so fresh neighbours) when a concurrent writer
// took the same position first and the UNIQUE (…, position) constraint refused the second. Should the
// race persist, the caller gets ECONFLICT (409), never a 500.
//
// It also retries a deadlock or serialization failure: two moves that each hold their own card and renumber
// the other's column (rebalance locks a whole set) can deadlock, and PostgreSQL aborts one of them; run
// again, the victim finds the other committed and succeeds. fn must only assign its results, so a rerun
// leaves nothing behind from the aborted attempt.
func retryPositionConflict(fn func() error) error {
	var err error
	for range 8 {
		if err = fn(); !isUniqueViolation(err) && !isTransactionRollback(err) {
			return err
		}
	}
	return mapError(err, "")
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// isTransactionRollback reports a deadlock (40P01) or serialization failure (40001): the transaction was
// aborted because of a concurrent one, and running it again is the documented remedy.
func isTransactionRollback(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}
