// Command migrate applies ClientFlow's schema migrations as the database owner.
//
//	migrate up | down | status
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/store"
)

func main() {
	cmd := "up"
	if len(os.Args) > 1 {
		cmd = os.Args[1]
	}
	cfg := config.MustLoad()
	if err := run(context.Background(), cfg.DatabaseURL, cmd); err != nil {
		fmt.Fprintln(os.Stderr, "migrate:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dsn, cmd string) error {
	db, err := store.Open(ctx, dsn, store.Options{Owner: true, MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := store.NewMigrator(db)
	if err != nil {
		return err
	}
	switch cmd {
	case "up":
		names, err := m.Up(ctx)
		fmt.Printf("applied %d migration(s) %v\n", len(names), names)
		return err
	case "down":
		names, err := m.Down(ctx)
		fmt.Printf("rolled back %v\n", names)
		return err
	case "status":
		ms, err := m.Status(ctx)
		for _, mg := range ms {
			state := "pending"
			if mg.IsApplied() {
				state = "applied"
			}
			fmt.Printf("%-8s %s\n", state, mg.Name)
		}
		return err
	}
	return fmt.Errorf("unknown command %q (want up, down or status)", cmd)
}
