package domain_test

import (
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
)

// invoiceTotalsCases are mirrored by web/src/features/invoices/totals.test.ts: both sides must agree.
var invoiceTotalsCases = []struct {
	name         string
	lines        []domain.InvoiceLine
	discountBP   int
	want         domain.InvoiceTotals
	lineDiscs    []int64
	lineTaxes    []int64
	wantTooLarge bool
}{
	{name: "no_lines", want: domain.InvoiceTotals{}},
	{name: "a_third_of_an_hour", lines: []domain.InvoiceLine{{QuantityMilli: 333, UnitPrice: 15000}},
		want: domain.InvoiceTotals{Subtotal: 4995, Total: 4995}, lineDiscs: []int64{0}, lineTaxes: []int64{0}},
	{name: "line_amount_rounds_half_up", lines: []domain.InvoiceLine{{QuantityMilli: 1500, UnitPrice: 333}},
		want: domain.InvoiceTotals{Subtotal: 500, Total: 500}, lineDiscs: []int64{0}, lineTaxes: []int64{0}},
	{name: "seven_and_a_half_percent_tax", lines: []domain.InvoiceLine{{QuantityMilli: 1000, UnitPrice: 1999, TaxRateBP: 750}},
		want: domain.InvoiceTotals{Subtotal: 1999, Tax: 150, Total: 2149}, lineDiscs: []int64{0}, lineTaxes: []int64{150}},
	{name: "full_discount_leaves_nothing_to_tax",
		lines:      []domain.InvoiceLine{{QuantityMilli: 1000, UnitPrice: 1000, TaxRateBP: 2000}, {QuantityMilli: 2000, UnitPrice: 333, TaxRateBP: 750}},
		discountBP: 10000, want: domain.InvoiceTotals{Subtotal: 1666, Discount: 1666, Total: 0},
		lineDiscs: []int64{1000, 666}, lineTaxes: []int64{0, 0}},
	{name: "discount_remainder_goes_to_the_earliest_largest_remainder",
		lines: []domain.InvoiceLine{{QuantityMilli: 1000, UnitPrice: 100, TaxRateBP: 1000},
			{QuantityMilli: 1000, UnitPrice: 100, TaxRateBP: 1000}, {QuantityMilli: 1000, UnitPrice: 100, TaxRateBP: 1000}},
		discountBP: 3333, want: domain.InvoiceTotals{Subtotal: 300, Discount: 100, Tax: 21, Total: 221},
		lineDiscs: []int64{34, 33, 33}, lineTaxes: []int64{7, 7, 7}},
	{name: "large_amounts_do_not_overflow",
		lines:      []domain.InvoiceLine{{QuantityMilli: 1_000_000_000, UnitPrice: 900_000_000, TaxRateBP: 1000}},
		discountBP: 500, want: domain.InvoiceTotals{Subtotal: 900_000_000_000_000, Discount: 45_000_000_000_000,
			Tax: 85_500_000_000_000, Total: 940_500_000_000_000},
		lineDiscs: []int64{45_000_000_000_000}, lineTaxes: []int64{85_500_000_000_000}},
	{name: "largest_allowed_total", lines: []domain.InvoiceLine{{QuantityMilli: 1_000_000_000, UnitPrice: 1_000_000_000}},
		want:      domain.InvoiceTotals{Subtotal: 1_000_000_000_000_000, Total: 1_000_000_000_000_000},
		lineDiscs: []int64{0}, lineTaxes: []int64{0}},
	{name: "tax_pushing_past_the_maximum_is_refused",
		lines:        []domain.InvoiceLine{{QuantityMilli: 1_000_000_000, UnitPrice: 1_000_000_000, TaxRateBP: 1}},
		wantTooLarge: true},
	{name: "largest_line_is_refused_not_wrapped",
		lines:        []domain.InvoiceLine{{QuantityMilli: 1_000_000_000, UnitPrice: 1_000_000_000_000}},
		wantTooLarge: true},
}

func TestComputeInvoiceTotals(t *testing.T) {
	for _, tc := range invoiceTotalsCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := domain.ComputeInvoiceTotals(tc.lines, tc.discountBP)
			if tc.wantTooLarge {
				if domain.ErrorCode(err) != domain.EINVALID {
					t.Fatalf("err = %v, want validation_failed", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("totals = %+v, want %+v", got, tc.want)
			}
			for i, l := range tc.lines {
				if l.Discount != tc.lineDiscs[i] || l.Tax != tc.lineTaxes[i] {
					t.Errorf("line %d discount/tax = %d/%d, want %d/%d", i, l.Discount, l.Tax, tc.lineDiscs[i], tc.lineTaxes[i])
				}
			}
		})
	}
}

func TestQuantityForMinutesRoundsToThousandthsOfAnHour(t *testing.T) {
	for _, tc := range []struct{ minutes, want int64 }{{20, 333}, {40, 667}, {1, 17}, {90, 1500}, {0, 0}} {
		if got := domain.QuantityForMinutes(tc.minutes); got != tc.want {
			t.Errorf("QuantityForMinutes(%d) = %d, want %d", tc.minutes, got, tc.want)
		}
	}
}

func TestInvoiceValidate(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	valid := func() *domain.Invoice {
		return &domain.Invoice{ClientID: "c", Currency: "eur", IssueDate: day("2026-01-10"), DueDate: day("2026-02-09"),
			Lines: []domain.InvoiceLine{{Description: " Design ", QuantityMilli: 2000, UnitPrice: 5000, TaxRateBP: 2000}}}
	}
	t.Run("valid_invoice_gets_its_totals", func(t *testing.T) {
		inv := valid()
		inv.Normalize()
		if err := inv.Validate(); err != nil {
			t.Fatal(err)
		}
		if inv.Currency != "EUR" || inv.Lines[0].Description != "Design" || inv.Total != 12000 {
			t.Fatalf("got currency %q, description %q, total %d", inv.Currency, inv.Lines[0].Description, inv.Total)
		}
	})
	for name, breakIt := range map[string]func(*domain.Invoice){
		"due_before_issue":  func(i *domain.Invoice) { i.DueDate = day("2026-01-09") },
		"no_client":         func(i *domain.Invoice) { i.ClientID = "" },
		"bad_currency":      func(i *domain.Invoice) { i.Currency = "EURO" },
		"discount_over_100": func(i *domain.Invoice) { i.DiscountBP = 10001 },
		"zero_quantity":     func(i *domain.Invoice) { i.Lines[0].QuantityMilli = 0 },
		"negative_price":    func(i *domain.Invoice) { i.Lines[0].UnitPrice = -1 },
		"tax_over_100":      func(i *domain.Invoice) { i.Lines[0].TaxRateBP = 10001 },
		"empty_description": func(i *domain.Invoice) { i.Lines[0].Description = "  " },
		"too_many_lines":    func(i *domain.Invoice) { i.Lines = make([]domain.InvoiceLine, domain.MaxInvoiceLines+1) },
	} {
		t.Run("refuses_"+name, func(t *testing.T) {
			inv := valid()
			breakIt(inv)
			inv.Normalize()
			if err := inv.Validate(); domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("err = %v, want validation_failed", err)
			}
		})
	}
}

func TestValidatePayment(t *testing.T) {
	inv := &domain.Invoice{Status: domain.InvoiceSent, InvoiceTotals: domain.InvoiceTotals{Total: 1000}, AmountPaid: 400}
	ok := &domain.InvoicePayment{Amount: 600, PaidOn: time.Now(), Method: "card"}
	if err := domain.ValidatePayment(inv, ok); err != nil {
		t.Fatalf("paying the balance: %v", err)
	}
	over := &domain.InvoicePayment{Amount: 601, PaidOn: time.Now(), Method: "card"}
	if err := domain.ValidatePayment(inv, over); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("overpaying: err = %v, want validation_failed", err)
	}
	inv.Status = domain.InvoiceDraft
	if err := domain.ValidatePayment(inv, ok); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("paying a draft: err = %v, want conflict", err)
	}
}

func TestValidatePaymentOfZero(t *testing.T) {
	zero := &domain.InvoicePayment{Amount: 0, PaidOn: time.Now(), Method: "other"}
	free := &domain.Invoice{Status: domain.InvoiceSent}
	if err := domain.ValidatePayment(free, zero); err != nil {
		t.Fatalf("marking a zero-total invoice paid: %v", err)
	}
	owed := &domain.Invoice{Status: domain.InvoiceOverdue, InvoiceTotals: domain.InvoiceTotals{Total: 1000}}
	if err := domain.ValidatePayment(owed, zero); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("0 against a balance of 1000: err = %v, want validation_failed", err)
	}
	negative := &domain.InvoicePayment{Amount: -1, PaidOn: time.Now(), Method: "other"}
	if err := domain.ValidatePayment(free, negative); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a negative amount: err = %v, want validation_failed", err)
	}
}

func TestInvoiceDueAtIsTheStartOfTheNextDayInTheOrgTimezone(t *testing.T) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	want := time.Date(2026, 3, 11, 4, 0, 0, 0, time.UTC) // midnight EDT
	if got := domain.InvoiceDueAt(due, loc); !got.Equal(want) {
		t.Fatalf("InvoiceDueAt = %v, want %v", got, want)
	}
}

func TestInvoiceFormatting(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{domain.FormatMoney(123450, "EUR"), "1,234.50 EUR"},
		{domain.FormatMoney(5, "USD"), "0.05 USD"},
		{domain.FormatMoney(1500, "JPY"), "1,500 JPY"},
		{domain.FormatMoney(1234, "KWD"), "1.234 KWD"},
		{domain.FormatMoney(1_000_000_000_000_000, "USD"), "10,000,000,000,000.00 USD"},
		{domain.FormatMoney(-123450, "EUR"), "-1,234.50 EUR"},
		{domain.DecimalAmount(123450, "EUR"), "1234.50"},
		{domain.DecimalAmount(-1250, "USD"), "-12.50"},
		{domain.DecimalAmount(1500, "JPY"), "1500"},
		{domain.DecimalAmount(1234, "KWD"), "1.234"},
		{domain.FormatQuantity(1500), "1.5"},
		{domain.FormatQuantity(333), "0.333"},
		{domain.FormatQuantity(2000), "2"},
		{domain.FormatBasisPoints(750), "7.5%"},
		{domain.FormatBasisPoints(2000), "20%"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
