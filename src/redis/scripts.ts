/**
 * The Lua scripts behind RedisStorage: each operation that enforces a limit is one script, so it is atomic across
 * every process sharing the store and costs one round trip. KEYS share a `{namespace}` hash tag (one cluster slot).
 * `-1` stands for an unlimited limit.
 */

/** KEYS: counters hash, per-tool hash. ARGV: ttl ms. Counts an attempt; returns [counters, per-tool] as flat arrays. */
export const BEGIN = `
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
local s = redis.call('HGETALL', KEYS[1])
local t = redis.call('HGETALL', KEYS[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return {s, t}`;

/**
 * KEYS: counters hash, per-tool hash. ARGV: tool, maxToolCalls, maxForTool, force (1/0), ttl ms.
 * Reserves an execution within the limits (or counts it anyway with force); returns {ok, limit, executions}.
 */
export const RESERVE = `
local ex = tonumber(redis.call('HGET', KEYS[1], 'executions') or '0')
local forTool = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
local over = ''
if ARGV[2] ~= '-1' and ex >= tonumber(ARGV[2]) then over = 'maxToolCalls'
elseif ARGV[3] ~= '-1' and forTool >= tonumber(ARGV[3]) then over = 'maxCallsPerTool' end
if over ~= '' and ARGV[4] ~= '1' then return {0, over, ex} end
ex = redis.call('HINCRBY', KEYS[1], 'executions', 1)
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('HSET', KEYS[1], 'consecutiveDenials', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
if over == '' then return {1, '', ex} end
return {0, over, ex}`;

/**
 * KEYS: counters hash, interventions hash. ARGV: outcome, rule ('' for none), side effect (1/0), ttl ms.
 * Updates streaks and totals; returns the streak it changed.
 */
export const OUTCOME = `
local o = ARGV[1]
local streak = 0
if ARGV[2] ~= '' then redis.call('HINCRBY', KEYS[2], ARGV[2], 1) redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
if o == 'denied' then
	redis.call('HINCRBY', KEYS[1], 'denied', 1)
	streak = redis.call('HINCRBY', KEYS[1], 'consecutiveDenials', 1)
elseif o == 'replayed' then
	redis.call('HINCRBY', KEYS[1], 'replayed', 1)
	redis.call('HSET', KEYS[1], 'consecutiveDenials', 0)
elseif o == 'failed' then
	redis.call('HINCRBY', KEYS[1], 'failed', 1)
	if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[1], 'sideEffectsExecuted', 1) end
	streak = redis.call('HINCRBY', KEYS[1], 'consecutiveFailures', 1)
else
	if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[1], 'sideEffectsExecuted', 1) end
	redis.call('HSET', KEYS[1], 'consecutiveFailures', 0)
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return streak`;

/**
 * Compare-and-set of one guard value. KEYS: value key, group zset ('' key when unbounded), group sequence key.
 * ARGV: expected exists (1/0), expected JSON, new exists (1/0), new JSON, ttl ms, group max (-1 for none).
 * Returns {1} when written, or {0, current} when the value changed meanwhile (the caller retries from `current`).
 * A new member of a bounded group evicts the oldest members beyond `max`.
 */
export const COMPARE_AND_SET = `
local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
	if cur ~= ARGV[2] then return {0, cur or false} end
elseif cur then
	return {0, cur}
end
local max = tonumber(ARGV[6])
if ARGV[3] == '0' then
	redis.call('DEL', KEYS[1])
	if max >= 0 then redis.call('ZREM', KEYS[2], KEYS[1]) end
	return {1}
end
redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
if max >= 0 and not cur then
	local seq = redis.call('INCR', KEYS[3])
	redis.call('ZADD', KEYS[2], seq, KEYS[1])
	local extra = redis.call('ZCARD', KEYS[2]) - max
	if extra > 0 then
		local old = redis.call('ZRANGE', KEYS[2], 0, extra - 1)
		for _, key in ipairs(old) do redis.call('DEL', key) end
		redis.call('ZREMRANGEBYRANK', KEYS[2], 0, extra - 1)
	end
	redis.call('PEXPIRE', KEYS[2], ARGV[5])
	redis.call('PEXPIRE', KEYS[3], ARGV[5])
end
return {1}`;
