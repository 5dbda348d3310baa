package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun/migrate"

	"github.com/clientflow/clientflow/store/migrations"
)

// migrationLockKey is the advisory-lock key that serialises concurrent migrators.
const migrationLockKey = 727001

// Migrator applies the embedded migrations. It must run as the schema owner (Options.Owner).
type Migrator struct {
	db *DB
	m  *migrate.Migrator
}

// NewMigrator loads the embedded migrations.
func NewMigrator(db *DB) (*Migrator, error) {
	ms := migrate.NewMigrations()
	if err := ms.Discover(migrations.FS); err != nil {
		return nil, fmt.Errorf("store: discover migrations: %w", err)
	}
	return &Migrator{db: db, m: migrate.NewMigrator(db.bun, ms, migrate.WithMarkAppliedOnSuccess(true))}, nil
}

// Up applies every pending migration under a Postgres advisory lock and returns the names applied.
func (mg *Migrator) Up(ctx context.Context) ([]string, error) {
	var applied []string
	err := mg.locked(ctx, func() error {
		group, err := mg.m.Migrate(ctx)
		if err != nil {
			return err
		}
		for _, m := range group.Migrations {
			applied = append(applied, m.Name)
		}
		return nil
	})
	return applied, err
}

// Down rolls back the last applied group under the lock.
func (mg *Migrator) Down(ctx context.Context) ([]string, error) {
	var rolled []string
	err := mg.locked(ctx, func() error {
		group, err := mg.m.Rollback(ctx)
		if err != nil {
			return err
		}
		for _, m := range group.Migrations {
			rolled = append(rolled, m.Name)
		}
		return nil
	})
	return rolled, err
}

// Status lists every migration with whether it has been applied.
func (mg *Migrator) Status(ctx context.Context) (migrate.MigrationSlice, error) {
	if err := mg.m.Init(ctx); err != nil {
		return nil, err
	}
	return mg.m.MigrationsWithStatus(ctx)
}

// locked holds a session-level advisory lock on a dedicated connection while fn runs.
func (mg *Migrator) locked(ctx context.Context, fn func() error) error {
	conn, err := mg.db.bun.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
		return fmt.Errorf("store: migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey)
	if err := mg.m.Init(ctx); err != nil {
		return fmt.Errorf("store: init migrations: %w", err)
	}
	return fn()
}
