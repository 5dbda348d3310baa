package store

import (
	"context"
	"os"
	"testing"

	"github.com/clientflow/clientflow/domain"
)

// TestPostgresErrorsBecomeClientErrors is the last line of defence behind input validation: every data
// exception (SQLSTATE class 22) and integrity violation (class 23) that reaches Postgres comes back as a
// 4xx code, whether or not the store function ran it through mapError; anything else stays internal.
func TestPostgresErrorsBecomeClientErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		dsn = u
	}
	db, err := Open(ctx, dsn, Options{Owner: true, MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.bun.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE parent (id int PRIMARY KEY);
		CREATE TEMP TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent, n int NOT NULL CHECK (n >= 0));
		INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1, 0)`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"int4_out_of_range_22003", "SELECT 2147483648::int4", domain.EINVALID},
		{"bigint_out_of_range_22003", "SELECT 9223372036854775807::bigint + 1", domain.EINVALID},
		{"year_0_22008", "SELECT '0000-01-01'::date", domain.EINVALID},
		{"nul_in_text_22021", `SELECT convert_from('\x610062'::bytea, 'UTF8')`, domain.EINVALID},
		{"invalid_utf8_22021", `SELECT convert_from('\xff'::bytea, 'UTF8')`, domain.EINVALID},
		{"division_by_zero_22012", "SELECT 1 / 0", domain.EINVALID},
		{"unique_23505", "INSERT INTO child VALUES (1, 1, 0)", domain.ECONFLICT},
		{"check_23514", "INSERT INTO child VALUES (2, 1, -1)", domain.EINVALID},
		{"not_null_23502", "INSERT INTO child VALUES (3, 1, NULL)", domain.EINVALID},
		{"foreign_key_23503", "INSERT INTO child VALUES (4, 99, 0)", domain.EINVALID},
		{"undefined_table_is_ours_42P01", "SELECT * FROM no_such_table", domain.EINTERNAL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := conn.ExecContext(ctx, tc.sql)
			if err == nil {
				t.Fatalf("%s succeeded", tc.sql)
			}
			if got := domain.ErrorCode(err); got != tc.want {
				t.Errorf("ErrorCode(%v) = %s, want %s", err, got, tc.want)
			}
			if tc.want != domain.EINTERNAL && domain.ErrorMessage(err) == "internal error" {
				t.Errorf("ErrorMessage(%v) hides a client error", err)
			}
			mapped := domain.ErrorCode(mapError(err, "Not found."))
			if tc.want == domain.EINTERNAL && mapped != domain.EINTERNAL || tc.want != domain.EINTERNAL && mapped == domain.EINTERNAL {
				t.Errorf("mapError(%v) = %s", err, mapped)
			}
		})
	}
}
