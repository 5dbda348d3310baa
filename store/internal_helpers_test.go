package store

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// mustOpenInternal is storetest.MustOpen for tests inside package store (storetest imports store).
func mustOpenInternal(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	admin := "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		admin = u
	}
	name := "cf_itest_" + strings.ReplaceAll(uuid.NewString()[:13], "-", "")
	adm, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := adm.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	owner, err := Open(ctx, u.String(), Options{Owner: true, MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMigrator(owner)
	if err == nil {
		_, err = m.Up(ctx)
	}
	owner.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, u.String(), Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		adm.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		adm.Close()
	})
	return db
}
