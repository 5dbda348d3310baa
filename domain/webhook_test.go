package domain_test

import (
	"bytes"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
)

func TestWebhookAddressAllowed(t *testing.T) {
	refused := []string{"127.0.0.1", "127.8.9.10", "::1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
		"169.254.169.254", "169.254.1.1", "100.64.0.1", "100.127.255.254", "0.0.0.0", "0.1.2.3", "::", "fd00:ec2::254",
		"fc00::1", "fe80::1", "224.0.0.1", "239.255.255.250", "ff02::1", "255.255.255.255", "240.0.0.1",
		"::ffff:127.0.0.1", "::ffff:8.8.8.8", "64:ff9b::7f00:1", "2002:7f00:1::1", "192.0.2.10", "198.18.0.1",
		"2001:db8::1", "::127.0.0.1", "::10.0.0.1", "fec0::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "192.88.99.1"}
	for _, a := range refused {
		if domain.WebhookAddressAllowed(netip.MustParseAddr(a), false) {
			t.Errorf("%s allowed, want refused", a)
		}
	}
	for _, a := range []string{"8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111"} {
		if !domain.WebhookAddressAllowed(netip.MustParseAddr(a), false) {
			t.Errorf("%s refused, want allowed", a)
		}
	}
	// The development switch opens loopback and nothing else.
	for a, want := range map[string]bool{"127.0.0.1": true, "::1": true, "10.0.0.1": false, "169.254.169.254": false,
		"::ffff:127.0.0.1": false} {
		if got := domain.WebhookAddressAllowed(netip.MustParseAddr(a), true); got != want {
			t.Errorf("allowLoopback: %s allowed = %v, want %v", a, got, want)
		}
	}
}

func TestValidateWebhookURL(t *testing.T) {
	bad := []string{"", "example.com/hook", "ftp://example.com/x", "https://", "mailto:a@b.c", "https://u:p@example.com/",
		"http://127.0.0.1:9000/x", "http://[::1]/x", "https://10.0.0.5/x", "https://169.254.169.254/latest/meta-data",
		"http://localhost:3000/x", "http://api.localhost/x", "https://[::ffff:7f00:1]/x", "HTTPS://example.com/hook",
		"https://example.com/" + strings.Repeat("a", 2048)}
	for _, u := range bad {
		if err := domain.ValidateWebhookURL(u, false); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%q: got %v, want validation_failed", u, err)
		}
	}
	for _, u := range []string{"https://example.com/hooks", "http://hooks.example.org:8080/in?x=1", "https://8.8.8.8/x"} {
		if err := domain.ValidateWebhookURL(u, false); err != nil {
			t.Errorf("%q: %v", u, err)
		}
	}
	if err := domain.ValidateWebhookURL("http://127.0.0.1:9000/x", true); err != nil {
		t.Errorf("loopback allowed in development: %v", err)
	}
	if err := domain.ValidateWebhookURL("http://10.0.0.1/x", true); err == nil {
		t.Error("a private address passed with only loopback allowed")
	}
}

func TestWebhookSignature(t *testing.T) {
	secret, old := []byte("whsec_current"), []byte("whsec_previous")
	body := []byte(`{"id":"e1","type":"task.created"}`)
	now := time.Unix(1_800_000_000, 0)
	header := domain.SignWebhook(now, body, secret)
	if !strings.HasPrefix(header, "t=1800000000,v1=") {
		t.Fatalf("header %q", header)
	}
	if err := domain.VerifyWebhook(header, body, secret, 5*time.Minute, now.Add(time.Minute)); err != nil {
		t.Fatalf("valid signature refused: %v", err)
	}
	cases := map[string]struct {
		header string
		body   []byte
		secret []byte
		at     time.Time
		want   error
	}{
		"tampered body": {header, bytes.Replace(body, []byte("e1"), []byte("e2"), 1), secret, now, domain.ErrWebhookSignatureMismatch},
		"wrong secret":  {header, body, []byte("other"), now, domain.ErrWebhookSignatureMismatch},
		"old timestamp": {header, body, secret, now.Add(6 * time.Minute), domain.ErrWebhookSignatureStale},
		"future stamp":  {header, body, secret, now.Add(-6 * time.Minute), domain.ErrWebhookSignatureStale},
		"no v1":         {"t=1800000000", body, secret, now, domain.ErrWebhookSignatureMalformed},
		"garbage":       {"nonsense", body, secret, now, domain.ErrWebhookSignatureMalformed},
		"bad timestamp": {"t=abc,v1=00", body, secret, now, domain.ErrWebhookSignatureMalformed},
		"swapped stamp": {strings.Replace(header, "t=1800000000", "t=1800000001", 1), body, secret, now, domain.ErrWebhookSignatureMismatch},
	}
	for name, c := range cases {
		if err := domain.VerifyWebhook(c.header, c.body, c.secret, 5*time.Minute, c.at); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
	// During a rotation both secrets sign, and a receiver holding either verifies.
	both := domain.SignWebhook(now, body, secret, old)
	for _, s := range [][]byte{secret, old} {
		if err := domain.VerifyWebhook(both, body, s, 5*time.Minute, now); err != nil {
			t.Errorf("rotation: %s refused: %v", s, err)
		}
	}
}

func TestSealWebhookSecret(t *testing.T) {
	sealed, err := domain.SealWebhookSecret("session-secret", []byte("whsec_abc"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("whsec_abc")) {
		t.Fatal("sealed value carries the plaintext")
	}
	plain, err := domain.OpenWebhookSecret("session-secret", sealed)
	if err != nil || string(plain) != "whsec_abc" {
		t.Fatalf("open: %q, %v", plain, err)
	}
	if _, err := domain.OpenWebhookSecret("another-secret", sealed); err == nil {
		t.Fatal("opened under another SESSION_SECRET")
	}
}

func TestWebhookEventPermission(t *testing.T) {
	for _, ev := range domain.WebhookEventTypes {
		perm, ok := domain.WebhookEventPermission(ev)
		if !ok {
			t.Errorf("%s has no read permission", ev)
			continue
		}
		if !domain.ValidPermission(perm) || !strings.HasSuffix(string(perm), ".read") {
			t.Errorf("%s needs %q, want a read permission of the catalogue", ev, perm)
		}
	}
	if _, ok := domain.WebhookEventPermission(domain.WebhookPing); ok {
		t.Error("ping is no subscription and needs no permission")
	}
	for ev, want := range map[string]domain.Permission{domain.EventInvoicePaid: domain.PermInvoicesRead,
		domain.EventClientUpdated: domain.PermClientsRead, domain.EventMemberRemoved: domain.PermMembersRead,
		domain.EventTaskCreated: domain.PermTasksRead, domain.EventProjectDeleted: domain.PermProjectsRead} {
		if got, _ := domain.WebhookEventPermission(ev); got != want {
			t.Errorf("%s needs %s, want %s", ev, got, want)
		}
	}
}

func TestWebhookEventsUnreadable(t *testing.T) {
	held := []domain.Permission{domain.PermTasksRead, domain.PermProjectsRead}
	missing, by := domain.WebhookEventsUnreadable(held, []string{domain.EventMemberAdded, domain.EventTaskCreated,
		domain.EventInvoiceOverdue, domain.EventInvoicePaid, "task.exploded"})
	if want := []domain.Permission{domain.PermInvoicesRead, domain.PermMembersRead}; !slices.Equal(missing, want) {
		t.Fatalf("missing = %v, want %v (catalogue order)", missing, want)
	}
	if got := by[domain.PermInvoicesRead]; !slices.Equal(got, []string{domain.EventInvoiceOverdue, domain.EventInvoicePaid}) {
		t.Errorf("invoices.read events = %v", got)
	}
	if missing, _ := domain.WebhookEventsUnreadable(domain.AllPermissions(), domain.WebhookEventTypes); len(missing) != 0 {
		t.Errorf("the owner misses %v", missing)
	}
}
