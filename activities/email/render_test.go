package email_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
)

// htmlTag matches anything that looks like markup.
var htmlTag = regexp.MustCompile(`<[a-zA-Z/!][^>]*>`)

// verifyData is typical data for the verification emails.
func verifyData(name string) email.VerifyData {
	return email.VerifyData{
		Name:      name,
		AppURL:    "https://app.clientflow.test",
		VerifyURL: "https://app.clientflow.test/verify?token=tok_7f3a",
	}
}

func TestRender(t *testing.T) {
	for _, tc := range []struct {
		name     string
		subject  string
		mentions string
	}{
		{domain.EmailWelcome, "Welcome to ClientFlow, Ada Lovelace", "Your ClientFlow account is ready"},
		{domain.EmailVerifyReminder, "Reminder: verify your email address for ClientFlow", "You still haven't verified"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subject, html, text, err := email.Renderer{}.Render(tc.name, verifyData("Ada Lovelace"))
			require.NoError(t, err)

			t.Run("subject_is_one_line_of_its_own", func(t *testing.T) {
				assert.Equal(t, tc.subject, subject)
			})
			t.Run("says_what_it_is_about_in_both_parts", func(t *testing.T) {
				assert.Contains(t, strings.ReplaceAll(html, "&#39;", "'"), tc.mentions)
				assert.Contains(t, text, tc.mentions)
			})
			t.Run("greets_the_user_by_name_in_both_parts", func(t *testing.T) {
				assert.Contains(t, html, "Ada Lovelace")
				assert.Contains(t, text, "Ada Lovelace")
			})
			t.Run("links_to_the_verify_url_and_the_app_in_both_parts", func(t *testing.T) {
				assert.Contains(t, html, `href="https://app.clientflow.test/verify?token=tok_7f3a"`)
				assert.Contains(t, html, `href="https://app.clientflow.test"`)
				assert.Contains(t, text, "https://app.clientflow.test/verify?token=tok_7f3a")
				assert.Contains(t, text, "https://app.clientflow.test")
			})
			t.Run("text_part_has_no_html_tags", func(t *testing.T) {
				assert.Empty(t, htmlTag.FindAllString(text, -1))
			})
			t.Run("footer_says_why_the_user_got_it", func(t *testing.T) {
				assert.Contains(t, html, "You received this email because")
				assert.Contains(t, text, "You received this email because")
			})
			t.Run("html_is_the_shared_layout_with_a_preheader", func(t *testing.T) {
				assert.True(t, strings.HasPrefix(html, "<!DOCTYPE html>"))
				assert.Contains(t, html, `role="presentation"`)
				assert.Contains(t, html, "display:none")
				assert.Contains(t, html, "<title>"+subject+"</title>")
			})
			t.Run("escapes_markup_in_the_name", func(t *testing.T) {
				subject, html, _, err := email.Renderer{}.Render(tc.name, verifyData(`Eve <script>alert(1)</script>`))
				require.NoError(t, err)
				assert.NotContains(t, html, "<script>")
				assert.Contains(t, html, "Eve &lt;script&gt;alert(1)&lt;/script&gt;")
				assert.NotEmpty(t, subject)
			})
		})
	}

	t.Run("subject_stays_on_one_line_whatever_the_name", func(t *testing.T) {
		subject, _, _, err := email.Renderer{}.Render(domain.EmailWelcome, verifyData("Ada\r\nBcc: everyone@example.com"))
		require.NoError(t, err)
		assert.NotContains(t, subject, "\n")
		assert.NotContains(t, subject, "\r")
	})

	t.Run("brand_fills_the_layout", func(t *testing.T) {
		brand := email.Brand{AppName: "Acme Studio", LogoURL: "https://cdn.acme.test/logo.png", Color: "#0f766e"}
		subject, html, text, err := email.Renderer{Brand: brand}.Render(domain.EmailWelcome, verifyData("Ada"))
		require.NoError(t, err)
		assert.Equal(t, "Welcome to Acme Studio, Ada", subject)
		assert.Contains(t, html, `src="https://cdn.acme.test/logo.png"`)
		assert.Contains(t, html, `bgcolor="#0f766e"`)
		assert.NotContains(t, html, email.DefaultBrandColor)
		assert.Contains(t, text, "Acme Studio")
	})

	t.Run("default_brand_is_clientflow_indigo_without_a_logo", func(t *testing.T) {
		_, html, _, err := email.Renderer{}.Render(domain.EmailWelcome, verifyData("Ada"))
		require.NoError(t, err)
		assert.Contains(t, html, `bgcolor="#4f46e5"`)
		assert.Contains(t, html, "ClientFlow</span>")
		assert.NotContains(t, html, "<img")
	})

	t.Run("unsafe_brand_values_fall_back_instead_of_breaking_the_email", func(t *testing.T) {
		brand := email.Brand{LogoURL: "javascript:alert(1)", Color: "red;background:url(https://evil.test)"}
		_, html, _, err := email.Renderer{Brand: brand}.Render(domain.EmailWelcome, verifyData("Ada"))
		require.NoError(t, err)
		assert.NotContains(t, html, "javascript:")
		assert.NotContains(t, html, "evil.test")
		assert.NotContains(t, html, "ZgotmplZ")
		assert.Contains(t, html, `bgcolor="#4f46e5"`)
	})

	t.Run("unsafe_verify_url_is_neutralised", func(t *testing.T) {
		data := verifyData("Ada")
		data.VerifyURL = "javascript:alert(1)"
		_, html, _, err := email.Renderer{}.Render(domain.EmailWelcome, data)
		require.NoError(t, err)
		assert.NotContains(t, html, `href="javascript:`, "the link must not be clickable")
	})

	t.Run("unknown_template_is_an_error", func(t *testing.T) {
		_, _, _, err := email.Renderer{}.Render("no_such_email", verifyData("Ada"))
		assert.ErrorContains(t, err, "no_such_email")
	})

	t.Run("data_missing_a_field_is_an_error", func(t *testing.T) {
		_, _, _, err := email.Renderer{}.Render(domain.EmailWelcome, map[string]string{"Name": "Ada"})
		assert.Error(t, err)
	})
}
