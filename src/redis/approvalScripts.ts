/**
 * The Lua scripts behind RedisApprovalStore: each operation on a request is one script, so it is atomic across every
 * process sharing the store (two approvers racing: one wins; two identical calls racing for one grant: one runs).
 * A request is a hash: `json` (the immutable request body, written by JavaScript), `status`, `exp` (expiry, ms since
 * the epoch), and once resolved `approver`, `resolvedAt`, `note`, `reason`. Every key shares the `{approvals}` hash
 * tag (one cluster slot). Scripts return `{outcome, id, HGETALL of the request}`.
 */

/** Marks a live request past its expiry as expired; true when it did (shared head of the scripts). */
const LAPSE = `
local function lapse(rk, now)
  local st = redis.call('HMGET', rk, 'status', 'exp')
  if (st[1] == 'pending' or st[1] == 'approved' or st[1] == 'denied') and tonumber(st[2]) <= now then
    redis.call('HSET', rk, 'status', 'expired')
    return true
  end
  return false
end
`;

/**
 * KEYS: digest key, index zset. ARGV: request key prefix, fresh id, fresh json, fresh expiry ms, now ms, createdAt ms,
 * retention ms. Finds the digest's live request (expiring, consuming a grant) or stores the fresh one.
 */
export const CLAIM = `${LAPSE}
local now = tonumber(ARGV[5])
local id = redis.call('GET', KEYS[1])
if id then
  local rk = ARGV[1] .. id
  if lapse(rk, now) then return {'expired', id, redis.call('HGETALL', rk)} end
  local status = redis.call('HGET', rk, 'status')
  if status == 'approved' then
    redis.call('HSET', rk, 'status', 'consumed')
    return {'granted', id, redis.call('HGETALL', rk)}
  end
  if status == 'denied' or status == 'pending' then return {status, id, redis.call('HGETALL', rk)} end
end
local rk = ARGV[1] .. ARGV[2]
local keep = tonumber(ARGV[4]) + tonumber(ARGV[7])
redis.call('HSET', rk, 'json', ARGV[3], 'status', 'pending', 'exp', ARGV[4])
redis.call('PEXPIREAT', rk, keep)
redis.call('SET', KEYS[1], ARGV[2])
redis.call('PEXPIREAT', KEYS[1], keep)
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 7 * 86400000 - tonumber(ARGV[7]))
return {'created', ARGV[2], redis.call('HGETALL', rk)}`;

/** KEYS: request key. ARGV: now ms. Reads a request, marking it expired when it is past its expiry. */
export const GET = `${LAPSE}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', '', {}} end
local changed = lapse(KEYS[1], tonumber(ARGV[1]))
return {changed and 'expired' or 'read', '', redis.call('HGETALL', KEYS[1])}`;

/**
 * KEYS: request key. ARGV: now ms, status, approver, resolvedAt, note, reason. Resolves a pending request,
 * write-once.
 */
export const RESOLVE = `${LAPSE}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', '', {}} end
if lapse(KEYS[1], tonumber(ARGV[1])) then return {'expired', '', redis.call('HGETALL', KEYS[1])} end
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return {'conflict', '', redis.call('HGETALL', KEYS[1])} end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'approver', ARGV[3], 'resolvedAt', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'note', ARGV[5]) end
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'reason', ARGV[6]) end
return {'ok', '', redis.call('HGETALL', KEYS[1])}`;
