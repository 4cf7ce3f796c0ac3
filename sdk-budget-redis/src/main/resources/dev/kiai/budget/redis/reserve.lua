-- ARGV: prefix, id, now, expiresAt, tokens, nanos, forgetAt, n, then per counter:
--       key, limitTokens, limitNanos, slotStart, slotMs, slots
-- Returns {admitted 1|0, failedIndex (0-based) or -1, then per counter spentT, spentN, reservedT, reservedN}.
local P, id = ARGV[1], ARGV[2]
local now, exp = tonumber(ARGV[3]), tonumber(ARGV[4])
local tok, nan = tonumber(ARGV[5]), tonumber(ARGV[6])
local forget, n = tonumber(ARGV[7]), tonumber(ARGV[8])
local out, fail = {}, -1
for i = 1, n do
  local b = 8 + (i - 1) * 6
  local k = ARGV[b + 1]
  local lt, ln = tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
  sweep(P, k, now)
  local st, sn = spent(P, k, tonumber(ARGV[b + 4]), tonumber(ARGV[b + 5]), tonumber(ARGV[b + 6]))
  local rt, rn = held(P, k)
  if fail < 0 and ((lt >= 0 and st + rt + tok > lt) or (ln >= 0 and sn + rn + nan > ln)) then
    fail = i - 1
  end
  out[#out + 1] = st
  out[#out + 1] = sn
  out[#out + 1] = rt
  out[#out + 1] = rn
end
if fail >= 0 then
  table.insert(out, 1, fail)
  table.insert(out, 1, 0)
  return out
end
local member = id .. '|' .. s(tok) .. '|' .. s(nan)
local keep = forget - now + 60000
for i = 1, n do
  local k = ARGV[8 + (i - 1) * 6 + 1]
  local c, z = P .. ':c:' .. k, P .. ':z:' .. k
  redis.call('HINCRBY', c, 'rt', s(tok))
  redis.call('HINCRBY', c, 'rn', s(nan))
  redis.call('ZADD', z, s(exp), member)
  if redis.call('PTTL', c) < keep then redis.call('PEXPIRE', c, s(keep)) end
  if redis.call('PTTL', z) < keep then redis.call('PEXPIRE', z, s(keep)) end
  out[(i - 1) * 4 + 3] = out[(i - 1) * 4 + 3] + tok
  out[(i - 1) * 4 + 4] = out[(i - 1) * 4 + 4] + nan
end
redis.call('SET', P .. ':r:' .. id, member, 'PX', s(forget - now))
table.insert(out, 1, -1)
table.insert(out, 1, 1)
return out
