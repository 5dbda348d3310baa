package activities

import "testing"

func TestFormatMoney(t *testing.T) {
	for _, tc := range []struct {
		minor    int64
		currency string
		want     string
	}{
		{1900, "usd", "19.00 USD"},
		{1900, "jpy", "1,900 JPY"},
		{12345, "kwd", "12.345 KWD"},
		{-550, "eur", "-5.50 EUR"},
		{-5, "usd", "-0.05 USD"},
	} {
		if got := formatMoney(tc.minor, tc.currency); got != tc.want {
			t.Errorf("formatMoney(%d, %q) = %q, want %q", tc.minor, tc.currency, got, tc.want)
		}
	}
}
