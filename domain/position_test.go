package domain_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/clientflow/clientflow/domain"
)

func TestPositionBetween(t *testing.T) {
	t.Run("random_inserts_keep_a_strict_order", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		var keys []string
		for i := 0; i < 2000; i++ {
			at := r.IntN(len(keys) + 1)
			before, after := "", ""
			if at > 0 {
				before = keys[at-1]
			}
			if at < len(keys) {
				after = keys[at]
			}
			k, err := domain.PositionBetween(before, after)
			if err != nil {
				t.Fatalf("insert %d between %q and %q: %v", i, before, after, err)
			}
			if (before != "" && k <= before) || (after != "" && k >= after) {
				t.Fatalf("%q is not between %q and %q", k, before, after)
			}
			keys = slices.Insert(keys, at, k)
		}
		if !slices.IsSorted(keys) {
			t.Fatal("keys are not sorted")
		}
	})
	t.Run("appending_and_prepending_grow_slowly", func(t *testing.T) {
		first, last := "", ""
		for i := 0; i < 2000; i++ {
			next, err := domain.PositionBetween(last, "")
			if err != nil || next <= last {
				t.Fatalf("append after %q: %q %v", last, next, err)
			}
			last = next
			prev, err := domain.PositionBetween("", first)
			if err != nil || (first != "" && prev >= first) {
				t.Fatalf("prepend before %q: %q %v", first, prev, err)
			}
			first = prev
		}
		if len(last) > 70 || len(first) > 70 {
			t.Fatalf("after 2,000 appends and prepends the keys are %d and %d characters long", len(last), len(first))
		}
	})
	t.Run("bad_neighbours_are_refused", func(t *testing.T) {
		for _, tc := range [][2]string{{"b", "a"}, {"a", "a"}, {"a0", ""}, {"A", ""}, {"", "é"}} {
			if _, err := domain.PositionBetween(tc[0], tc[1]); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("PositionBetween(%q, %q) = %v, want validation_failed", tc[0], tc[1], err)
			}
		}
	})
}

func TestPositionAmong(t *testing.T) {
	t.Run("random_inserts_keep_a_strict_order", func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		keys := []string{}
		for i := 0; i < 3000; i++ {
			at := r.IntN(len(keys) + 1)
			before, after := "", ""
			if at > 0 {
				before = keys[at-1]
			}
			if at < len(keys) {
				after = keys[at]
			}
			k, err := domain.PositionAmong(before, after)
			if err != nil {
				t.Fatalf("insert %d between %q and %q: %v", i, before, after, err)
			}
			if (before != "" && k <= before) || (after != "" && k >= after) {
				t.Fatalf("%q is not between %q and %q", k, before, after)
			}
			keys = slices.Insert(keys, at, k)
		}
	})
	t.Run("stays_below_a_neighbour_it_prefixes", func(t *testing.T) {
		for _, tc := range [][2]string{{"a", "b1"}, {"", "1"}, {"a", "a01"}, {"0i", "1"}, {"y", "z"}} {
			for range 200 {
				k, err := domain.PositionAmong(tc[0], tc[1])
				if err != nil || k <= tc[0] || k >= tc[1] {
					t.Fatalf("between %q and %q got %q, %v", tc[0], tc[1], k, err)
				}
			}
		}
	})
	t.Run("concurrent_appends_rarely_collide", func(t *testing.T) {
		seen := map[string]bool{}
		for range 50 {
			k, _ := domain.PositionAmong("m", "")
			seen[k] = true
		}
		if len(seen) < 45 {
			t.Fatalf("50 appends after the same key gave only %d distinct keys", len(seen))
		}
	})
}

func TestPositionsEven(t *testing.T) {
	for _, n := range []int{1, 35, 36, 1295, 1296, 10000} {
		keys := domain.PositionsEven(n)
		if len(keys) != n || !slices.IsSorted(keys) || len(slices.Compact(slices.Clone(keys))) != n {
			t.Fatalf("n=%d: keys not strictly increasing", n)
		}
		for _, k := range keys {
			if _, err := domain.PositionBetween(k, ""); err != nil || len(k) > 4 {
				t.Fatalf("n=%d: bad key %q", n, k)
			}
		}
	}
}
