package domain_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/clientflow/clientflow/domain"
)

// Every palette derived from any brand colour keeps each text/background pair at 4.5:1 or more.
func TestPaletteContrast(t *testing.T) {
	colors := []string{"#000000", "#ffffff", "#4f46e5", "#777777", "#767676", "#808080", "#ffff00", "#00ff00",
		"#ff0000", "#0000ff", "#00ffff", "#ff00ff", "#e5e7eb", "#1e293b", "#f97316", "#22c55e", "#949494", "#8a8a8a"}
	// The mid-tones where neither white nor near-black reaches 4.5:1 are the hard case: sweep every grey.
	for v := 0; v < 256; v++ {
		colors = append(colors, fmt.Sprintf("#%02x%02x%02x", v, v, v))
	}
	rng := rand.New(rand.NewPCG(11, 4))
	for range 5000 {
		colors = append(colors, fmt.Sprintf("#%06x", rng.IntN(1<<24)))
	}
	for _, c := range colors {
		p := domain.DerivePalette(c)
		if p.Brand != c {
			t.Fatalf("%s: brand = %s, want the colour itself", c, p.Brand)
		}
		for _, pair := range []struct{ name, fg, bg string }{
			{"on_brand on brand", p.OnBrand, p.Brand},
			{"brand_text on white", p.BrandText, "#ffffff"},
			{"brand_text on brand_soft", p.BrandText, p.BrandSoft},
		} {
			if r := domain.ContrastRatio(pair.fg, pair.bg); r < domain.MinTextContrast {
				t.Errorf("%s: %s %s/%s = %.2f:1, want ≥ 4.5", c, pair.name, pair.fg, pair.bg, r)
			}
		}
		if p.OnBrand != "#ffffff" && p.OnBrand != "#18181b" && p.OnBrand != "#000000" {
			t.Errorf("%s: on_brand %s is neither white nor (near-)black", c, p.OnBrand)
		}
		// The tint is light: text colour on it must stay dark enough for body copy too.
		if domain.ContrastRatio("#18181b", p.BrandSoft) < 12 {
			t.Errorf("%s: brand_soft %s is not a light tint", c, p.BrandSoft)
		}
	}
}

func TestPaletteChoices(t *testing.T) {
	for _, tc := range []struct{ color, onBrand, brandText string }{
		// Dark brand: white text on it, and it is dark enough to be text itself.
		{"#1e293b", "#ffffff", "#1e293b"},
		// Yellow: near-black on it, and text darkened well below the brand.
		{"#ffff00", "#18181b", ""},
		// Uppercase input is normalised.
		{"#4F46E5", "#ffffff", "#4f46e5"},
	} {
		p := domain.DerivePalette(tc.color)
		if p.OnBrand != tc.onBrand {
			t.Errorf("%s: on_brand = %s, want %s", tc.color, p.OnBrand, tc.onBrand)
		}
		if tc.brandText != "" && p.BrandText != tc.brandText {
			t.Errorf("%s: brand_text = %s, want %s", tc.color, p.BrandText, tc.brandText)
		}
		if tc.brandText == "" && p.BrandText == p.Brand {
			t.Errorf("%s: brand_text was not darkened", tc.color)
		}
	}
	// A value that is not #rrggbb gets ClientFlow's palette, and so does a plan without custom branding.
	if got := domain.DerivePalette("red"); got != domain.DefaultPalette() {
		t.Errorf("palette of \"red\" = %+v, want the default", got)
	}
	b := domain.Branding{Name: "Acme", BrandColor: "#ff0000", LogoKey: "k", LogoHash: "h"}
	if b.Palette() != domain.DefaultPalette() || b.HasLogo() {
		t.Errorf("without custom_branding: palette %+v, logo %v; want default, none", b.Palette(), b.HasLogo())
	}
	b.CustomBranding = true
	if b.Palette().Brand != "#ff0000" || !b.HasLogo() {
		t.Errorf("with custom_branding: palette %+v, logo %v", b.Palette(), b.HasLogo())
	}
}

func TestBrandingFromName(t *testing.T) {
	for _, tc := range []struct {
		name, sender string
		custom       bool
		want         string
	}{
		{"Acme Agency", "", true, "Acme Agency via ClientFlow"},
		{"Acme Agency", "Acme Studio", true, "Acme Studio via ClientFlow"},
		// A downgrade keeps the sender name but stops using it.
		{"Acme Agency", "Acme Studio", false, "Acme Agency via ClientFlow"},
		{"Acme\r\nBcc: x@y.z", "", true, "Acme Bcc: x@y.z via ClientFlow"},
		{"", "", true, "ClientFlow"},
	} {
		b := domain.Branding{Name: tc.name, SenderName: tc.sender, CustomBranding: tc.custom}
		if got := b.FromName(); got != tc.want {
			t.Errorf("FromName(%q, %q) = %q, want %q", tc.name, tc.sender, got, tc.want)
		}
	}
	long := ""
	for range domain.MaxSenderNameLength + 1 {
		long += "é"
	}
	for s, want := range map[string]bool{"Acme": true, "": true, long[2:]: true, long: false, "a\nb": false, "a\tb": false} {
		if domain.ValidSenderName(s) != want {
			t.Errorf("ValidSenderName(%q) = %v, want %v", s, !want, want)
		}
	}
}
