-- ARGV: prefix, id, reservedTokens, reservedNanos, n, then the n counter keys. Returns 1 released, 0 unknown.
local P, id = ARGV[1], ARGV[2]
local rtok, rnan, n = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
if redis.call('DEL', P .. ':r:' .. id) == 0 then return 0 end
local member = id .. '|' .. s(rtok) .. '|' .. s(rnan)
for i = 1, n do
  local k = ARGV[5 + i]
  if redis.call('ZREM', P .. ':z:' .. k, member) == 1 then
    redis.call('HINCRBY', P .. ':c:' .. k, 'rt', s(-rtok))
    redis.call('HINCRBY', P .. ':c:' .. k, 'rn', s(-rnan))
  end
end
return 1
