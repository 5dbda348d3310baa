package domain

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Client statuses.
const (
	ClientActive   = "active"
	ClientArchived = "archived"
)

// Client is a customer of the agency.
type Client struct {
	ID             string
	OrganizationID string
	Name           string
	Email          string
	Phone          string
	Company        string
	Website        string
	Notes          string
	Status         string
	// PortalEnabled opens the client portal to the client's contacts; PortalEnabledAt is when it was last
	// switched on (nil while off).
	PortalEnabled   bool
	PortalEnabledAt *time.Time
	// ContactCount is how many people are contacts of the client (read-only).
	ContactCount int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ClientFilter narrows a client list. Cursor is the last ID of the previous page.
type ClientFilter struct {
	Query  string
	Status string
	Limit  int
	Cursor string
}

// ClientUpdate holds the fields a PATCH changes; nil means "leave as is".
type ClientUpdate struct {
	Name, Email, Phone, Company, Website, Notes, Status *string
	PortalEnabled                                       *bool
}

// Apply copies the set fields onto c.
func (u ClientUpdate) Apply(c *Client) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&c.Name, u.Name)
	set(&c.Email, u.Email)
	set(&c.Phone, u.Phone)
	set(&c.Company, u.Company)
	set(&c.Website, u.Website)
	set(&c.Notes, u.Notes)
	set(&c.Status, u.Status)
	if u.PortalEnabled != nil {
		c.PortalEnabled = *u.PortalEnabled
	}
}

// Normalize trims whitespace and fills the default status.
func (c *Client) Normalize() {
	for _, p := range []*string{&c.Name, &c.Email, &c.Phone, &c.Company, &c.Website} {
		*p = strings.TrimSpace(*p)
	}
	c.Email = strings.ToLower(c.Email)
	if c.Status == "" {
		c.Status = ClientActive
	}
}

// Validate checks a client before it is written; field names are the API's body paths.
func (c *Client) Validate() error {
	var fields []FieldError
	add := func(field, msg string) { fields = append(fields, FieldError{Field: field, Message: msg}) }
	if c.Name == "" {
		add("body.name", "is required")
	} else if utf8.RuneCountInString(c.Name) > 200 {
		add("body.name", "must be at most 200 characters")
	}
	if c.Email != "" && ValidateEmail("body.email", c.Email) != nil {
		add("body.email", "must be a valid email address")
	}
	if c.Website != "" && !validWebsite(c.Website) {
		add("body.website", "must be an http or https URL")
	}
	if utf8.RuneCountInString(c.Phone) > 50 {
		add("body.phone", "must be at most 50 characters")
	}
	if utf8.RuneCountInString(c.Company) > 200 {
		add("body.company", "must be at most 200 characters")
	}
	if utf8.RuneCountInString(c.Notes) > 10000 {
		add("body.notes", "must be at most 10000 characters")
	}
	if c.Status != ClientActive && c.Status != ClientArchived {
		add("body.status", "must be active or archived")
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The client is invalid.", Fields: fields}
	}
	return nil
}

func validWebsite(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// ClientContact is a person who follows a client's projects in the client portal: a member of the
// organization with the role client, linked to that client.
type ClientContact struct {
	UserID   string
	Name     string
	Email    string
	Status   string
	JoinedAt time.Time
}
