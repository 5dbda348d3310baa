// Package store is ClientFlow's PostgreSQL storage through bun: models, queries, tenant scoping and migrations.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/stream"
)

// AppRole is the role every API and worker connection switches to: not owner, not superuser, no BYPASSRLS,
// so row-level security always applies.
const AppRole = "clientflow_app"

// DB is the application's database handle. Tenant methods take the organization ID explicitly and run
// inside a transaction that sets app.org_id for row-level security.
type DB struct {
	bun *bun.DB
	// publisher receives the change messages of every committed transaction (see SetPublisher); nil
	// publishes nothing.
	publisher stream.Publisher
}

// Options tunes the connection pool.
type Options struct {
	MaxConns int
	// Owner keeps the login role instead of switching to AppRole; only migrations and tests use it.
	Owner bool
	// Tracer sees every statement pgx sends (tests count them with it).
	Tracer pgx.QueryTracer
}

// Open connects to PostgreSQL and verifies the connection.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: parse DATABASE_URL: %w", err)
	}
	// pgx's default prepares every new SQL text and caches it. bun inlines argument values, so its SQL is
	// new text on nearly every call: preparing it costs an extra round trip (and a later DEALLOCATE) for a
	// statement used once. The pool therefore runs statements unprepared, in one round trip; hot
	// statements written with $n placeholders opt back in (see prepared and tenantRead).
	cfg.DefaultQueryExecMode = pgx.QueryExecModeExec
	cfg.Tracer = opt.Tracer
	// Without a connect timeout a dial to an unreachable host waits for the kernel (minutes); with one, a
	// request fails fast with 503 while Postgres is away and the next request dials again.
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	var opts []stdlib.OptionOpenDB
	if !opt.Owner {
		opts = append(opts, stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
			_, err := c.Exec(ctx, "SET ROLE "+AppRole)
			return err
		}))
	}
	sqldb := stdlib.OpenDB(*cfg, opts...)
	if opt.MaxConns > 0 {
		sqldb.SetMaxOpenConns(opt.MaxConns)
		sqldb.SetMaxIdleConns(opt.MaxConns)
	}
	// A pooled connection idle for over a second is pinged before reuse (pgx's ResetSession) and dropped
	// when dead, so the pool heals by itself after a Postgres restart; the lifetime cap also rebalances
	// connections onto a failed-over primary.
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	sqldb.SetConnMaxLifetime(30 * time.Minute)
	db := &DB{bun: bun.NewDB(sqldb, pgdialect.New())}
	if err := db.Ping(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	return db, nil
}

// connectTimeout bounds one dial to Postgres unless DATABASE_URL sets connect_timeout.
const connectTimeout = 5 * time.Second

// Close releases every connection.
func (db *DB) Close() error { return db.bun.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.bun.PingContext(ctx) }

// Bun exposes the underlying handle for migrations, tests and benchmarks.
func (db *DB) Bun() *bun.DB { return db.bun }

// Hot-path statements use $n placeholders through database/sql instead of bun's formatted SQL: the text
// stays constant, so pgx prepares each once per connection and Postgres reuses its plan, where bun's
// inlined values would make every query text new.
const setTenantSQL = "SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)"

// tenantTx is the transaction a caller already opened for an organization (see Idempotent).
type tenantTx struct {
	tx    bun.Tx
	orgID string
	// changes collects the transaction's live messages, published once it commits.
	changes *changes
}

type tenantTxKey struct{}

// inTenant runs fn in one transaction scoped to orgID (and the acting user, when known) for row-level
// security. When ctx already carries a transaction for the same organization, fn joins it, so a caller
// can make several store calls atomic.
func (db *DB) inTenant(ctx context.Context, orgID, userID string, fn func(ctx context.Context, tx bun.Tx) error) error {
	if !validUUID(orgID) {
		return domain.Errorf(domain.ENOTFOUND, "Organization not found.")
	}
	if t, ok := ctx.Value(tenantTxKey{}).(tenantTx); ok && t.orgID == orgID {
		return fn(ctx, t.tx)
	} else if ok && t.orgID == "" {
		// An unscoped transaction (see Atomically) takes the scope of the tenant call made inside it, so a
		// new organization and the workflow start it needs commit together.
		if _, err := t.tx.Tx.ExecContext(ctx, setTenantSQL, prepared, orgID, userID); err != nil {
			return err
		}
		return fn(context.WithValue(ctx, tenantTxKey{}, tenantTx{tx: t.tx, orgID: orgID, changes: t.changes}), t.tx)
	}
	c := &changes{}
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.Tx.ExecContext(ctx, setTenantSQL, prepared, orgID, userID); err != nil {
			return err
		}
		return fn(context.WithValue(ctx, tenantTxKey{}, tenantTx{tx: tx, orgID: orgID, changes: c}), tx)
	})
	if err == nil {
		db.publish(c)
	}
	return err
}

// prepared, passed as the first argument of a statement run through database/sql, makes pgx prepare it
// once per connection so Postgres reuses its plan. Use it for hot statements with $n placeholders only.
const prepared = pgx.QueryExecModeCacheStatement

// read is one statement of a tenantRead batch: its SQL with $n placeholders, its arguments and the
// function that consumes its rows.
type read struct {
	sql  string
	args []any
	scan func(pgx.Rows) error
}

// tenantRead runs reads in a single round trip: the tenant scope and the statements go to Postgres as one
// pipelined batch, which runs as one implicit transaction, so the transaction-local app.org_id applies to
// every statement without a BEGIN/COMMIT exchange. Each statement is prepared once per connection; their
// texts must come from a fixed set (a filter combination, never a value). Use it only for reads.
func (db *DB) tenantRead(ctx context.Context, orgID, userID string, reads ...read) error {
	if !validUUID(orgID) {
		return domain.Errorf(domain.ENOTFOUND, "Organization not found.")
	}
	conn, err := db.bun.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		b := &pgx.Batch{}
		for _, q := range append([]read{{sql: setTenantSQL}}, reads...) {
			// Preparing a name already prepared on this connection is a map lookup, not a round trip.
			if _, err := pc.Prepare(ctx, q.sql, q.sql); err != nil {
				return err
			}
		}
		b.Queue(setTenantSQL, orgID, userID)
		for _, q := range reads {
			b.Queue(q.sql, q.args...)
		}
		br := pc.SendBatch(ctx, b)
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return err
		}
		for _, q := range reads {
			if err := scanAll(br, q.scan); err != nil {
				return err
			}
		}
		return br.Close()
	})
}

func scanAll(br pgx.BatchResults, scan func(pgx.Rows) error) error {
	rows, err := br.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := scan(rows); err != nil {
		return err
	}
	rows.Close()
	return rows.Err()
}

// tenantQuery is tenantRead with one statement.
func (db *DB) tenantQuery(ctx context.Context, orgID, userID, query string, args []any, scan func(pgx.Rows) error) error {
	return db.tenantRead(ctx, orgID, userID, read{sql: query, args: args, scan: scan})
}

// newID returns a UUIDv7: unique, and time-ordered so the primary key doubles as a creation order.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// validUUID reports whether s can be a row ID: only the canonical lower-case 8-4-4-4-12 form, the one
// Postgres writes, so another spelling of an id (upper-case, braced, urn:uuid:, unhyphenated) is "not
// found" instead of an alias of the same row.
func validUUID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

// mapError turns Postgres errors a client can cause into domain errors; everything else passes through.
// Errors that skip it still reach the client as 4xx: domain.ErrorCode maps SQLSTATE classes 22 and 23.
func mapError(err error, notFound string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, "%s", notFound)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return domain.Errorf(domain.ECONFLICT, "That already exists.")
		case "23503":
			return domain.Errorf(domain.ENOTFOUND, "A referenced record does not exist.")
		case "23514", "22001", "22P02":
			return domain.Errorf(domain.EINVALID, "The request is invalid.")
		}
		if code := domain.ErrorCode(pgErr); code != domain.EINTERNAL {
			return domain.Errorf(code, "%s", domain.ErrorMessage(pgErr))
		}
	}
	return err
}
