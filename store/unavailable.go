package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsUnavailable reports whether err means the database could not be reached or dropped the connection
// (refused, reset, closed, a connect timeout, the server shutting down or not yet accepting connections):
// a failure of the service, not of the request, that the same request can retry once Postgres is back.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return unavailableSQLState(pgErr.Code)
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	// pgconn's own errors (they tell whether a retry is safe) wrap io.EOF when the server hung up between
	// messages; a connection cut inside a transaction surfaces as a bare io.ErrUnexpectedEOF.
	var pgconnErr interface{ SafeToRetry() bool }
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr):
		return true
	case errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone):
		return true
	case errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &pgconnErr) && errors.Is(err, io.EOF):
		return true
	}
	return false
}

// unavailableSQLState is true for the SQLSTATEs a server sends while it is going away or not yet ready:
// class 08 (connection exception), 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now,
// and 53300 too many connections.
func unavailableSQLState(code string) bool {
	switch code {
	case "57P01", "57P02", "57P03", "53300":
		return true
	}
	return strings.HasPrefix(code, "08")
}
