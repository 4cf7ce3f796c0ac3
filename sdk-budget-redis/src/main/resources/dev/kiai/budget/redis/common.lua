-- Shared helpers, prepended to every script. P is the key prefix, NOW the caller's epoch millisecond.
local function s(x) return string.format('%.0f', x) end
local function sweep(P, k, now)
  local z = P .. ':z:' .. k
  local gone = redis.call('ZRANGEBYSCORE', z, '-inf', '(' .. s(now))
  if #gone == 0 then return end
  local t, n = 0, 0
  for _, m in ipairs(gone) do
    local _, _, mt, mn = string.find(m, '|(%d+)|(%d+)$')
    t = t + tonumber(mt)
    n = n + tonumber(mn)
  end
  redis.call('HINCRBY', P .. ':c:' .. k, 'rt', s(-t))
  redis.call('HINCRBY', P .. ':c:' .. k, 'rn', s(-n))
  redis.call('ZREMRANGEBYSCORE', z, '-inf', '(' .. s(now))
end
local function spent(P, k, start, slotMs, slots)
  local t, n = 0, 0
  for i = 0, slots - 1 do
    local v = redis.call('HMGET', P .. ':s:' .. k .. ':' .. s(start - i * slotMs), 't', 'n')
    t = t + (tonumber(v[1]) or 0)
    n = n + (tonumber(v[2]) or 0)
  end
  return t, n
end
local function held(P, k)
  local v = redis.call('HMGET', P .. ':c:' .. k, 'rt', 'rn')
  return tonumber(v[1]) or 0, tonumber(v[2]) or 0
end
