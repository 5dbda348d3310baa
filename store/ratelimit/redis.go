package ratelimit

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// slidingLog runs the whole check in one atomic round trip.
//
// The caller passes its own clock (ARGV[1]) instead of the script calling TIME:
// tests can then drive time without sleeping, and API hosts run NTP, so a few
// milliseconds of skew only shifts window edges by as much. The member (ARGV[4])
// carries a random suffix because many events can share one millisecond, and a
// sorted set would silently merge equal members.
//
// Returns {allowed (0/1), remaining, retry-after ms}.
var slidingLog = redis.NewScript(`
local key    = KEYS[1]
local now    = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit  = tonumber(ARGV[3])

redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local used = redis.call('ZCARD', key)
if used < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  return {1, limit - used - 1, 0}
end
-- Normally used == limit and this is the oldest event; if the limit was
-- lowered since, it is the event whose expiry brings the count under it.
local freeing = redis.call('ZRANGE', key, used - limit, used - limit, 'WITHSCORES')
return {0, 0, tonumber(freeing[2]) + window - now}
`)

// peekLog is slidingLog without the ZADD: the same answer, nothing recorded.
var peekLog = redis.NewScript(`
local key    = KEYS[1]
local now    = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit  = tonumber(ARGV[3])

redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local used = redis.call('ZCARD', key)
if used < limit then
  return {1, limit - used - 1, 0}
end
local freeing = redis.call('ZRANGE', key, used - limit, used - limit, 'WITHSCORES')
return {0, 0, tonumber(freeing[2]) + window - now}
`)

// Redis is a Limiter shared by every API instance, storing one sorted set per key.
type Redis struct {
	// Now returns the current time; nil means time.Now. Tests set it, before first use, to drive time.
	Now func() time.Time

	rdb    redis.UniversalClient
	prefix string
}

var _ Limiter = (*Redis)(nil)

// NewRedis returns a Limiter whose keys live in rdb under prefix (e.g. "ratelimit:").
func NewRedis(rdb redis.UniversalClient, prefix string) *Redis {
	return &Redis{rdb: rdb, prefix: prefix}
}

// Allow implements Limiter.
func (r *Redis) Allow(ctx context.Context, key string, limit int, window time.Duration) (Decision, error) {
	if err := checkArgs(limit, window); err != nil {
		return Decision{}, err
	}
	now := nowMillis(r.Now)
	member := strconv.FormatInt(now, 10) + "-" + strconv.FormatUint(rand.Uint64(), 36)
	res, err := slidingLog.Run(ctx, r.rdb, []string{r.prefix + key},
		now, window.Milliseconds(), limit, member).Int64Slice()
	if err != nil {
		return Decision{}, fmt.Errorf("ratelimit: redis check for %q: %w", key, err)
	}
	if res[0] == 1 {
		return allowed(limit, limit-int(res[1])), nil
	}
	return refused(limit, res[2]), nil
}

// Peek implements Limiter.
func (r *Redis) Peek(ctx context.Context, key string, limit int, window time.Duration) (Decision, error) {
	if err := checkArgs(limit, window); err != nil {
		return Decision{}, err
	}
	res, err := peekLog.Run(ctx, r.rdb, []string{r.prefix + key}, nowMillis(r.Now), window.Milliseconds(), limit).Int64Slice()
	if err != nil {
		return Decision{}, fmt.Errorf("ratelimit: redis peek for %q: %w", key, err)
	}
	if res[0] == 1 {
		return allowed(limit, limit-int(res[1])), nil
	}
	return refused(limit, res[2]), nil
}
