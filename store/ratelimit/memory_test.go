package ratelimit_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/ratelimit"
)

func TestMemory(t *testing.T) {
	t.Run("evicts_idle_keys_without_a_background_goroutine", func(t *testing.T) {
		const keys = 5000
		clock := newFakeClock()
		m := ratelimit.NewMemory()
		m.Now = clock.Now
		for i := range keys {
			mustAllow(t, m, "user:"+strconv.Itoa(i), 10, time.Second)
		}
		require.Equal(t, keys, m.Len(), "keys still inside their window are kept")

		clock.Advance(time.Second)
		for range 2 * keys {
			mustAllow(t, m, "active", 1_000_000, time.Minute)
		}
		assert.Equal(t, 1, m.Len(), "only the active key survives")
	})
}

func BenchmarkMemory(b *testing.B) {
	benchmarkLimiter(b, ratelimit.NewMemory())
}
