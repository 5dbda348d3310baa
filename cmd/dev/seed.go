package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/clientflow/clientflow/api"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// demoAccount is the login printed by `make run`.
type demoAccount struct{ Email, Password string }

var demo = demoAccount{Email: "demo@clientflow.local", Password: "demo-password"}

// prepareDatabase creates the database named in dsn when it is missing, then migrates it.
func prepareDatabase(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	admin := *u
	admin.Path = "/postgres"
	db, err := sql.Open("pgx", admin.String())
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE DATABASE "`+strings.ReplaceAll(name, `"`, `""`)+`"`); err != nil {
		var pgErr *pgconn.PgError
		if !(errors.As(err, &pgErr) && pgErr.Code == "42P04") { // 42P04: it already exists
			return fmt.Errorf("create database %s: %w", name, err)
		}
	} else {
		fmt.Printf("dev: created database %s\n", name)
	}
	owner, err := store.Open(ctx, dsn, store.Options{Owner: true, MaxConns: 2})
	if err != nil {
		return err
	}
	defer owner.Close()
	m, err := store.NewMigrator(owner)
	if err != nil {
		return err
	}
	applied, err := m.Up(ctx)
	if len(applied) > 0 {
		fmt.Printf("dev: applied migrations %v\n", applied)
	}
	return err
}

// seedDemo creates the demo user, organization and a few clients on first run.
func seedDemo(ctx context.Context, dsn string) (demoAccount, error) {
	db, err := store.Open(ctx, dsn, store.Options{MaxConns: 2})
	if err != nil {
		return demo, err
	}
	defer db.Close()
	if _, err := db.UserByEmail(ctx, demo.Email); err == nil {
		return demo, nil
	}
	hash, err := api.HashPassword(demo.Password)
	if err != nil {
		return demo, err
	}
	u := &domain.User{Name: "Dana Demo", Email: demo.Email, PasswordHash: hash}
	if err := db.CreateUser(ctx, u); err != nil {
		return demo, err
	}
	if _, err := db.VerifyEmail(ctx, u.ID); err != nil {
		return demo, err
	}
	// The demo organization's due-date reminders go through the workflow outbox, as a new organization's do.
	var org *domain.Organization
	err = db.Atomically(ctx, "", "", func(ctx context.Context) (err error) {
		if org, err = db.CreateOrganization(ctx, "Demo Agency", u.ID); err != nil {
			return err
		}
		due := domain.DueRemindersStart(org.ID)
		return db.EnqueueStarts(ctx, &due)
	})
	if err != nil {
		return demo, err
	}
	if err := seedTeam(ctx, db, org.ID, u.ID, hash); err != nil {
		return demo, err
	}
	var northwind *domain.Client
	for _, c := range []domain.Client{
		{Name: "Northwind Traders", Company: "Northwind Traders Ltd", Email: "ops@northwind.example", Phone: "+44 20 7946 0000", Website: "https://northwind.example"},
		{Name: "Globex Corporation", Company: "Globex", Email: "hank@globex.example", Notes: "Quarterly retainer; prefers calls on Tuesdays."},
		{Name: "Initech", Company: "Initech LLC", Email: "bill@initech.example", Status: domain.ClientArchived},
		{Name: "Umbrella Health", Company: "Umbrella Health Group", Email: "it@umbrella.example", Phone: "+1 555 0100"},
		{Name: "Acme Studio", Company: "Acme", Email: "hello@acme.example", Website: "https://acme.example"},
	} {
		c := c
		if err := db.CreateClient(ctx, org.ID, u.ID, &c); err != nil {
			return demo, err
		}
		if northwind == nil {
			northwind = &c
		}
	}
	if err := seedPortal(ctx, db, org.ID, u.ID, northwind.ID, hash); err != nil {
		return demo, err
	}
	fmt.Printf("dev: seeded the demo workspace %q\n", org.Name)
	return demo, nil
}

// seedTeam brings two teammates in through the real invitation path, so the members page has a team.
// They share the demo password.
func seedTeam(ctx context.Context, db *store.DB, orgID, ownerID, passwordHash string) error {
	for _, m := range []struct{ name, email, role string }{
		{"Mia Manager", "mia@clientflow.local", domain.RoleManager},
		{"Max Member", "max@clientflow.local", domain.RoleMember},
	} {
		u := &domain.User{Name: m.name, Email: m.email, PasswordHash: passwordHash}
		if err := db.CreateUser(ctx, u); err != nil {
			return err
		}
		token := []byte("demo-invitation/" + m.email)
		inv := &domain.Invitation{OrganizationID: orgID, Email: m.email, Role: m.role, InvitedBy: ownerID}
		if err := db.CreateInvitation(ctx, inv, token); err != nil {
			return err
		}
		if _, _, err := db.AcceptInvitation(ctx, token, u.ID, func(*domain.Invitation) error { return nil }); err != nil {
			return err
		}
	}
	return nil
}

// portalContact is the demo client contact: Northwind's portal is on, so signing in as them opens it.
const portalContact = "nora@northwind.example"

// seedPortal gives Northwind a shared project with a few tasks, turns its portal on and brings in a contact
// through the real contact invitation path (sharing the demo password).
func seedPortal(ctx context.Context, db *store.DB, orgID, ownerID, clientID, passwordHash string) error {
	owner := domain.Viewer{UserID: ownerID, Role: domain.RoleOwner}
	p := &domain.Project{ClientID: clientID, Name: "Website redesign", Status: domain.ProjectActive,
		Description: "New marketing site: discovery, design, build and launch."}
	if err := db.CreateProject(ctx, orgID, owner, p, ""); err != nil {
		return err
	}
	for _, title := range []string{"Kick-off workshop", "Sitemap and wireframes", "Visual design", "Build the CMS templates"} {
		if err := db.CreateTask(ctx, orgID, owner, p.ID, &domain.Task{Title: title}); err != nil {
			return err
		}
	}
	on := true
	if _, err := db.UpdateClient(ctx, orgID, ownerID, clientID, func(c *domain.Client) {
		domain.ClientUpdate{PortalEnabled: &on}.Apply(c)
	}); err != nil {
		return err
	}
	contact := &domain.User{Name: "Nora Northwind", Email: portalContact, PasswordHash: passwordHash}
	if err := db.CreateUser(ctx, contact); err != nil {
		return err
	}
	token := []byte("demo-invitation/" + portalContact)
	inv := domain.ContactInvitation(orgID, clientID, portalContact, ownerID)
	if err := db.CreateInvitation(ctx, inv, token); err != nil {
		return err
	}
	_, _, err := db.AcceptInvitation(ctx, token, contact.ID, func(*domain.Invitation) error { return nil })
	return err
}
