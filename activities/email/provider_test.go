package email_test

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities/email"
)

func TestNewProvider(t *testing.T) {
	withoutEmailJSKey := func(drop func(*email.Config)) email.Config {
		cfg := emailjsConfig("")
		drop(&cfg)
		return cfg
	}
	emailjsOnly := emailjsConfig("")
	emailjsOnly.ResendAPIKey = ""

	for _, tc := range []struct {
		name string
		cfg  email.Config
		want string
	}{
		{"emailjs_wins_when_all_its_keys_are_set", emailjsConfig(""), "emailjs"},
		{"emailjs_needs_no_resend_key", emailjsOnly, "emailjs"},
		{"resend_without_public_key", withoutEmailJSKey(func(c *email.Config) { c.EmailJSPublicKey = "" }), "resend"},
		{"resend_without_private_key", withoutEmailJSKey(func(c *email.Config) { c.EmailJSPrivateKey = "" }), "resend"},
		{"resend_without_service_id", withoutEmailJSKey(func(c *email.Config) { c.EmailJSServiceID = "" }), "resend"},
		{"resend_without_template_id", withoutEmailJSKey(func(c *email.Config) { c.EmailJSTemplateID = "" }), "resend"},
		{"resend_when_only_its_key_is_set", email.Config{ResendAPIKey: "re_x"}, "resend"},
		{"mailbox_when_nothing_is_set", email.Config{}, "mailbox"},
		{"mailbox_when_emailjs_is_partial_and_resend_absent", email.Config{EmailJSPublicKey: "pk"}, "mailbox"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, email.NewProvider(tc.cfg, nil, nil).Name())
		})
	}

	t.Run("partial_emailjs_config_is_logged_with_the_missing_keys", func(t *testing.T) {
		var logs bytes.Buffer
		email.NewProvider(email.Config{EmailJSPublicKey: "pk", EmailJSServiceID: "svc"}, nil,
			slog.New(slog.NewTextHandler(&logs, nil)))
		assert.Contains(t, logs.String(), "EMAILJS_PRIVATE_KEY")
		assert.Contains(t, logs.String(), "EMAILJS_TEMPLATE_ID")
		assert.NotContains(t, logs.String(), "EMAILJS_PUBLIC_KEY")
	})
}

func TestMailbox(t *testing.T) {
	t.Run("logs_recipient_and_subject_and_returns_an_id", func(t *testing.T) {
		var logs bytes.Buffer
		provider := email.NewProvider(email.Config{}, nil, slog.New(slog.NewTextHandler(&logs, nil)))

		id, err := provider.Send(t.Context(), welcomeMessage())
		require.NoError(t, err)
		assert.NotEmpty(t, id)
		assert.Contains(t, logs.String(), `msg="dev mailbox"`)
		assert.Contains(t, logs.String(), "to=ada@example.com")
		assert.Contains(t, logs.String(), `subject="Welcome to ClientFlow, Ada"`)
	})

	t.Run("ids_are_unique", func(t *testing.T) {
		provider := email.NewProvider(email.Config{}, nil, nil)
		first, _ := provider.Send(t.Context(), welcomeMessage())
		second, _ := provider.Send(t.Context(), welcomeMessage())
		assert.NotEqual(t, first, second)
	})
}
