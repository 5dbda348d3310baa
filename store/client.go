package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// clientRow is the clients table.
type clientRow struct {
	bun.BaseModel `bun:"table:clients,alias:c"`

	ID              string     `bun:"id,pk"`
	OrganizationID  string     `bun:"organization_id"`
	Name            string     `bun:"name"`
	Email           string     `bun:"email"`
	Phone           string     `bun:"phone"`
	Company         string     `bun:"company"`
	Website         string     `bun:"website"`
	Notes           string     `bun:"notes"`
	Status          string     `bun:"status"`
	PortalEnabled   bool       `bun:"portal_enabled"`
	PortalEnabledAt *time.Time `bun:"portal_enabled_at"`
	ContactCount    int        `bun:"contact_count,scanonly"`
	CreatedBy       *string    `bun:"created_by"`
	CreatedAt       time.Time  `bun:"created_at"`
	UpdatedAt       time.Time  `bun:"updated_at"`
}

func (r *clientRow) domain() *domain.Client {
	return &domain.Client{ID: r.ID, OrganizationID: r.OrganizationID, Name: r.Name, Email: r.Email, Phone: r.Phone,
		Company: r.Company, Website: r.Website, Notes: r.Notes, Status: r.Status, PortalEnabled: r.PortalEnabled,
		PortalEnabledAt: r.PortalEnabledAt, ContactCount: r.ContactCount, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func clientRowFrom(c *domain.Client) clientRow {
	return clientRow{ID: c.ID, OrganizationID: c.OrganizationID, Name: c.Name, Email: c.Email, Phone: c.Phone,
		Company: c.Company, Website: c.Website, Notes: c.Notes, Status: c.Status, PortalEnabled: c.PortalEnabled,
		PortalEnabledAt: c.PortalEnabledAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// clientColumns are the columns a Client carries (created_by is internal) from clients c, its contacts
// counted in the same statement.
const clientColumns = `c.id, c.organization_id, c.name, c.email, c.phone, c.company, c.website, c.notes, c.status,
	c.portal_enabled, c.portal_enabled_at, (SELECT count(*) FROM organization_memberships m
		WHERE m.organization_id = c.organization_id AND m.client_id = c.id) AS contact_count, c.created_at, c.updated_at`

const clientNotFound = "Client not found."

// CreateClient validates and inserts c into orgID on behalf of userID, filling ID and timestamps.
// Errors: EINVALID.
func (db *DB) CreateClient(ctx context.Context, orgID, userID string, c *domain.Client) error {
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	c.ID, c.OrganizationID, c.CreatedAt, c.UpdatedAt = newID(), orgID, now, now
	row := clientRowFrom(c)
	if userID != "" {
		row.CreatedBy = &userID
	}
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return err
		}
		if err := recordEvent(ctx, tx, orgID, clientEvent(domain.EventClientCreated, c, userID)); err != nil {
			return err
		}
		return bumpUsage(ctx, tx, orgID, domain.UsageClients, 1)
	})
	return mapError(err, clientNotFound)
}

// clientEvent is typ with the client's documented payload (domain.ClientEventPayload).
func clientEvent(typ string, c *domain.Client, actorID string) domain.Event {
	return domain.Event{Type: typ, EntityType: "client", EntityID: c.ID, ActorID: actorID,
		Payload: domain.EventPayloadMap(clientPayload(c, nil))}
}

func clientPayload(c *domain.Client, changed []string) domain.ClientEventPayload {
	return domain.ClientEventPayload{ClientID: c.ID, Name: c.Name, Email: c.Email, Company: c.Company,
		Status: c.Status, PortalEnabled: c.PortalEnabled, Changed: changed}
}

// clientChanges lists the fields an update changed, in the order of the form.
func clientChanges(before, after *domain.Client) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{
		{"name", before.Name == after.Name}, {"email", before.Email == after.Email},
		{"phone", before.Phone == after.Phone}, {"company", before.Company == after.Company},
		{"website", before.Website == after.Website}, {"notes", before.Notes == after.Notes},
		{"status", before.Status == after.Status}, {"portal_enabled", before.PortalEnabled == after.PortalEnabled},
	} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// Client returns one client of orgID. Errors: ENOTFOUND (also for another tenant's ID).
func (db *DB) Client(ctx context.Context, orgID, id string) (*domain.Client, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, clientNotFound)
	}
	var row clientRow
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(&row).ColumnExpr(clientColumns).
			Where("c.organization_id = ? AND c.id = ?", orgID, id).Scan(ctx)
	})
	if err != nil {
		return nil, mapError(err, clientNotFound)
	}
	return row.domain(), nil
}

// Clients lists orgID's clients newest first, one page at a time. The returned cursor is empty on the
// last page. Errors: EINVALID for a malformed cursor.
func (db *DB) Clients(ctx context.Context, orgID string, f domain.ClientFilter) ([]*domain.Client, string, error) {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var rows []clientRow
	query, args := clientListSQL(orgID, f, after)
	err = db.tenantQuery(ctx, orgID, "", query, args, func(r pgx.Rows) error {
		for r.Next() {
			var c clientRow
			if err := r.Scan(&c.ID, &c.OrganizationID, &c.Name, &c.Email, &c.Phone, &c.Company, &c.Website,
				&c.Notes, &c.Status, &c.PortalEnabled, &c.PortalEnabledAt, &c.ContactCount, &c.CreatedAt, &c.UpdatedAt); err != nil {
				return err
			}
			rows = append(rows, c)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		next = encodeCursor(rows[len(rows)-1].ID)
	}
	out := make([]*domain.Client, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, next, nil
}

// clientListSQL builds the list query with $n placeholders (see setTenantSQL): only the filters in use
// appear, so each combination is one cached statement.
func clientListSQL(orgID string, f domain.ClientFilter, after string) (string, []any) {
	var b strings.Builder
	args := []any{orgID}
	b.WriteString("SELECT " + clientColumns + " FROM clients c WHERE c.organization_id = $1")
	add := func(cond string, v any) {
		args = append(args, v)
		fmt.Fprintf(&b, cond, len(args))
	}
	if f.Status != "" {
		add(" AND c.status = $%d", f.Status)
	}
	if after != "" {
		add(" AND c.id < $%d", after)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		// search is lower(name, email, company), a stored column (see migration 20261127000002).
		add(" AND c.search LIKE $%d", "%"+escapeLike(strings.ToLower(s))+"%")
	}
	add(" ORDER BY c.id DESC LIMIT $%d", f.Limit+1)
	return b.String(), args
}

// UpdateClient loads the client, lets change modify it, validates and saves it, all in one transaction,
// on behalf of actorID. Switching the portal on stamps portal_enabled_at and records client.portal_enabled
// (the fan-out tells the contacts, once per enabling); switching it off clears the stamp.
// Errors: ENOTFOUND, EINVALID.
func (db *DB) UpdateClient(ctx context.Context, orgID, actorID, id string, change func(*domain.Client)) (*domain.Client, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, clientNotFound)
	}
	var out *domain.Client
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var row clientRow
		if err := tx.NewSelect().Model(&row).ColumnExpr(clientColumns).
			Where("c.organization_id = ? AND c.id = ?", orgID, id).For("UPDATE OF c").Scan(ctx); err != nil {
			return err
		}
		c := row.domain()
		before := *c
		wasEnabled := c.PortalEnabled
		change(c)
		c.Normalize()
		if err := c.Validate(); err != nil {
			return err
		}
		changed := clientChanges(&before, c)
		if len(changed) == 0 {
			// Nothing changed (a repeated or empty update): no write, so no client.updated either.
			out = &before
			return nil
		}
		c.UpdatedAt = time.Now().UTC().Truncate(time.Microsecond)
		switch {
		case c.PortalEnabled && !wasEnabled:
			c.PortalEnabledAt = &c.UpdatedAt
		case !c.PortalEnabled:
			c.PortalEnabledAt = nil
		}
		upd := clientRowFrom(c)
		if _, err := tx.NewUpdate().Model(&upd).
			Column("name", "email", "phone", "company", "website", "notes", "status", "portal_enabled",
				"portal_enabled_at", "updated_at").
			Where("organization_id = ? AND id = ?", orgID, id).Exec(ctx); err != nil {
			return err
		}
		out = c
		ev := clientEvent(domain.EventClientUpdated, c, actorID)
		ev.Payload = domain.EventPayloadMap(clientPayload(c, changed))
		if err := recordEvent(ctx, tx, orgID, ev); err != nil {
			return err
		}
		if !c.PortalEnabled || wasEnabled {
			return nil
		}
		return recordEvent(ctx, tx, orgID, domain.Event{Type: domain.EventClientPortalEnabled, EntityType: "client",
			EntityID: c.ID, ActorID: actorID, Payload: map[string]any{"client_id": c.ID, "client_name": c.Name}})
	})
	return out, mapError(err, clientNotFound)
}

// DeleteClient removes a client on behalf of actorID. Errors: ENOTFOUND, ECONFLICT (it has invoices).
func (db *DB) DeleteClient(ctx context.Context, orgID, actorID, id string) error {
	if !validUUID(id) {
		return domain.Errorf(domain.ENOTFOUND, clientNotFound)
	}
	return db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		// Invoices keep their client (the foreign key restricts): say so instead of a foreign-key error.
		billed, err := tx.NewSelect().TableExpr("invoices").Where("organization_id = ? AND client_id = ?", orgID, id).Exists(ctx)
		if err != nil {
			return err
		}
		if billed {
			return domain.Errorf(domain.ECONFLICT, "This client has invoices, so it cannot be deleted; archive it instead.")
		}
		// The client's contacts go with it (their memberships cascade): like a removal, each one's
		// team.member_removed ends their open live streams at once.
		var contacts []struct {
			UserID string `bun:"user_id"`
			Name   string `bun:"name"`
			Email  string `bun:"email"`
		}
		if err := tx.NewRaw(`SELECT m.user_id::text, u.name, u.email FROM organization_memberships m
			JOIN users u ON u.id = m.user_id WHERE m.organization_id = ? AND m.client_id = ? ORDER BY m.created_at`,
			orgID, id).Scan(ctx, &contacts); err != nil {
			return err
		}
		// Its projects stay, without a client (the foreign key would detach them silently on the delete):
		// detach them first, so each gets the project.updated a receiver tracking client_id needs.
		var detached []projectRow
		if err := tx.NewRaw(`UPDATE projects SET client_id = NULL, updated_at = now() WHERE organization_id = ? AND client_id = ?
			RETURNING id, organization_id, client_id, name, status, start_date, due_date, archived_at`, orgID, id).
			Scan(ctx, &detached); err != nil {
			return err
		}
		var deleted clientRow
		err = tx.NewRaw(`DELETE FROM clients WHERE organization_id = ? AND id = ?
			RETURNING id, organization_id, name, email, company, status, portal_enabled`, orgID, id).Scan(ctx, &deleted)
		if err != nil {
			return mapError(err, clientNotFound)
		}
		for i := range detached {
			if err := recordEvent(ctx, tx, orgID, projectEvent(domain.EventProjectUpdated, detached[i].domain(), actorID,
				0, []string{"client_id"})); err != nil {
				return err
			}
		}
		for _, c := range contacts {
			if err := recordEvent(ctx, tx, orgID, memberEvent(domain.EventMemberRemoved, actorID, domain.MemberEventPayload{
				UserID: c.UserID, Name: c.Name, Email: c.Email, Role: domain.RoleClient, ClientID: &id})); err != nil {
				return err
			}
		}
		return recordEvent(ctx, tx, orgID, clientEvent(domain.EventClientDeleted, deleted.domain(), actorID))
	})
}

// encodeCursor makes the opaque cursor for "rows after this ID".
func encodeCursor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

func decodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !validUUID(string(b)) {
		return "", domain.Invalid("query.cursor", "is not a valid cursor")
	}
	return string(b), nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// escapeLike makes user input match literally inside a LIKE pattern.
func escapeLike(s string) string { return likeEscaper.Replace(s) }
