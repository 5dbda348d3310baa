package push

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/clientflow/clientflow/domain"
)

// The production transport dials public addresses only, whatever name the endpoint used.
func TestDefaultClientRefusesPrivateAddresses(t *testing.T) {
	for _, a := range []string{"127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "fd00::1", "100.64.0.1", "0.0.0.0"} {
		if domain.WebhookAddressAllowed(netip.MustParseAddr(a), false) {
			t.Errorf("%s counted as public", a)
		}
	}
	for _, a := range []string{"8.8.8.8", "2001:4860:4860::8888"} {
		if !domain.WebhookAddressAllowed(netip.MustParseAddr(a), false) {
			t.Errorf("%s counted as non-public", a)
		}
	}
	_, err := publicOnlyTransport().DialContext(context.Background(), "tcp", "127.0.0.1:9")
	if err == nil || !strings.Contains(err.Error(), "non-public") {
		t.Fatalf("dial to loopback: %v, want refused as non-public", err)
	}
}
