package domain

import (
	"math/rand/v2"
	"strings"
)

// positionDigits are the digits of fractional-index keys, in byte order, so keys compare correctly as
// plain strings (columns use COLLATE "C").
const positionDigits = "0123456789abcdefghijklmnopqrstuvwxyz"

// PositionBetween returns a key that sorts strictly between before and after, so moving a card or a
// column rewrites only that one row. before == "" means "at the start", after == "" means "at the end".
// Keys never end in '0' (so there is always room below them). It follows the midpoint construction of
// fractional indexing (Greenspan, "Implementing Fractional Indexing"). Errors: EINVALID when before is
// not below after or a key is malformed.
func PositionBetween(before, after string) (string, error) {
	if !validPosition(before) || !validPosition(after) || (after != "" && before >= after) {
		return "", Errorf(EINVALID, "The neighbouring positions are invalid.")
	}
	switch {
	case before == "" && after == "":
		return "i", nil
	case after == "":
		return increment(before), nil
	case before == "":
		return decrement(after), nil
	}
	return midpoint(before, after), nil
}

// PositionAmong returns a key strictly between before and after, like PositionBetween, followed by two
// random digits: two writers placing a card in the same gap at the same moment (both appending to a
// column, say) then almost never pick the same key, so neither has to wait for the other or retry.
func PositionAmong(before, after string) (string, error) {
	k, err := PositionBetween(before, after)
	if err != nil {
		return "", err
	}
	// Anything appended to k stays below after unless k is a prefix of after; step closer until it is not.
	for after != "" && strings.HasPrefix(after, k) {
		if k, err = PositionBetween(k, after); err != nil {
			return "", err
		}
	}
	k += string(positionDigits[rand.IntN(len(positionDigits))]) + string(positionDigits[1+rand.IntN(len(positionDigits)-1)])
	if !validPosition(k) {
		return "", Errorf(EINVALID, "The neighbouring positions are invalid.")
	}
	return k, nil
}

// PositionsEven returns n short keys in increasing order, evenly spread, to renumber a list whose keys have
// grown long: every key has the same width, so each sorts where its index says.
func PositionsEven(n int) []string {
	width := 1
	for room := len(positionDigits); room <= n; room *= len(positionDigits) {
		width++
	}
	out := make([]string, n)
	for i := range out {
		k, v := make([]byte, width), i+1
		for d := width - 1; d >= 0; d-- {
			k[d] = positionDigits[v%len(positionDigits)]
			v /= len(positionDigits)
		}
		out[i] = string(k) + "i"
	}
	return out
}

// PositionLong is the key length past which a list is renumbered with PositionsEven: well below the
// 255-character limit, and reached only after thousands of moves into the same spot.
const PositionLong = 64

// increment returns a key just above k that is as short as possible: appending at the end (the common
// move) grows keys by one character per 35 appends instead of one per few, as midpoints would.
func increment(k string) string {
	if k == "" {
		return positionDigits[1:2]
	}
	if i := strings.IndexByte(positionDigits, k[0]); i < len(positionDigits)-1 {
		return positionDigits[i+1 : i+2]
	}
	return k[:1] + increment(k[1:])
}

// decrement returns a key just below k (k is not empty and has no trailing zero), for inserting first.
func decrement(k string) string {
	switch i := strings.IndexByte(positionDigits, k[0]); {
	case i > 1:
		return positionDigits[i-1 : i]
	case i == 1:
		return "0" + positionDigits[len(positionDigits)-1:]
	}
	return "0" + decrement(k[1:])
}

// midpoint assumes a < b (b == "" is +infinity) and no trailing zeros.
func midpoint(a, b string) string {
	if b != "" {
		n := 0
		for n < len(b) && digitAt(a, n) == b[n] {
			n++
		}
		if n > 0 {
			rest := ""
			if n < len(a) {
				rest = a[n:]
			}
			return b[:n] + midpoint(rest, b[n:])
		}
	}
	lo := 0
	if a != "" {
		lo = strings.IndexByte(positionDigits, a[0])
	}
	hi := len(positionDigits)
	if b != "" {
		hi = strings.IndexByte(positionDigits, b[0])
	}
	if hi-lo > 1 {
		return string(positionDigits[(lo+hi+1)/2])
	}
	if len(b) > 1 {
		return b[:1]
	}
	rest := ""
	if len(a) > 1 {
		rest = a[1:]
	}
	return string(positionDigits[lo]) + midpoint(rest, "")
}

// digitAt reads a's digit n, treating missing digits as '0'.
func digitAt(a string, n int) byte {
	if n < len(a) {
		return a[n]
	}
	return '0'
}

func validPosition(p string) bool {
	if p == "" {
		return true
	}
	if p[len(p)-1] == '0' || len(p) > 255 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if strings.IndexByte(positionDigits, p[i]) < 0 {
			return false
		}
	}
	return true
}
