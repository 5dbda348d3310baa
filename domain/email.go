package domain

// EmailRequest asks for one templated email. Key is an idempotency key built from business IDs
// (e.g. "password-reset/<token id>"): the same key is sent at most once.
type EmailRequest struct {
	Key      string
	To       string
	Template string
	// Data fills the template (names as the template uses them, e.g. "Name", "ActionURL").
	Data map[string]string
	// Items are the notifications a coalesced notify_<type> email lists (the template reads them as
	// Data.items and shows a list when there is more than one); empty for every other email.
	Items []EmailItem `json:",omitempty"`
	// BrandOrg is the organization whose branding a client-facing email carries (its name as the sender
	// "<name> via ClientFlow", its logo and palette when its plan has custom_branding); "" sends the neutral
	// ClientFlow email. Resolved at send time; it is not part of the idempotency key.
	BrandOrg string `json:",omitempty"`
}

// EmailItem is one notification of a coalesced email: what it says and the absolute URL it opens.
type EmailItem struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	Link  string `json:"link"`
}
