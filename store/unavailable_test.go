package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// TestIsUnavailable: what Postgres going away looks like to the client is an outage (the API answers 503),
// and nothing a request itself caused is.
func TestIsUnavailable(t *testing.T) {
	// A port nobody listens on: the dial is refused, as while Postgres restarts.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, refused := store.Open(context.Background(), "postgres://postgres@"+addr+"/x?sslmode=disable", store.Options{})
	if refused == nil {
		t.Fatal("opening a closed port succeeded")
	}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", refused, true},
		{"admin shutdown 57P01", &pgconn.PgError{Code: "57P01"}, true},
		{"cannot connect now 57P03", &pgconn.PgError{Code: "57P03"}, true},
		{"connection failure 08006", fmt.Errorf("query: %w", &pgconn.PgError{Code: "08006"}), true},
		{"too many connections 53300", &pgconn.PgError{Code: "53300"}, true},
		{"conn closed", fmt.Errorf("tx: %w", pgconn.ErrConnClosed), true},
		{"cut mid-transaction", io.ErrUnexpectedEOF, true},
		{"bare EOF", io.EOF, false},
		{"unique violation 23505", &pgconn.PgError{Code: "23505"}, false},
		{"invalid text 22P02", &pgconn.PgError{Code: "22P02"}, false},
		{"not found", domain.Errorf(domain.ENOTFOUND, "gone"), false},
		{"plain error", errors.New("boom"), false},
		{"nil", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := store.IsUnavailable(c.err); got != c.want {
				t.Fatalf("IsUnavailable(%v) = %v, want %v", c.err, got, c.want)
			}
		})
	}
}
