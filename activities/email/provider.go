package email

import (
	"log/slog"
	"net/http"
	"slices"
	"time"
)

// Config selects and configures the provider; empty fields mean "not configured".
type Config struct {
	// From is the sender address for Resend; EmailJS takes it from its own template.
	From string
	// ReplyTo is where replies go; optional.
	ReplyTo string

	// ResendAPIKey (RESEND_API_KEY) selects Resend unless EmailJS is configured.
	ResendAPIKey string
	// ResendBaseURL overrides the Resend API base; empty means the SDK default.
	ResendBaseURL string

	// EmailJSPublicKey, EmailJSPrivateKey, EmailJSServiceID and EmailJSTemplateID
	// (EMAILJS_*) select EmailJS when all four are set.
	EmailJSPublicKey  string
	EmailJSPrivateKey string
	EmailJSServiceID  string
	EmailJSTemplateID string
	// EmailJSBaseURL overrides https://api.emailjs.com.
	EmailJSBaseURL string
}

// defaultTimeout bounds one provider call so a hung provider cannot hold an activity forever.
const defaultTimeout = 30 * time.Second

// NewProvider applies the product's routing rule: EmailJS when all its keys are
// set, else Resend when RESEND_API_KEY is set, else the local dev mailbox.
// A nil httpClient gets a client with a 30s timeout; a nil logger discards.
func NewProvider(cfg Config, httpClient *http.Client, logger *slog.Logger) Provider {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: defaultTimeout}
	}
	missing := cfg.missingEmailJSKeys()
	if len(missing) == 0 {
		return newEmailJS(cfg, httpClient)
	}
	if len(missing) < 4 {
		// Half a configuration is almost certainly a mistake worth seeing in the logs.
		logger.Warn("email: EmailJS partly configured, not using it", "missing", missing)
	}
	if cfg.ResendAPIKey != "" {
		return newResend(cfg, httpClient)
	}
	return newMailbox(logger)
}

// missingEmailJSKeys names the EmailJS settings that are empty.
func (cfg Config) missingEmailJSKeys() []string {
	var missing []string
	for name, value := range map[string]string{
		"EMAILJS_PUBLIC_KEY":  cfg.EmailJSPublicKey,
		"EMAILJS_PRIVATE_KEY": cfg.EmailJSPrivateKey,
		"EMAILJS_SERVICE_ID":  cfg.EmailJSServiceID,
		"EMAILJS_TEMPLATE_ID": cfg.EmailJSTemplateID,
	} {
		if value == "" {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	return missing
}
