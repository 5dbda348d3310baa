package domain

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultBrandColor is ClientFlow's own colour: the palette of every organization without custom_branding.
const DefaultBrandColor = "#4f46e5"

// MinTextContrast is the WCAG 2 AA contrast ratio for normal text; every text/background pair of a
// Palette reaches it.
const MinTextContrast = 4.5

// MaxSenderNameLength bounds the custom sender name ("<sender name> via ClientFlow").
const MaxSenderNameLength = 60

// Logo content types an organization may upload.
const (
	LogoPNG  = "image/png"
	LogoJPEG = "image/jpeg"
	LogoWebP = "image/webp"
	LogoSVG  = "image/svg+xml"
)

// Palette is the set of colours derived from one brand colour, each a lowercase #rrggbb:
// OnBrand is text on a Brand background, BrandText is brand-coloured text on white (and on BrandSoft),
// BrandSoft is a light tint for backgrounds.
type Palette struct {
	Brand     string
	OnBrand   string
	BrandText string
	BrandSoft string
}

// Branding is how an organization presents itself to its clients: in the portal, in client emails and on
// invoices. Without custom_branding in its plan, the palette is ClientFlow's and the logo is not shown,
// though both stay stored.
type Branding struct {
	OrganizationID string
	Name           string
	// SenderName replaces Name in "<name> via ClientFlow"; empty means Name.
	SenderName string
	// BrandColor is the stored colour (kept when the plan lacks custom_branding).
	BrandColor string
	// Logo is the stored logo, if any: its file store key, content type and content hash.
	LogoKey, LogoType, LogoHash string
	// CustomBranding reports whether the organization's plan includes custom_branding.
	CustomBranding bool
}

// Palette is the palette the organization's pages and emails use: its own when the plan allows it.
func (b *Branding) Palette() Palette {
	if !b.CustomBranding {
		return DefaultPalette()
	}
	return DerivePalette(b.BrandColor)
}

// HasLogo reports whether a logo is stored and may be shown (the plan includes custom_branding).
func (b *Branding) HasLogo() bool { return b.CustomBranding && b.LogoKey != "" && b.LogoHash != "" }

// LogoURL is the public absolute URL of the logo under appURL, served by the API with immutable caching
// (a new logo has a new hash); "" when there is no logo to show.
func (b *Branding) LogoURL(appURL string) string {
	if !b.HasLogo() {
		return ""
	}
	return appURL + "/api/v1/public/logos/" + b.OrganizationID + "/" + b.LogoHash
}

// FromName is the display name of a client-facing email: "<sender name or org name> via ClientFlow"; the
// sender name only while the plan has custom_branding (a downgrade keeps it but stops using it).
func (b *Branding) FromName() string {
	name := b.SenderName
	if name == "" || !b.CustomBranding {
		name = b.Name
	}
	name = strings.Join(strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if name == "" {
		return "ClientFlow"
	}
	return name + " via ClientFlow"
}

// ValidSenderName reports whether s may be a sender name: at most MaxSenderNameLength characters and no
// control characters (it ends up in a mail header).
func ValidSenderName(s string) bool {
	if utf8.RuneCountInString(s) > MaxSenderNameLength || !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, unicode.IsControl)
}

// DefaultPalette is ClientFlow's own palette.
func DefaultPalette() Palette { return DerivePalette(DefaultBrandColor) }

// rgb is a colour with channels in 0..1 (sRGB, gamma-encoded).
type rgb struct{ r, g, b float64 }

// parseHex reads #rrggbb (any case); ok is false for anything else.
func parseHex(s string) (rgb, bool) {
	if len(s) != 7 || s[0] != '#' {
		return rgb{}, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return rgb{}, false
	}
	return rgb{float64(v>>16) / 255, float64(v>>8&0xff) / 255, float64(v&0xff) / 255}, true
}

func (c rgb) hex() string {
	ch := func(v float64) int { return int(math.Round(math.Min(math.Max(v, 0), 1) * 255)) }
	return fmt.Sprintf("#%02x%02x%02x", ch(c.r), ch(c.g), ch(c.b))
}

// luminance is the WCAG relative luminance.
func (c rgb) luminance() float64 {
	lin := func(v float64) float64 {
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

func contrast(a, b rgb) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// mix moves c towards to by t (0 = c, 1 = to).
func (c rgb) mix(to rgb, t float64) rgb {
	return rgb{c.r + (to.r-c.r)*t, c.g + (to.g-c.g)*t, c.b + (to.b-c.b)*t}
}

// ContrastRatio is the WCAG contrast ratio of two #rrggbb colours (1 to 21); 0 when either does not parse.
func ContrastRatio(a, b string) float64 {
	ca, ok1 := parseHex(a)
	cb, ok2 := parseHex(b)
	if !ok1 || !ok2 {
		return 0
	}
	return contrast(ca, cb)
}

var (
	white     = rgb{1, 1, 1}
	black     = rgb{0, 0, 0}
	nearBlack = rgb{0x18 / 255.0, 0x18 / 255.0, 0x1b / 255.0} // #18181b, the app's text colour
)

// DerivePalette derives the accessible palette of a brand colour; a colour that is not #rrggbb gets
// ClientFlow's palette. Every text/background pair reaches MinTextContrast:
//   - OnBrand is white or near-black, whichever contrasts more with the brand; in the narrow band of
//     mid-tones where neither reaches 4.5:1, pure black does (it always gives at least 4.58:1 there);
//   - BrandSoft is the brand at 10 % over white;
//   - BrandText is the brand darkened in small steps until it reaches 4.5:1 on BrandSoft (and so on white,
//     which is lighter still).
func DerivePalette(hex string) Palette {
	c, ok := parseHex(strings.ToLower(hex))
	if !ok {
		c, _ = parseHex(DefaultBrandColor)
	}
	p := Palette{Brand: c.hex()}
	c, _ = parseHex(p.Brand) // the rounded colour is what pages will paint

	on := white
	if contrast(c, nearBlack) > contrast(c, white) {
		on = nearBlack
	}
	if contrast(c, on) < MinTextContrast {
		on = black
	}
	p.OnBrand = on.hex()

	soft := white.mix(c, 0.1)
	p.BrandSoft = soft.hex()
	soft, _ = parseHex(p.BrandSoft)

	text := c
	for i := 1; contrast(text, soft) < MinTextContrast && i <= 50; i++ {
		text = c.mix(black, float64(i)/50)
		// Rounding to 8 bits can cost a hair of contrast: judge the colour as it will be written.
		text, _ = parseHex(text.hex())
	}
	p.BrandText = text.hex()
	return p
}
