package store

import (
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/clientflow/clientflow/domain"
)

// A move aborted as a deadlock victim (or a serialization failure) runs again; other errors do not.
func TestRetryPositionConflictRerunsADeadlockVictim(t *testing.T) {
	for _, code := range []string{"40P01", "40001", "23505"} {
		runs := 0
		err := retryPositionConflict(func() error {
			runs++
			if runs < 3 {
				return &pgconn.PgError{Code: code}
			}
			return nil
		})
		if err != nil || runs != 3 {
			t.Errorf("%s: err %v after %d runs, want success on the third", code, err, runs)
		}
	}
	runs := 0
	err := retryPositionConflict(func() error { runs++; return &pgconn.PgError{Code: "23514"} })
	if runs != 1 || domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("check violation: %d runs, code %q; want one run and EINVALID", runs, domain.ErrorCode(err))
	}
	err = retryPositionConflict(func() error { return &pgconn.PgError{Code: "40P01"} })
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("a deadlock on every run answers %q, want ECONFLICT (409, try again), never a 500", domain.ErrorCode(err))
	}
}
