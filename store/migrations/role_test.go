package migrations_test

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/clientflow/clientflow/store/migrations"
	"github.com/clientflow/clientflow/store/storetest"
)

// roleBlock is the foundation migration's role set-up: its first DO block.
var roleBlock = regexp.MustCompile(`(?s)DO \$\$.*?END \$\$;`)

// TestAppRoleSetUpIsConcurrencySafe runs the foundation's role block at the same moment in several fresh
// databases, as parallel test packages (or deployments sharing a server) do, each inside a transaction held
// open like the rest of the migration holds it. The role is cluster-wide, so every run races for one catalog
// row; before the block caught the loser's error, all but one failed with a duplicate key. The shared
// clientflow_app role is never touched: the block runs under a throwaway role name.
func TestAppRoleSetUpIsConcurrencySafe(t *testing.T) {
	src, err := migrations.FS.ReadFile("20261127000001_foundation.tx.up.sql")
	if err != nil {
		t.Fatal(err)
	}
	block := roleBlock.FindString(string(src))
	if !strings.Contains(block, "CREATE ROLE clientflow_app") || !strings.Contains(block, "GRANT clientflow_app") {
		t.Fatalf("the foundation migration's first DO block no longer sets up the role:\n%s", block)
	}
	role := "cf_roletest_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	block = strings.ReplaceAll(block, "clientflow_app", role)

	admin := mustOpen(t, storetest.AdminURL())
	t.Cleanup(func() { admin.Exec("DROP ROLE IF EXISTS " + role) })
	dbs := mustFreshDatabases(t, admin, 6)

	t.Run("role_created_by_all_at_once", func(t *testing.T) {
		runConcurrently(t, dbs, block)
		assertMemberOnce(t, admin, role)
	})
	t.Run("membership_granted_by_all_at_once", func(t *testing.T) {
		if _, err := admin.Exec("REVOKE " + role + " FROM CURRENT_USER"); err != nil {
			t.Fatal(err)
		}
		runConcurrently(t, dbs, block)
		assertMemberOnce(t, admin, role)
	})
}

// runConcurrently starts the block in every database together and fails on any error.
func runConcurrently(t *testing.T, dbs []*sql.DB, block string) {
	t.Helper()
	start := make(chan struct{})
	errs := make([]error, len(dbs))
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = runInTx(db, block)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("database %d: %v", i, err)
		}
	}
}

// runInTx runs block in a transaction that stays open a moment after it, as the migration's does while its
// tables are created, so that the other sessions' checks cannot yet see this one's role.
func runInTx(db *sql.DB, block string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, block); err != nil {
		return err
	}
	time.Sleep(200 * time.Millisecond)
	return tx.Commit()
}

// assertMemberOnce checks the role exists and the current user holds it exactly once.
func assertMemberOnce(t *testing.T, admin *sql.DB, role string) {
	t.Helper()
	var n int
	err := admin.QueryRow(`SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
		WHERE r.rolname = $1 AND m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)`, role).Scan(&n)
	if err != nil || n != 1 {
		t.Fatalf("current user's memberships in %s: %d (%v), want 1", role, n, err)
	}
}

// mustFreshDatabases creates n empty databases (dropped at cleanup) and opens one connection pool to each.
func mustFreshDatabases(t *testing.T, admin *sql.DB, n int) []*sql.DB {
	t.Helper()
	dbs := make([]*sql.DB, n)
	for i := range dbs {
		name := "cf_roletest_" + strings.ReplaceAll(uuid.NewString()[:13], "-", "")
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
		dbs[i] = mustOpen(t, storetest.WithDatabase(storetest.AdminURL(), name))
	}
	return dbs
}

func mustOpen(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
