package domain_test

import (
	"testing"

	"github.com/clientflow/clientflow/domain"
)

func TestDeviceFamily(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0":        "Edge on Windows",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15":            "Safari on macOS",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile Safari/604.1": "Safari on iOS",
		"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36":                         "Chrome on Android",
		"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0":                                                           "Firefox on Linux",
		"curl/8.5.0": "curl",
		"":           "Unknown browser",
	} {
		if got := domain.DeviceFamily(ua); got != want {
			t.Errorf("DeviceFamily(%q) = %q, want %q", ua, got, want)
		}
	}
}

func TestIPRange(t *testing.T) {
	for ip, want := range map[string]string{
		"198.51.100.7":        "198.51.100.0/24",
		"::ffff:198.51.100.7": "198.51.100.0/24",
		"2001:db8:aa:ff::2":   "2001:db8:aa::/48",
		"not an ip":           "not an ip",
	} {
		if got := domain.IPRange(ip); got != want {
			t.Errorf("IPRange(%q) = %q, want %q", ip, got, want)
		}
	}
}
