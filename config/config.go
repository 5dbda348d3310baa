// Package config loads ClientFlow's settings from the environment (and an optional file) with viper.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// Environments the program knows.
const (
	EnvDevelopment = "development"
	EnvTest        = "test"
	EnvProduction  = "production"
)

// Config is every setting the binaries read. Field tags name the environment variable.
type Config struct {
	Env      string `mapstructure:"APP_ENV"`
	AppURL   string `mapstructure:"APP_URL"`
	HTTPAddr string `mapstructure:"HTTP_ADDR"`
	LogLevel string `mapstructure:"LOG_LEVEL"`
	DataDir  string `mapstructure:"DATA_DIR"`

	DatabaseURL      string `mapstructure:"DATABASE_URL"`
	DatabaseMaxConns int    `mapstructure:"DATABASE_MAX_CONNS"`
	RedisURL         string `mapstructure:"REDIS_URL"`
	// TrustedProxies are comma-separated IPs/CIDRs of load balancers whose X-Forwarded-For is believed.
	TrustedProxies []string `mapstructure:"TRUSTED_PROXIES"`
	SessionSecret  string   `mapstructure:"SESSION_SECRET"`

	// GoogleClientID and GoogleClientSecret turn on "Sign in with Google" (both or neither). GoogleIssuer is
	// Google's OIDC issuer; tests point it at a local provider.
	GoogleClientID     string `mapstructure:"GOOGLE_CLIENT_ID"`
	GoogleClientSecret string `mapstructure:"GOOGLE_CLIENT_SECRET"`
	GoogleIssuer       string `mapstructure:"GOOGLE_ISSUER"`
	// DNSResolver (host:port) answers the TXT lookups of domain verification; empty uses the system's.
	DNSResolver string `mapstructure:"DNS_RESOLVER"`

	TemporalAddress   string `mapstructure:"TEMPORAL_ADDRESS"`
	TemporalNamespace string `mapstructure:"TEMPORAL_NAMESPACE"`
	TemporalTaskQueue string `mapstructure:"TEMPORAL_TASK_QUEUE"`

	EmailFrom     string `mapstructure:"EMAIL_FROM"`
	ResendAPIKey  string `mapstructure:"RESEND_API_KEY"`
	ResendReplyTo string `mapstructure:"RESEND_REPLY_TO_EMAIL"`
	// ResendAPIBase points the Resend client at another server (tests run a local peer); empty is Resend's.
	ResendAPIBase     string `mapstructure:"RESEND_API_BASE"`
	EmailJSPublicKey  string `mapstructure:"EMAILJS_PUBLIC_KEY"`
	EmailJSPrivateKey string `mapstructure:"EMAILJS_PRIVATE_KEY"`
	EmailJSServiceID  string `mapstructure:"EMAILJS_SERVICE_ID"`
	EmailJSTemplateID string `mapstructure:"EMAILJS_TEMPLATE_ID"`

	// RateLimitAPI is API requests per minute per API key (or per IP without a session or key);
	// RateLimitAuth is auth requests per 10 s per IP.
	RateLimitAPI  int `mapstructure:"RATE_LIMIT_API_PER_MINUTE"`
	RateLimitAuth int `mapstructure:"RATE_LIMIT_AUTH_PER_10S"`
	// RateLimitSession is API requests per minute per browser session, higher than RateLimitAPI because one
	// page of the app makes several requests.
	RateLimitSession int `mapstructure:"RATE_LIMIT_SESSION_PER_MINUTE"`

	// FilesDir is where the local file store keeps uploads (default DATA_DIR/files); FilesMaxBytes caps
	// one upload. With all three CLOUDINARY_* keys set, files go to Cloudinary instead.
	FilesDir            string `mapstructure:"FILES_DIR"`
	FilesMaxBytes       int64  `mapstructure:"FILES_MAX_BYTES"`
	CloudinaryCloudName string `mapstructure:"CLOUDINARY_CLOUD_NAME"`
	CloudinaryAPIKey    string `mapstructure:"CLOUDINARY_API_KEY"`
	CloudinaryAPISecret string `mapstructure:"CLOUDINARY_API_SECRET"`

	// Stripe: with STRIPE_SECRET_KEY set, plans are paid through Stripe Checkout and the Customer Portal;
	// without it billing runs self-hosted (owners change plan directly). STRIPE_API_BASE points the SDK at
	// another server (tests use stripe-mock).
	StripeSecretKey           string `mapstructure:"STRIPE_SECRET_KEY"`
	StripeWebhookSecret       string `mapstructure:"STRIPE_WEBHOOK_SECRET"`
	StripePriceIDStarter      string `mapstructure:"STRIPE_PRICE_ID_STARTER"`
	StripePriceIDProfessional string `mapstructure:"STRIPE_PRICE_ID_PROFESSIONAL"`
	StripeAPIBase             string `mapstructure:"STRIPE_API_BASE"`

	// Web push (VAPID, RFC 8292): both keys or neither; without them push notifications are off. The subject
	// (mailto: or https:) tells push services whom to contact about this sender.
	VAPIDPublicKey  string `mapstructure:"VAPID_PUBLIC_KEY"`
	VAPIDPrivateKey string `mapstructure:"VAPID_PRIVATE_KEY"`
	VAPIDSubject    string `mapstructure:"VAPID_SUBJECT"`

	// VerifyReminderAfter is how long the welcome workflow waits before reminding an unverified user.
	VerifyReminderAfter time.Duration `mapstructure:"VERIFY_REMINDER_AFTER"`
	// NotifyEmailWindow is how long a notification email waits for more changes to the same task (or other
	// entity), so a burst of them reaches each recipient as one email; zero means the workflow's default.
	NotifyEmailWindow time.Duration `mapstructure:"NOTIFY_EMAIL_WINDOW"`
	// OpsEmail is the operator's address: it gets one notice per incident when domain events, workflow
	// starts or Stripe events wait for dispatch longer than OpsDelayThreshold. Empty logs the incident only.
	OpsEmail          string        `mapstructure:"OPS_EMAIL"`
	OpsDelayThreshold time.Duration `mapstructure:"OPS_DELAY_THRESHOLD"`

	// WebhookAllowLoopback lets outbound webhooks reach loopback addresses (127.0.0.0/8, ::1), so a developer
	// can point an endpoint at a receiver on their own machine. Every other private range stays refused, and
	// production refuses to start with it.
	WebhookAllowLoopback bool `mapstructure:"WEBHOOK_ALLOW_LOOPBACK"`

	// RequestTimeout is the deadline of every API request: past it, work still waiting on a dependency
	// is abandoned and the client gets a 503 with Retry-After.
	RequestTimeout time.Duration `mapstructure:"REQUEST_TIMEOUT"`
}

// defaults are the local-use values: everything runs on this machine with no accounts.
var defaults = map[string]any{
	"APP_ENV":                      EnvDevelopment,
	"APP_URL":                      "http://localhost:8080",
	"HTTP_ADDR":                    ":8080",
	"LOG_LEVEL":                    "info",
	"DATA_DIR":                     ".data",
	"DATABASE_URL":                 "postgres://postgres@127.0.0.1:5432/clientflow?sslmode=disable",
	"DATABASE_MAX_CONNS":           20,
	"REDIS_URL":                    "",
	"TRUSTED_PROXIES":              "",
	"SESSION_SECRET":               "dev-only-session-secret-change-me-in-production",
	"TEMPORAL_ADDRESS":             "127.0.0.1:7233",
	"TEMPORAL_NAMESPACE":           "clientflow",
	"TEMPORAL_TASK_QUEUE":          "clientflow",
	"EMAIL_FROM":                   "ClientFlow <hello@clientflow.local>",
	"RESEND_API_KEY":               "",
	"RESEND_REPLY_TO_EMAIL":        "",
	"RESEND_API_BASE":              "",
	"EMAILJS_PUBLIC_KEY":           "",
	"EMAILJS_PRIVATE_KEY":          "",
	"EMAILJS_SERVICE_ID":           "",
	"EMAILJS_TEMPLATE_ID":          "",
	"VERIFY_REMINDER_AFTER":        "72h",
	"NOTIFY_EMAIL_WINDOW":          "3m",
	"OPS_EMAIL":                    "",
	"OPS_DELAY_THRESHOLD":          "5m",
	"REQUEST_TIMEOUT":              "30s",
	"FILES_DIR":                    "",
	"FILES_MAX_BYTES":              25 << 20,
	"CLOUDINARY_CLOUD_NAME":        "",
	"CLOUDINARY_API_KEY":           "",
	"CLOUDINARY_API_SECRET":        "",
	"STRIPE_SECRET_KEY":            "",
	"STRIPE_WEBHOOK_SECRET":        "",
	"STRIPE_PRICE_ID_STARTER":      "",
	"STRIPE_PRICE_ID_PROFESSIONAL": "",
	"STRIPE_API_BASE":              "",
	"VAPID_PUBLIC_KEY":             "",
	"VAPID_PRIVATE_KEY":            "",
	"VAPID_SUBJECT":                "",
	"RATE_LIMIT_API_PER_MINUTE":    120,
	"RATE_LIMIT_AUTH_PER_10S":      10,
	"WEBHOOK_ALLOW_LOOPBACK":       false,
	"GOOGLE_CLIENT_ID":             "",
	"GOOGLE_CLIENT_SECRET":         "",
	"GOOGLE_ISSUER":                "https://accounts.google.com",
	"DNS_RESOLVER":                 "",

	"RATE_LIMIT_SESSION_PER_MINUTE": 600,
}

// secrets may also be given as a path in NAME_FILE (Docker/Kubernetes secrets).
var secrets = []string{"DATABASE_URL", "REDIS_URL", "SESSION_SECRET", "RESEND_API_KEY", "EMAILJS_PRIVATE_KEY",
	"CLOUDINARY_API_SECRET", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "VAPID_PRIVATE_KEY",
	"GOOGLE_CLIENT_SECRET"}

// Load reads defaults, then the optional file named by CONFIG_FILE, then the environment.
func Load() (Config, error) {
	v := viper.New()
	for k, val := range defaults {
		v.SetDefault(k, val)
		if err := v.BindEnv(k); err != nil {
			return Config{}, err
		}
	}
	if file := os.Getenv("CONFIG_FILE"); file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("config: CONFIG_FILE %s: %w", file, err)
		}
	}
	for _, name := range secrets {
		if path := os.Getenv(name + "_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return Config{}, fmt.Errorf("config: %s_FILE: %w", name, err)
			}
			v.Set(name, strings.TrimSpace(string(b)))
		}
	}
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// MustLoad loads and validates the configuration, or prints one clear line and exits.
func MustLoad() Config {
	c, err := Load()
	if err == nil {
		err = c.Validate()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	return c
}

// Validate reports the first missing or malformed setting in one sentence naming it.
func (c Config) Validate() error {
	switch c.Env {
	case EnvDevelopment, EnvTest, EnvProduction:
	default:
		return fmt.Errorf("config: APP_ENV must be development, test or production, got %q", c.Env)
	}
	if err := checkURL("APP_URL", c.AppURL, "http", "https"); err != nil {
		return err
	}
	if err := c.checkLocalOnlyDefaults(); err != nil {
		return err
	}
	if c.DatabaseURL == "" {
		return errors.New("config: DATABASE_URL is required (e.g. postgres://user@host:5432/clientflow)")
	}
	if err := checkURL("DATABASE_URL", c.DatabaseURL, "postgres", "postgresql"); err != nil {
		return err
	}
	if c.RedisURL != "" {
		if err := checkURL("REDIS_URL", c.RedisURL, "redis", "rediss"); err != nil {
			return err
		}
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return fmt.Errorf("config: TRUSTED_PROXIES entry %q is not an IP address or CIDR", p)
			}
		}
	}
	if c.DatabaseMaxConns < 1 {
		return fmt.Errorf("config: DATABASE_MAX_CONNS must be at least 1, got %d", c.DatabaseMaxConns)
	}
	if c.Env == EnvProduction && (len(c.SessionSecret) < 32 || c.SessionSecret == defaults["SESSION_SECRET"]) {
		return errors.New("config: SESSION_SECRET must be set to a random value of at least 32 characters in production")
	}
	if c.Env == EnvProduction && c.WebhookAllowLoopback {
		return errors.New("config: WEBHOOK_ALLOW_LOOPBACK is for local development and cannot be set in production")
	}
	if c.TemporalAddress == "" || !strings.Contains(c.TemporalAddress, ":") {
		return fmt.Errorf("config: TEMPORAL_ADDRESS must be host:port, got %q", c.TemporalAddress)
	}
	if c.TemporalNamespace == "" {
		return errors.New("config: TEMPORAL_NAMESPACE is required")
	}
	if c.TemporalTaskQueue == "" {
		return errors.New("config: TEMPORAL_TASK_QUEUE is required")
	}
	if c.RateLimitAPI < 1 || c.RateLimitSession < 1 || c.RateLimitAuth < 1 {
		return errors.New("config: RATE_LIMIT_API_PER_MINUTE, RATE_LIMIT_SESSION_PER_MINUTE and RATE_LIMIT_AUTH_PER_10S must be at least 1")
	}
	if c.VerifyReminderAfter <= 0 {
		return errors.New("config: VERIFY_REMINDER_AFTER must be a positive duration such as 72h")
	}
	if c.NotifyEmailWindow < 0 {
		return errors.New("config: NOTIFY_EMAIL_WINDOW must be a positive duration such as 3m")
	}
	if c.OpsDelayThreshold <= 0 {
		return errors.New("config: OPS_DELAY_THRESHOLD must be a positive duration such as 5m")
	}
	if a, err := mail.ParseAddress(c.OpsEmail); c.OpsEmail != "" && (err != nil || a.Address != c.OpsEmail) {
		return fmt.Errorf("config: OPS_EMAIL %q must be a plain email address (or empty to only log)", c.OpsEmail)
	}
	if c.RequestTimeout <= 0 {
		return errors.New("config: REQUEST_TIMEOUT must be a positive duration such as 30s")
	}
	if c.FilesMaxBytes < 1 {
		return fmt.Errorf("config: FILES_MAX_BYTES must be at least 1, got %d", c.FilesMaxBytes)
	}
	if err := c.validateCloudinary(); err != nil {
		return err
	}
	if err := c.validateStripe(); err != nil {
		return err
	}
	if err := c.validateVAPID(); err != nil {
		return err
	}
	if err := c.validateGoogle(); err != nil {
		return err
	}
	return c.validateEmailJS()
}

// validateGoogle insists on both Google OAuth settings or neither (half a client cannot sign anyone in),
// and an http(s) issuer.
func (c Config) validateGoogle() error {
	if (c.GoogleClientID == "") != (c.GoogleClientSecret == "") {
		return errors.New("config: GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET go together (set both, or neither)")
	}
	if c.GoogleClientID != "" {
		return checkURL("GOOGLE_ISSUER", c.GoogleIssuer, "http", "https")
	}
	return nil
}

// validateCloudinary insists on all three Cloudinary keys or none, since a partial set would silently keep
// files on local disk.
func (c Config) validateCloudinary() error {
	keys := []struct{ name, value string }{{"CLOUDINARY_CLOUD_NAME", c.CloudinaryCloudName},
		{"CLOUDINARY_API_KEY", c.CloudinaryAPIKey}, {"CLOUDINARY_API_SECRET", c.CloudinaryAPISecret}}
	set := 0
	for _, k := range keys {
		if k.value != "" {
			set++
		}
	}
	if set == 0 || set == len(keys) {
		return nil
	}
	for _, k := range keys {
		if k.value == "" {
			return fmt.Errorf("config: %s is missing (Cloudinary needs all three CLOUDINARY_* keys, or none)", k.name)
		}
	}
	return nil
}

// validateStripe insists, once STRIPE_SECRET_KEY is set, on the webhook secret (unsigned events would be
// refused forever) and both price ids (checkout needs them).
func (c Config) validateStripe() error {
	if c.StripeSecretKey == "" {
		return nil
	}
	for _, k := range []struct{ name, value string }{{"STRIPE_WEBHOOK_SECRET", c.StripeWebhookSecret},
		{"STRIPE_PRICE_ID_STARTER", c.StripePriceIDStarter}, {"STRIPE_PRICE_ID_PROFESSIONAL", c.StripePriceIDProfessional}} {
		if k.value == "" {
			return fmt.Errorf("config: %s is missing (required when STRIPE_SECRET_KEY is set)", k.name)
		}
	}
	if c.StripeAPIBase != "" {
		return checkURL("STRIPE_API_BASE", c.StripeAPIBase, "http", "https")
	}
	return nil
}

// validateVAPID insists on both VAPID keys or neither, each the base64url (unpadded) form webpush-go
// generates: the public key an uncompressed P-256 point, the private key a 32-byte scalar; and, once they are
// set, on a mailto: or https: subject, which push services require.
func (c Config) validateVAPID() error {
	if c.VAPIDPublicKey == "" && c.VAPIDPrivateKey == "" {
		return nil
	}
	if c.VAPIDPublicKey == "" || c.VAPIDPrivateKey == "" {
		return errors.New("config: VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together (or neither, for no web push)")
	}
	if b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.VAPIDPublicKey, "=")); err != nil || len(b) != 65 || b[0] != 4 {
		return errors.New("config: VAPID_PUBLIC_KEY must be the base64url of an uncompressed P-256 public key (65 bytes)")
	}
	if b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.VAPIDPrivateKey, "=")); err != nil || len(b) != 32 {
		return errors.New("config: VAPID_PRIVATE_KEY must be the base64url of a 32-byte P-256 private key")
	}
	if !strings.HasPrefix(c.VAPIDSubject, "mailto:") && !strings.HasPrefix(c.VAPIDSubject, "https://") {
		return fmt.Errorf("config: VAPID_SUBJECT must be a mailto: or https: URL when the VAPID keys are set, got %q", c.VAPIDSubject)
	}
	return nil
}

// UsesPush reports whether web push notifications are configured.
func (c Config) UsesPush() bool { return c.VAPIDPublicKey != "" }

// UsesStripe reports whether plans are paid through Stripe rather than changed directly (self-hosted).
func (c Config) UsesStripe() bool { return c.StripeSecretKey != "" }

// UsesCloudinary reports whether files are kept in Cloudinary rather than on local disk.
func (c Config) UsesCloudinary() bool { return c.CloudinaryCloudName != "" }

// FilesDirectory is where the local file store keeps uploads.
func (c Config) FilesDirectory() string {
	if c.FilesDir != "" {
		return c.FilesDir
	}
	return filepath.Join(c.DataDir, "files")
}

// validateEmailJS insists on all four EmailJS keys or none, since a partial set would silently fall back.
func (c Config) validateEmailJS() error {
	keys := map[string]string{
		"EMAILJS_PUBLIC_KEY": c.EmailJSPublicKey, "EMAILJS_PRIVATE_KEY": c.EmailJSPrivateKey,
		"EMAILJS_SERVICE_ID": c.EmailJSServiceID, "EMAILJS_TEMPLATE_ID": c.EmailJSTemplateID,
	}
	set := 0
	for _, v := range keys {
		if v != "" {
			set++
		}
	}
	if set == 0 || set == len(keys) {
		return nil
	}
	for _, name := range []string{"EMAILJS_PUBLIC_KEY", "EMAILJS_PRIVATE_KEY", "EMAILJS_SERVICE_ID", "EMAILJS_TEMPLATE_ID"} {
		if keys[name] == "" {
			return fmt.Errorf("config: %s is missing (EmailJS needs all four EMAILJS_* keys, or none)", name)
		}
	}
	return nil
}

// checkLocalOnlyDefaults refuses a public APP_URL with development mode (its mailbox shows every email to
// any signed-in user) or with the built-in session secret (anyone could forge tokens signed with it).
func (c Config) checkLocalOnlyDefaults() error {
	u, _ := url.Parse(c.AppURL)
	host := u.Hostname()
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	if c.Env == EnvDevelopment {
		return fmt.Errorf("config: APP_ENV=development is only for a loopback APP_URL (got %s); set APP_ENV=production", c.AppURL)
	}
	if c.SessionSecret == defaults["SESSION_SECRET"] {
		return fmt.Errorf("config: SESSION_SECRET must be set to a random value for APP_URL %s", c.AppURL)
	}
	return nil
}

// IsDevelopment reports whether dev-only features (the mailbox page) are on.
func (c Config) IsDevelopment() bool { return c.Env == EnvDevelopment }

// SecureCookies reports whether cookies must carry the Secure flag.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.AppURL, "https://") }

func checkURL(name, raw string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("config: %s is not a valid URL: %q", name, redact(raw))
	}
	for _, s := range schemes {
		if u.Scheme == s {
			return nil
		}
	}
	return fmt.Errorf("config: %s must use scheme %s, got %q", name, strings.Join(schemes, " or "), u.Scheme)
}

// redact hides credentials so a bad URL can be named in an error without leaking its password.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		return u.String()
	}
	return raw
}
