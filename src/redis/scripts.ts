import { INTEGRITY } from './integrity.js';

/**
 * The Lua scripts behind RedisStorage: each operation is one script, so it is atomic across every process sharing
 * the store and costs one round trip. Each starts with the {@link INTEGRITY} prelude (KEYS and ARGV[1..4] are
 * described there; an operation's own arguments start at ARGV[5]) and refreshes the expiry of both of the session's
 * keys together when it writes, so a session in use never loses part of its state. `-1` stands for an unlimited
 * limit.
 */
const script = (body: string): string => `${INTEGRITY}\n${body}`;

/** Counts an attempt; answers the state hash as a flat array. */
export const BEGIN = script(`
local epoch, lost = open_session(true)
if lost then return lost end
redis.call('HINCRBY', S, 'attempts', 1)
expire()
return {0, epoch, redis.call('HGETALL', S)}`);

/**
 * ARGV[5] tool, ARGV[6] maxToolCalls, ARGV[7] maxForTool, ARGV[8] force (1/0). Reserves an execution within the
 * limits (or counts it anyway with force); answers ok (1/0), the limit hit, and the executions.
 */
export const RESERVE = script(`
local epoch, lost = open_session(true)
if lost then return lost end
local tool = 't:' .. ARGV[5]
local ex = tonumber(redis.call('HGET', S, 'executions') or '0')
local forTool = tonumber(redis.call('HGET', S, tool) or '0')
local over = ''
if ARGV[6] ~= '-1' and ex >= tonumber(ARGV[6]) then over = 'maxToolCalls'
elseif ARGV[7] ~= '-1' and forTool >= tonumber(ARGV[7]) then over = 'maxCallsPerTool' end
if over ~= '' and ARGV[8] ~= '1' then return {0, epoch, 0, over, ex} end
ex = redis.call('HINCRBY', S, 'executions', 1)
redis.call('HINCRBY', S, tool, 1)
redis.call('HSET', S, 'consecutiveDenials', 0)
expire()
if over == '' then return {0, epoch, 1, '', ex} end
return {0, epoch, 0, over, ex}`);

/** ARGV[5] outcome, ARGV[6] rule ('' for none), ARGV[7] side effect (1/0). Answers the streak it changed. */
export const OUTCOME = script(`
local epoch, lost = open_session(true)
if lost then return lost end
local o = ARGV[5]
local streak = 0
if ARGV[6] ~= '' then redis.call('HINCRBY', S, 'i:' .. ARGV[6], 1) end
if o == 'denied' then
	redis.call('HINCRBY', S, 'denied', 1)
	streak = redis.call('HINCRBY', S, 'consecutiveDenials', 1)
elseif o == 'replayed' then
	redis.call('HINCRBY', S, 'replayed', 1)
	redis.call('HSET', S, 'consecutiveDenials', 0)
elseif o == 'failed' then
	redis.call('HINCRBY', S, 'failed', 1)
	if ARGV[7] == '1' then redis.call('HINCRBY', S, 'sideEffectsExecuted', 1) end
	streak = redis.call('HINCRBY', S, 'consecutiveFailures', 1)
else
	if ARGV[7] == '1' then redis.call('HINCRBY', S, 'sideEffectsExecuted', 1) end
	redis.call('HSET', S, 'consecutiveFailures', 0)
end
expire()
return {0, epoch, streak}`);

/** ARGV[5] reason. Halts the session. */
export const HALT = script(`
local epoch, lost = open_session(true)
if lost then return lost end
redis.call('HSET', S, 'halted', ARGV[5])
if ARGV[6] ~= '' then redis.call('HSET', S, 'haltedBy', ARGV[6]) else redis.call('HDEL', S, 'haltedBy') end
expire()
return {0, epoch}`);

/** Answers the state hash as a flat array (empty for an unknown session), without creating anything. */
export const TOTALS = script(`
local epoch, lost = open_session(false)
if lost then return lost end
return {0, epoch, redis.call('HGETALL', S)}`);

/** ARGV[5] value key. Answers the value's JSON, or false. */
export const READ = script(`
local epoch, lost = open_session(false)
if lost then return lost end
return {0, epoch, redis.call('HGET', V, 'v:' .. ARGV[5])}`);

/**
 * Compare-and-set of one guard value. ARGV[5] key, ARGV[6] expected exists (1/0), ARGV[7] expected JSON, ARGV[8] new
 * exists (1/0), ARGV[9] new JSON, ARGV[10] group ('' for none), ARGV[11] group max (-1 for none). Answers 1 when
 * written, or 0 and the current JSON when the value changed meanwhile (the caller retries from it).
 *
 * A bounded group is a ring of `max` slots in the values hash (`r:<group>:<slot>` names the key in a slot,
 * `o:<group>:<key>` the slot of a key, `n:<group>` the next slot): a new key takes the next slot and evicts the key
 * there, unless that key was deleted or re-inserted meanwhile (its slot no longer matches).
 */
export const COMPARE_AND_SET = script(`
local epoch, lost = open_session(true)
if lost then return lost end
local key, group, max = ARGV[5], ARGV[10], tonumber(ARGV[11])
local field = 'v:' .. key
local cur = redis.call('HGET', V, field)
if ARGV[6] == '1' then
	if cur ~= ARGV[7] then return {0, epoch, 0, cur} end
elseif cur then
	return {0, epoch, 0, cur}
end
if ARGV[8] == '0' then
	redis.call('HDEL', V, field)
	if max >= 0 then redis.call('HDEL', V, 'o:' .. group .. ':' .. key) end
	expire()
	return {0, epoch, 1}
end
redis.call('HSET', V, '_', epoch, field, ARGV[9])
redis.call('HSET', S, 'values', 1)
if max >= 1 and not cur then
	local next = 'n:' .. group
	local slot = tonumber(redis.call('HGET', V, next) or '0') % max
	redis.call('HSET', V, next, (slot + 1) % max)
	local ring = 'r:' .. group .. ':' .. slot
	local previous = redis.call('HGET', V, ring)
	redis.call('HSET', V, ring, key, 'o:' .. group .. ':' .. key, slot)
	if previous and previous ~= key and redis.call('HGET', V, 'o:' .. group .. ':' .. previous) == tostring(slot) then
		redis.call('HDEL', V, 'o:' .. group .. ':' .. previous, 'v:' .. previous)
	end
end
expire()
return {0, epoch, 1}`);

/**
 * Forgets a session on purpose: both keys go, and the new epoch lists the old ones, so processes that saw them follow
 * the reset quietly instead of taking it for lost state. Answers the new epoch.
 */
export const RESET = script(`
local head = redis.call('HMGET', S, 'epoch', 'prior')
redis.call('DEL', S, V)
redis.call('HSET', S, 'epoch', FRESH, 'prior', lineage(EXPECTED, head[1], head[2]))
expire()
return {0, FRESH}`);
