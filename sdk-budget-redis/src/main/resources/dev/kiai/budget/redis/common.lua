-- Shared helpers, prepended to every script. P is the key prefix, NOW the caller's epoch millisecond.
local function s(x) if x == 0 then return '0' end return string.format('%.0f', x) end
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
-- A counter's window spend lives in one hash P:w:<k>, fields '<slot start>t' and '<slot start>n'.
local function spent(P, k, start, slotMs, slots)
  local t, n = 0, 0
  local oldest = start - slots * slotMs
  local h = redis.call('HGETALL', P .. ':w:' .. k)
  for i = 1, #h, 2 do
    local f = h[i]
    local slot = tonumber(string.sub(f, 1, -2))
    if slot > oldest and slot <= start then
      if string.sub(f, -1) == 't' then t = t + tonumber(h[i + 1]) else n = n + tonumber(h[i + 1]) end
    end
  end
  return t, n
end
local function add_spent(P, k, now, start, slotMs, slots, tok, nan)
  local w = P .. ':w:' .. k
  local oldest = start - slots * slotMs
  local fields = redis.call('HKEYS', w)
  for _, f in ipairs(fields) do
    if tonumber(string.sub(f, 1, -2)) <= oldest then redis.call('HDEL', w, f) end
  end
  redis.call('HINCRBY', w, s(start) .. 't', s(tok))
  redis.call('HINCRBY', w, s(start) .. 'n', s(nan))
  local expires = math.max(now + 1000, start + slotMs * slots + 60000)
  if now + redis.call('PTTL', w) < expires then redis.call('PEXPIRE', w, s(expires - now)) end
end
local function held(P, k)
  local v = redis.call('HMGET', P .. ':c:' .. k, 'rt', 'rn')
  return tonumber(v[1]) or 0, tonumber(v[2]) or 0
end
