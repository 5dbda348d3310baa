package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
)

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Acme & Co.":         "acme-co",
		"  Ünïcode Agency  ": "n-code-agency",
		"!!!":                "org",
		"A very long agency name that keeps going and going": "a-very-long-agency-name-that-keeps-going-and-goi",
	} {
		if got := domain.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClientValidate(t *testing.T) {
	c := &domain.Client{Name: "", Email: "nope", Website: "javascript:alert(1)", Status: "deleted"}
	err := c.Validate()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.EINVALID {
		t.Fatalf("want validation error, got %v", err)
	}
	fields := map[string]bool{}
	for _, f := range de.Fields {
		fields[f.Field] = true
	}
	for _, f := range []string{"body.name", "body.email", "body.website", "body.status"} {
		if !fields[f] {
			t.Errorf("missing field error for %s in %+v", f, de.Fields)
		}
	}
	ok := &domain.Client{Name: " Acme ", Email: " Hello@Acme.Example ", Website: "https://acme.example"}
	ok.Normalize()
	if err := ok.Validate(); err != nil || ok.Name != "Acme" || ok.Email != "hello@acme.example" || ok.Status != domain.ClientActive {
		t.Fatalf("normalised client %+v: %v", ok, err)
	}
}

func TestValidatePassword(t *testing.T) {
	if domain.ValidatePassword("p", "1234567") == nil {
		t.Error("7 characters accepted")
	}
	if domain.ValidatePassword("p", "ünïcödé") == nil {
		t.Error("7 multi-byte characters accepted")
	}
	if err := domain.ValidatePassword("p", "12345678"); err != nil {
		t.Error(err)
	}
	long := make([]byte, 129)
	for i := range long {
		long[i] = 'a'
	}
	if domain.ValidatePassword("p", string(long)) == nil {
		t.Error("129 characters accepted")
	}
}

func TestVerifyToken(t *testing.T) {
	now := time.Now()
	emails := map[string]string{"u1": "a@example.com"}
	lookup := func(id string) (string, error) {
		if e, ok := emails[id]; ok {
			return e, nil
		}
		return "", errors.New("no user")
	}
	tok := domain.SignVerifyToken("s", "u1", "a@example.com", now.Add(time.Hour))
	if id, err := domain.ParseVerifyToken("s", tok, now, lookup); err != nil || id != "u1" {
		t.Fatalf("valid token: %q %v", id, err)
	}
	for name, bad := range map[string]string{
		"expired":         domain.SignVerifyToken("s", "u1", "a@example.com", now.Add(-time.Second)),
		"other secret":    domain.SignVerifyToken("x", "u1", "a@example.com", now.Add(time.Hour)),
		"address changed": domain.SignVerifyToken("s", "u1", "old@example.com", now.Add(time.Hour)),
		"unknown user":    domain.SignVerifyToken("s", "u2", "a@example.com", now.Add(time.Hour)),
		"malformed":       "abc",
		"tampered expiry": tok[:len("u1.")] + "9999999999" + tok[len("u1.")+len("1234567890"):],
	} {
		if _, err := domain.ParseVerifyToken("s", bad, now, lookup); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: want validation_failed, got %v", name, err)
		}
	}
}
