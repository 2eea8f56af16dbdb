/**
 * The Lua prelude of every RedisStorage script: it finds out whether a session's state is intact before the script
 * touches it, so lost state is noticed on the operation that meets it, in the same round trip.
 *
 * A session is two keys with one hash tag and one expiry: `KEYS[1]`, the state hash (counters, per-tool executions
 * `t:<tool>`, interventions `i:<rule>`, and `epoch`), and `KEYS[2]`, the values hash (guard values `v:<key>`, bounded
 * groups, and the sentinel `_` holding the epoch it belongs to). The `epoch` is a random id given when the session's
 * state is created; each process remembers the epoch it saw last and sends it as `ARGV[1]` ('' when it knows none).
 * The state is lost when the state hash is gone although the caller saw an epoch, when the epoch changed without a
 * reset (`prior` lists the epochs a reset or a recovery replaced), or when one key of the two is gone or belongs to
 * another epoch (evicted, or expired alone).
 *
 * ARGV[1] expected epoch, ARGV[2] a fresh epoch, ARGV[3] ttl ms, ARGV[4] '1' in failMode 'open'. The operation's own
 * arguments follow from ARGV[5]. Every script answers `{0, epoch, ...}` when the state is intact, `{1, why}` when it
 * was lost (the session is then marked lost until reset: failMode 'closed'), or `{2, why, epoch}` when it was lost
 * and the session started over under a new epoch (failMode 'open').
 */
export const INTEGRITY = `
local S, V = KEYS[1], KEYS[2]
local EXPECTED, FRESH, TTL = ARGV[1], ARGV[2], ARGV[3]

local function listed(list, epoch)
	return list and string.find(' ' .. list .. ' ', ' ' .. epoch .. ' ', 1, true) ~= nil
end

-- The epochs a new epoch replaces, newest first, at most 8: callers that saw one of them follow the new one quietly.
local function lineage(...)
	local out = {}
	for _, part in ipairs({...}) do
		if part and part ~= '' then
			for epoch in string.gmatch(part, '%S+') do
				if #out < 8 and not listed(table.concat(out, ' '), epoch) then out[#out + 1] = epoch end
			end
		end
	end
	return table.concat(out, ' ')
end

local function expire()
	redis.call('PEXPIRE', S, TTL)
	redis.call('PEXPIRE', V, TTL)
end

-- Returns the session's epoch ('' when it has no state and create is false), or nil and the reply for lost state.
local function open_session(create)
	local head = redis.call('HMGET', S, 'epoch', 'lost', 'values', 'prior')
	local epoch, lost, values, prior = head[1], head[2], head[3], head[4]
	if lost then return nil, {1, lost} end
	local sentinel = redis.call('HGET', V, '_')
	local why = false
	if epoch then
		if EXPECTED ~= '' and EXPECTED ~= epoch and not listed(prior, EXPECTED) then
			why = 'was started over by another process after its state vanished'
		elseif values and sentinel ~= epoch then
			why = 'lost its guard state (the key was evicted, or expired before the session counters)'
		elseif not values and sentinel then
			why = 'has guard state from an earlier life of the session'
		end
	elseif EXPECTED ~= '' then
		why = 'vanished while in use (the server restarted without persistence, was flushed, or evicted it)'
	elseif sentinel then
		why = 'lost its counters (the key was evicted, or expired before the guard state)'
	end
	if not why then
		if not epoch then
			if not create then return '' end
			epoch = FRESH
			redis.call('HSET', S, 'epoch', epoch)
		end
		return epoch
	end
	redis.call('DEL', S, V)
	local history = lineage(EXPECTED, epoch, prior)
	if ARGV[4] == '1' then
		redis.call('HSET', S, 'epoch', FRESH, 'prior', history)
		expire()
		return nil, {2, why, FRESH}
	end
	redis.call('HSET', S, 'epoch', FRESH, 'prior', history, 'lost', why)
	expire()
	return nil, {1, why}
end
`;
