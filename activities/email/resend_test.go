package email_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities/email"
)

// resendConfig points a Resend-only configuration at a local peer.
func resendConfig(baseURL string) email.Config {
	return email.Config{
		From:          "ClientFlow <hello@clientflow.test>",
		ReplyTo:       "support@clientflow.test",
		ResendAPIKey:  "re_test_123",
		ResendBaseURL: baseURL,
	}
}

// welcomeMessage is a typical message for provider tests.
func welcomeMessage() email.Message {
	return email.Message{
		To:             "ada@example.com",
		Subject:        "Welcome to ClientFlow, Ada",
		HTML:           "<p>Welcome, Ada</p>",
		Text:           "Welcome, Ada",
		IdempotencyKey: "welcome/0190f3a2-7d1c-7c3e-9a55-1f0a6b2c4d5e",
		Tag:            "welcome",
	}
}

func TestResend(t *testing.T) {
	t.Run("posts_the_message_with_api_key_and_idempotency_key", func(t *testing.T) {
		p := newPeer(t, http.StatusOK, "application/json", `{"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}`)
		provider := email.NewProvider(resendConfig(p.URL), nil, nil)

		id, err := provider.Send(t.Context(), welcomeMessage())
		require.NoError(t, err)
		assert.Equal(t, "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794", id)

		req := p.only(t)
		assert.Equal(t, http.MethodPost, req.Method)
		assert.Equal(t, "/emails", req.Path)
		assert.Equal(t, "Bearer re_test_123", req.Header.Get("Authorization"))
		assert.Equal(t, "welcome/0190f3a2-7d1c-7c3e-9a55-1f0a6b2c4d5e", req.Header.Get("Idempotency-Key"))
		assert.Equal(t, map[string]any{
			"from":     "ClientFlow <hello@clientflow.test>",
			"to":       []any{"ada@example.com"},
			"subject":  "Welcome to ClientFlow, Ada",
			"html":     "<p>Welcome, Ada</p>",
			"text":     "Welcome, Ada",
			"reply_to": "support@clientflow.test",
			"tags":     []any{map[string]any{"name": "category", "value": "welcome"}},
		}, req.Body)
	})

	t.Run("status_decides_whether_a_failure_is_permanent", func(t *testing.T) {
		for _, tc := range statusCases {
			t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
				p := newPeer(t, tc.status, "application/json",
					`{"statusCode":`+strconv.Itoa(tc.status)+`,"name":"validation_error","message":"The to field is invalid."}`)
				_, err := email.NewProvider(resendConfig(p.URL), nil, nil).Send(t.Context(), welcomeMessage())
				require.Error(t, err)

				var permanent *email.PermanentError
				assert.Equal(t, tc.permanent, errors.As(err, &permanent), "permanent? %v", err)
				if tc.permanent {
					assert.Equal(t, tc.status, permanent.Status)
					assert.Equal(t, "resend", permanent.Provider)
				}
			})
		}
	})

	t.Run("unreachable_api_is_retryable", func(t *testing.T) {
		p := newPeer(t, http.StatusOK, "application/json", `{}`)
		p.Close()
		_, err := email.NewProvider(resendConfig(p.URL), nil, nil).Send(t.Context(), welcomeMessage())
		require.Error(t, err)
		var permanent *email.PermanentError
		assert.False(t, errors.As(err, &permanent))
	})

	t.Run("leaves_the_callers_http_client_untouched", func(t *testing.T) {
		p := newPeer(t, http.StatusOK, "application/json", `{"id":"x"}`)
		client := &http.Client{}
		_, err := email.NewProvider(resendConfig(p.URL), client, nil).Send(t.Context(), welcomeMessage())
		require.NoError(t, err)
		assert.Nil(t, client.Transport)
	})

	t.Run("malformed_base_url_is_permanent_and_sends_nothing", func(t *testing.T) {
		_, err := email.NewProvider(resendConfig("://nowhere"), nil, nil).Send(t.Context(), welcomeMessage())
		var permanent *email.PermanentError
		assert.True(t, errors.As(err, &permanent), "got %v", err)
	})
}
