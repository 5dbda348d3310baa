package domain

import (
	"net/netip"
	"strings"
)

// browsers and systems are matched in order: the first substring found names the family. Order matters
// because user agents claim each other (Edge says Chrome, Chrome says Safari, iOS says "like Mac OS X").
var (
	browsers = []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chromium/", "Chromium"},
		{"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"}, {"Go-http-client", "Go HTTP client"},
	}
	systems = []struct{ token, name string }{
		{"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Android", "Android"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	}
)

// DeviceFamily summarises a User-Agent as "Browser on System" (e.g. "Firefox on Linux"), the unit a
// person recognises in their session list and the one risky sign-in detection compares.
func DeviceFamily(userAgent string) string {
	browser, system := "Unknown browser", ""
	for _, b := range browsers {
		if strings.Contains(userAgent, b.token) {
			browser = b.name
			break
		}
	}
	for _, s := range systems {
		if strings.Contains(userAgent, s.token) {
			system = s.name
			break
		}
	}
	if system == "" {
		return browser
	}
	return browser + " on " + system
}

// IPRange is the network a sign-in came from: the /24 of an IPv4 address, the /48 of an IPv6 one, so a
// new address from the same provider's pool is not a new place. Anything unparsable is its own range.
func IPRange(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	bits := 48
	if addr.Is4() {
		bits = 24
	}
	p, _ := addr.Prefix(bits)
	return p.String()
}
