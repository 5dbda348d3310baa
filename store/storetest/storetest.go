// Package storetest gives tests a throwaway, migrated PostgreSQL database of their own.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/clientflow/clientflow/store"
)

// AdminURL is the server tests create their databases on: TEST_DATABASE_URL, else the local default.
func AdminURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// DB is a fresh database: App connects as the RLS-bound application role, Owner as the schema owner.
type DB struct {
	URL   string
	App   *store.DB
	Owner *store.DB
}

// MustOpen creates a uniquely named database, migrates it, and drops it when the test ends.
func MustOpen(tb testing.TB) *DB {
	tb.Helper()
	ctx := context.Background()
	name := "cf_test_" + strings.ReplaceAll(uuid.NewString()[:13], "-", "")
	admin, err := sql.Open("pgx", AdminURL())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("storetest: create database (is PostgreSQL running at %s?): %v", AdminURL(), err)
	}
	dsn := WithDatabase(AdminURL(), name)
	d := &DB{URL: dsn}
	tb.Cleanup(func() {
		if d.App != nil {
			d.App.Close()
		}
		if d.Owner != nil {
			d.Owner.Close()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	})
	if d.Owner, err = store.Open(ctx, dsn, store.Options{Owner: true, MaxConns: 4}); err != nil {
		tb.Fatal(err)
	}
	m, err := store.NewMigrator(d.Owner)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := m.Up(ctx); err != nil {
		tb.Fatalf("storetest: migrate: %v", err)
	}
	if d.App, err = store.Open(ctx, dsn, store.Options{MaxConns: 20}); err != nil {
		tb.Fatal(err)
	}
	return d
}

// WithDatabase returns dsn pointing at database name.
func WithDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(fmt.Sprintf("storetest: bad URL %q: %v", dsn, err))
	}
	u.Path = "/" + name
	return u.String()
}
