package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

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
func positionFor(ctx context.Context, tx bun.Tx, s siblings, selfID string, m domain.Move) (string, error) {
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
		return domain.PositionBetween(before, after)
	case m.BeforeID != "":
		after, err := siblingPosition(ctx, tx, s, m.BeforeID, s.field+"before_id")
		if err != nil {
			return "", err
		}
		before, err := neighbour(ctx, tx, s, selfID, "max", "position < ?", after)
		if err != nil {
			return "", err
		}
		return domain.PositionBetween(before, after)
	}
	last, err := neighbour(ctx, tx, s, selfID, "max", "TRUE", nil)
	if err != nil {
		return "", err
	}
	return domain.PositionBetween(last, "")
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
func retryPositionConflict(fn func() error) error {
	var err error
	for range 8 {
		if err = fn(); !isUniqueViolation(err) {
			return err
		}
	}
	return mapError(err, "")
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
