-- ARGV: prefix, id, now, expiresAt, reservedTokens, reservedNanos, tokens, nanos, model, feature, n,
--       then per counter: key, slotStart, slotMs, slots
-- Returns {status 0 committed | 1 expired | 2 unknown, then per counter spentT, spentN, reservedT, reservedN}.
local P, id = ARGV[1], ARGV[2]
local now, exp = tonumber(ARGV[3]), tonumber(ARGV[4])
local rtok, rnan = tonumber(ARGV[5]), tonumber(ARGV[6])
local tok, nan = tonumber(ARGV[7]), tonumber(ARGV[8])
local model, feature, n = ARGV[9], ARGV[10], tonumber(ARGV[11])
if redis.call('DEL', P .. ':r:' .. id) == 0 then return {2} end
local member = id .. '|' .. s(rtok) .. '|' .. s(rnan)
local out = {}
for i = 1, n do
  local b = 11 + (i - 1) * 4
  local k = ARGV[b + 1]
  local start, slotMs, slots = tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
  if redis.call('ZREM', P .. ':z:' .. k, member) == 1 then
    redis.call('HINCRBY', P .. ':c:' .. k, 'rt', s(-rtok))
    redis.call('HINCRBY', P .. ':c:' .. k, 'rn', s(-rnan))
  end
  sweep(P, k, now)
  local sk = P .. ':s:' .. k .. ':' .. s(start)
  add_spent(P, k, now, start, slotMs, slots, tok, nan)
  redis.call('HINCRBY', sk, 'm:' .. model .. ':t', s(tok))
  redis.call('HINCRBY', sk, 'm:' .. model .. ':n', s(nan))
  redis.call('HINCRBY', sk, 'f:' .. feature .. ':t', s(tok))
  redis.call('HINCRBY', sk, 'f:' .. feature .. ':n', s(nan))
  redis.call('PEXPIRE', sk, s(math.max(1000, start + slotMs * slots + 60000 - now)))
  local st, sn = spent(P, k, start, slotMs, slots)
  local rt, rn = held(P, k)
  out[#out + 1] = st
  out[#out + 1] = sn
  out[#out + 1] = rt
  out[#out + 1] = rn
end
if now > exp then table.insert(out, 1, 1) else table.insert(out, 1, 0) end
return out
