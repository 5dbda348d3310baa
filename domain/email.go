package domain

// EmailRequest asks for one templated email. Key is an idempotency key built from business IDs
// (e.g. "password-reset/<token id>"): the same key is sent at most once.
type EmailRequest struct {
	Key      string
	To       string
	Template string
	// Data fills the template (names as the template uses them, e.g. "Name", "ActionURL").
	Data map[string]string
}
