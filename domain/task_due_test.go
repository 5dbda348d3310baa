package domain_test

import (
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func day(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }

// kindOn returns the notice DueWindow owes tasks due on date at now, "" for none.
func kindOn(now time.Time, loc *time.Location, date string) string {
	for _, w := range domain.DueWindow(now, loc) {
		if w.Date.Equal(day(date)) {
			return w.Kind
		}
	}
	return ""
}

func TestDueWindow(t *testing.T) {
	auckland := mustZone(t, "Pacific/Auckland") // UTC+13 in March (daylight time)
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	cases := []struct {
		name string
		now  string
		loc  *time.Location
		date string
		want string
	}{
		{"a_day_and_more_before_nothing", "2026-03-09T23:59:59Z", time.UTC, "2026-03-11", ""},
		{"24_hours_before_the_end_of_the_day_due_soon", "2026-03-10T00:00:00Z", time.UTC, "2026-03-10", domain.DueNoticeSoon},
		{"last_second_of_the_day_still_due_soon", "2026-03-10T23:59:59Z", time.UTC, "2026-03-10", domain.DueNoticeSoon},
		{"end_of_the_day_overdue", "2026-03-11T00:00:00Z", time.UTC, "2026-03-10", domain.DueNoticeOverdue},
		{"overdue_for_a_week_still_owed", "2026-03-18T00:00:00Z", time.UTC, "2026-03-10", domain.DueNoticeOverdue},
		{"overdue_for_more_than_a_week_not_owed", "2026-03-18T00:00:01Z", time.UTC, "2026-03-10", ""},
		{"auckland_day_ends_at_11_utc_not_yet", "2026-03-10T10:59:59Z", auckland, "2026-03-10", domain.DueNoticeSoon},
		{"auckland_day_ends_at_11_utc", "2026-03-10T11:00:00Z", auckland, "2026-03-10", domain.DueNoticeOverdue},
		{"auckland_next_day_already_due_soon", "2026-03-10T11:00:00Z", auckland, "2026-03-11", domain.DueNoticeSoon},
		{"utc_same_instant_not_overdue", "2026-03-10T11:00:00Z", time.UTC, "2026-03-10", domain.DueNoticeSoon},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := kindOn(at(c.now), c.loc, c.date); got != c.want {
				t.Fatalf("DueWindow(%s, %s) for %s = %q, want %q", c.now, c.loc, c.date, got, c.want)
			}
		})
	}
}

func TestNextDueCheck(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	t.Run("a_task_due_in_five_days_is_next_reminded_24_hours_before_its_day_ends", func(t *testing.T) {
		now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		want := time.Date(2026, 6, 6, 0, 0, 0, 0, berlin)
		if got := domain.NextDueCheck(now, day("2026-06-06"), berlin); !got.Equal(want) {
			t.Fatalf("next %s, want %s", got, want)
		}
	})
	t.Run("a_task_due_today_is_next_overdue_at_midnight", func(t *testing.T) {
		now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		want := time.Date(2026, 6, 2, 0, 0, 0, 0, berlin)
		if got := domain.NextDueCheck(now, day("2026-06-01"), berlin); !got.Equal(want) {
			t.Fatalf("next %s, want %s", got, want)
		}
	})
	t.Run("before_a_23_hour_day_its_reminder_comes_an_hour_before_the_previous_days_overdue", func(t *testing.T) {
		// 29 March 2026 lasts 23 hours in Berlin (daylight time starts), so 24 hours before it ends is
		// 23:00 on the 28th, an hour before tasks due on the 28th become overdue.
		now := time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC)
		want := time.Date(2026, 3, 28, 23, 0, 0, 0, berlin)
		if got := domain.NextDueCheck(now, day("2026-03-28"), berlin); !got.Equal(want) {
			t.Fatalf("next %s, want %s", got, want)
		}
		if overdue := domain.DueAt(day("2026-03-28"), berlin); !want.Before(overdue) {
			t.Fatalf("the 29th's reminder %s should come before the 28th's overdue %s", want, overdue)
		}
	})
	t.Run("nothing_upcoming", func(t *testing.T) {
		if got := domain.NextDueCheck(time.Now(), time.Time{}, berlin); !got.IsZero() {
			t.Fatalf("next %s, want zero", got)
		}
	})
}
