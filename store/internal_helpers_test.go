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
	app, _ := mustOpenInternalWithOwner(t, 1)
	return app
}

// mustOpenInternalWithOwner creates and migrates a throwaway database and opens it as the application role
// (appConns connections) and as the schema owner (to seed rows in bulk or refresh the planner's
// statistics); both close and the database is dropped when t ends.
func mustOpenInternalWithOwner(t *testing.T, appConns int) (app, owner *DB) {
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
	if owner, err = Open(ctx, u.String(), Options{Owner: true, MaxConns: 2}); err != nil {
		t.Fatal(err)
	}
	m, err := NewMigrator(owner)
	if err == nil {
		_, err = m.Up(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	if app, err = Open(ctx, u.String(), Options{MaxConns: appConns}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		app.Close()
		owner.Close()
		adm.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		adm.Close()
	})
	return app, owner
}
