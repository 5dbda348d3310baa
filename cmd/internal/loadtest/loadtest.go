// Package loadtest holds what the load programs (cmd/bench, cmd/soak) share: a fresh migrated database
// and the bulk SQL seeding of an organization's work data. They are main packages and cannot import each
// other; this keeps one copy of the seed, so both measure the same shape of data.
package loadtest

import (
	"context"
	"database/sql"

	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// FreshDatabase drops and recreates database name on the admin server, migrates it, and returns its URL.
func FreshDatabase(ctx context.Context, admin *sql.DB, name string) (string, error) {
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	dsn := storetest.WithDatabase(storetest.AdminURL(), name)
	owner, err := store.Open(ctx, dsn, store.Options{Owner: true, MaxConns: 2})
	if err != nil {
		return "", err
	}
	defer owner.Close()
	m, err := store.NewMigrator(owner)
	if err == nil {
		_, err = m.Up(ctx)
	}
	return dsn, err
}
