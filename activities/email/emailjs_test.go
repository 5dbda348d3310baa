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

// emailjsConfig points a fully configured EmailJS (plus Resend, which it must win over) at a local peer.
func emailjsConfig(baseURL string) email.Config {
	cfg := resendConfig("http://resend.invalid")
	cfg.EmailJSPublicKey = "pk_public"
	cfg.EmailJSPrivateKey = "sk_private"
	cfg.EmailJSServiceID = "service_main"
	cfg.EmailJSTemplateID = "template_generic"
	cfg.EmailJSBaseURL = baseURL
	return cfg
}

func TestEmailJS(t *testing.T) {
	t.Run("posts_keys_and_template_params_as_json", func(t *testing.T) {
		p := newPeer(t, http.StatusOK, "text/plain; charset=utf-8", "OK")
		provider := email.NewProvider(emailjsConfig(p.URL+"/"), nil, nil)
		require.Equal(t, "emailjs", provider.Name())

		id, err := provider.Send(t.Context(), welcomeMessage())
		require.NoError(t, err)
		assert.NotEmpty(t, id)

		req := p.only(t)
		assert.Equal(t, http.MethodPost, req.Method)
		assert.Equal(t, "/api/v1.0/email/send", req.Path)
		assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
		assert.Equal(t, map[string]any{
			"service_id":  "service_main",
			"template_id": "template_generic",
			"user_id":     "pk_public",
			"accessToken": "sk_private",
			"template_params": map[string]any{
				"to_email": "ada@example.com",
				"subject":  "Welcome to ClientFlow, Ada",
				"html":     "<p>Welcome, Ada</p>",
				"text":     "Welcome, Ada",
				"reply_to": "support@clientflow.test",
			},
		}, req.Body)
	})

	t.Run("status_decides_whether_a_failure_is_permanent", func(t *testing.T) {
		for _, tc := range statusCases {
			t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
				p := newPeer(t, tc.status, "text/plain; charset=utf-8", "The Public Key is invalid.")
				_, err := email.NewProvider(emailjsConfig(p.URL), nil, nil).Send(t.Context(), welcomeMessage())
				require.Error(t, err)
				assert.Contains(t, err.Error(), "The Public Key is invalid.", "the provider's explanation is kept")

				var permanent *email.PermanentError
				assert.Equal(t, tc.permanent, errors.As(err, &permanent), "permanent? %v", err)
				if tc.permanent {
					assert.Equal(t, tc.status, permanent.Status)
					assert.Equal(t, "emailjs", permanent.Provider)
				}
			})
		}
	})

	t.Run("unreachable_api_is_retryable", func(t *testing.T) {
		p := newPeer(t, http.StatusOK, "text/plain", "OK")
		p.Close()
		_, err := email.NewProvider(emailjsConfig(p.URL), nil, nil).Send(t.Context(), welcomeMessage())
		require.Error(t, err)
		var permanent *email.PermanentError
		assert.False(t, errors.As(err, &permanent))
	})
}
