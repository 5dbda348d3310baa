package domain_test

import (
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
)

func TestBillableAmountRoundsHalfUpToAMinorUnit(t *testing.T) {
	for _, tc := range []struct{ minutes, rate, want int64 }{
		{1, 12390, 207},    // 206.5 → 207
		{1, 12330, 206},    // 205.5 → 206
		{1, 12345, 206},    // 205.75 → 206
		{7, 12345, 1440},   // 1440.25 → 1440
		{60, 10000, 10000}, // exact
		{0, 10000, 0},
	} {
		if got := domain.BillableAmount(tc.minutes, tc.rate); got != tc.want {
			t.Errorf("BillableAmount(%d, %d) = %d, want %d", tc.minutes, tc.rate, got, tc.want)
		}
	}
}

func TestStopRoundsToTheNearestMinuteAndAtLeastOne(t *testing.T) {
	start := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		elapsed time.Duration
		want    int
	}{
		{10 * time.Second, 1},
		{89*time.Minute + 29*time.Second, 89},
		{89*time.Minute + 30*time.Second, 90},
		{-time.Minute, 1}, // a clock that went backwards still records the work
	} {
		e := &domain.TimeEntry{StartedAt: start}
		e.Stop(start.Add(tc.elapsed))
		if *e.Minutes != tc.want || e.EndedAt.Before(start) {
			t.Errorf("stop after %v = %d minutes (ended %v), want %d", tc.elapsed, *e.Minutes, e.EndedAt, tc.want)
		}
	}
}
