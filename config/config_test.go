package config_test

import (
	"os"
	"strings"
	"testing"

	"github.com/clientflow/clientflow/config"
)

func TestLoadDefaultsAreValid(t *testing.T) {
	c, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("local defaults must validate: %v", err)
	}
	if c.TemporalNamespace != "clientflow" || c.RateLimitAPI != 120 || c.RateLimitSession != 600 || c.RateLimitAuth != 10 {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestValidateNamesTheBadSetting(t *testing.T) {
	for _, tc := range []struct {
		env, value, mention string
	}{
		{"APP_ENV", "staging", "APP_ENV"},
		{"APP_URL", "not a url", "APP_URL"},
		{"DATABASE_URL", "mysql://x/y", "DATABASE_URL"},
		{"REDIS_URL", "http://x", "REDIS_URL"},
		{"TEMPORAL_ADDRESS", "nohostport", "TEMPORAL_ADDRESS"},
		{"EMAILJS_PUBLIC_KEY", "only-one", "EMAILJS_PRIVATE_KEY"},
		{"TRUSTED_PROXIES", "10.0.0.1,not-an-ip", "TRUSTED_PROXIES"},
		{"VERIFY_REMINDER_AFTER", "-1h", "VERIFY_REMINDER_AFTER"},
		{"NOTIFY_EMAIL_WINDOW", "-1m", "NOTIFY_EMAIL_WINDOW"},
		{"OPS_DELAY_THRESHOLD", "0s", "OPS_DELAY_THRESHOLD"},
		{"OPS_EMAIL", "Ops <ops@example.com>", "OPS_EMAIL"},
		{"CLOUDINARY_CLOUD_NAME", "only-the-cloud", "CLOUDINARY_API_KEY"},
		{"FILES_MAX_BYTES", "0", "FILES_MAX_BYTES"},
		{"GOOGLE_CLIENT_ID", "only-the-id.apps.googleusercontent.com", "GOOGLE_CLIENT_SECRET"},
		{"GOOGLE_CLIENT_SECRET", "only-the-secret", "GOOGLE_CLIENT_ID"},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Setenv(tc.env, tc.value)
			c, err := config.Load()
			if err == nil {
				err = c.Validate()
			}
			if err == nil || !strings.Contains(err.Error(), tc.mention) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("want one line naming %s, got %v", tc.mention, err)
			}
		})
	}
	t.Run("development_mode_is_for_loopback_only", func(t *testing.T) {
		t.Setenv("APP_URL", "https://app.example.com")
		c, _ := config.Load()
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "APP_ENV=development") {
			t.Fatalf("want APP_ENV error, got %v", err)
		}
		t.Setenv("APP_ENV", "test")
		c, _ = config.Load()
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "SESSION_SECRET") {
			t.Fatalf("want SESSION_SECRET error for a public URL with the default secret, got %v", err)
		}
		for _, local := range []string{"http://localhost:8080", "http://127.0.0.1:9000", "http://[::1]:8080"} {
			t.Setenv("APP_ENV", "development")
			t.Setenv("APP_URL", local)
			c, _ = config.Load()
			if err := c.Validate(); err != nil {
				t.Errorf("%s: %v", local, err)
			}
		}
	})
	t.Run("vapid_keys_come_in_pairs_with_a_subject", func(t *testing.T) {
		// A pair as webpush-go's GenerateVAPIDKeys writes it (base64url, unpadded).
		public := "BLAsnPt6yAhPV68vRYx9tA6IauLotd-Rf54X1Lvkve25YwUrdMdO6QO0zFo_03-UmTMwFPa7OmfY_hmnhZoWcD8"
		private := "iw0RMxvIZov5h-Ba2bI9S7agOuXvOEaExZqy-hyjfek"
		for _, tc := range []struct{ public, private, subject, mention string }{
			{public, "", "mailto:ops@example.com", "VAPID_PRIVATE_KEY"},
			{"", private, "mailto:ops@example.com", "VAPID_PUBLIC_KEY"},
			{public, private, "", "VAPID_SUBJECT"},
			{public, private, "ops@example.com", "VAPID_SUBJECT"},
			{"not-a-key", private, "mailto:ops@example.com", "VAPID_PUBLIC_KEY"},
			{public, "c2hvcnQ", "mailto:ops@example.com", "VAPID_PRIVATE_KEY"},
		} {
			t.Setenv("VAPID_PUBLIC_KEY", tc.public)
			t.Setenv("VAPID_PRIVATE_KEY", tc.private)
			t.Setenv("VAPID_SUBJECT", tc.subject)
			c, _ := config.Load()
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.mention) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%+v: want one line naming %s, got %v", tc, tc.mention, err)
			}
		}
		for _, subject := range []string{"mailto:ops@example.com", "https://example.com/contact"} {
			t.Setenv("VAPID_PUBLIC_KEY", public)
			t.Setenv("VAPID_PRIVATE_KEY", private)
			t.Setenv("VAPID_SUBJECT", subject)
			c, _ := config.Load()
			if err := c.Validate(); err != nil || !c.UsesPush() {
				t.Errorf("a complete VAPID setting with subject %s: %v", subject, err)
			}
		}
	})
	t.Run("production_needs_a_real_session_secret", func(t *testing.T) {
		t.Setenv("APP_ENV", "production")
		c, _ := config.Load()
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "SESSION_SECRET") {
			t.Fatalf("want SESSION_SECRET error, got %v", err)
		}
	})
	t.Run("secrets_can_come_from_files", func(t *testing.T) {
		path := t.TempDir() + "/secret"
		if err := os.WriteFile(path, []byte("  from-a-file-0123456789-0123456789  \n"), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("SESSION_SECRET_FILE", path)
		c, err := config.Load()
		if err != nil || c.SessionSecret != "from-a-file-0123456789-0123456789" {
			t.Fatalf("got %q, %v", c.SessionSecret, err)
		}
	})
	t.Run("trusted_proxies_are_a_list", func(t *testing.T) {
		t.Setenv("TRUSTED_PROXIES", "10.0.0.1,10.1.0.0/16")
		c, err := config.Load()
		if err != nil || len(c.TrustedProxies) != 2 || c.Validate() != nil {
			t.Fatalf("got %v, %v", c.TrustedProxies, err)
		}
	})
}
