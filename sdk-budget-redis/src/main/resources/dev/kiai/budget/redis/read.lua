-- ARGV: prefix, now, key, slotStart, slotMs, slots
-- Returns {spentT, spentN, reservedT, reservedN, {slot hash fields and values}...}.
local P, now, k = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local start, slotMs, slots = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
sweep(P, k, now)
local st, sn = spent(P, k, start, slotMs, slots)
local rt, rn = held(P, k)
local out = {st, sn, rt, rn}
for i = 0, slots - 1 do
  local h = redis.call('HGETALL', P .. ':s:' .. k .. ':' .. s(start - i * slotMs))
  if #h > 0 then out[#out + 1] = h end
end
return out
