// The Lua scripts that make the stream's bookkeeping atomic: numbering entries, indexing run
// starts, and checking a consumer group's deliveries for trimmed entries. They are sent with
// EVAL every time (Redis caches the compiled script by its hash): EVALSHA with a NOSCRIPT
// fallback could reorder documents after a Redis restart.

/**
 * KEYS: stream, seq, runs, run-order, current-run, publishers.
 * ARGV: max length ("" for none), "~" or "=", name, body, format, run uid of a start ("" else),
 * most runs indexed, publisher id, publisher counter (1, 2, 3... per publisher).
 * Returns {entry id, seq}, or {"", 0} for a counter already stored (a resent command: one
 * connection's commands run in order, so every lower counter was stored too).
 */
export const PUBLISH_SCRIPT = `
local done = tonumber(redis.call('HGET', KEYS[6], ARGV[8]) or '0')
if tonumber(ARGV[9]) <= done then return {'', 0} end
redis.call('HSET', KEYS[6], ARGV[8], ARGV[9])
redis.call('EXPIRE', KEYS[6], 86400)
local seq = redis.call('INCR', KEYS[2])
local id
if ARGV[1] == '' then
  id = redis.call('XADD', KEYS[1], '*', 'seq', seq, 'name', ARGV[3], 'format', ARGV[5], 'doc', ARGV[4])
else
  id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], ARGV[1], '*', 'seq', seq, 'name', ARGV[3], 'format', ARGV[5], 'doc', ARGV[4])
end
if ARGV[6] ~= '' then
  local where = id .. ' ' .. seq
  redis.call('HSET', KEYS[3], ARGV[6], where)
  redis.call('ZADD', KEYS[4], seq, ARGV[6])
  redis.call('SET', KEYS[5], ARGV[6] .. ' ' .. where)
  local extra = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[7])
  if extra > 0 then
    local old = redis.call('ZRANGE', KEYS[4], 0, extra - 1)
    redis.call('ZREMRANGEBYRANK', KEYS[4], 0, extra - 1)
    redis.call('HDEL', KEYS[3], unpack(old))
  end
end
return {id, seq}
`;

/** KEYS: stream, seq. Returns {last entry id ("0-0" for none), last seq (0 for none)}. */
export const POSITION_SCRIPT = `
local seq = tonumber(redis.call('GET', KEYS[2]) or '0')
if redis.call('EXISTS', KEYS[1]) == 0 then return {'0-0', seq} end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
for i = 1, #info, 2 do
  if info[i] == 'last-generated-id' then return {info[i + 1], seq} end
end
return {'0-0', seq}
`;

/**
 * KEYS: stream, seq, group-seq. ARGV: group, "beginning", "live" or "lost".
 * Creates the group (and the stream) unless it exists, and records the seq it starts after;
 * "lost" (recreating a group Redis no longer has) starts at the beginning with that seq unknown,
 * since what the group had read before is unknown too. Returns 1 when created, 0 when it existed.
 */
export const CREATE_GROUP_SCRIPT = `
local start = '0'
if ARGV[2] == 'live' then start = '$' end
local r = redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], start, 'MKSTREAM')
if type(r) == 'table' and r.err then
  if string.find(r.err, 'BUSYGROUP') then return 0 end
  return r
end
if ARGV[2] == 'live' then
  redis.call('SET', KEYS[3], redis.call('GET', KEYS[2]) or '0')
elseif ARGV[2] == 'lost' then
  redis.call('DEL', KEYS[3])
else
  redis.call('SET', KEYS[3], '0')
end
return 1
`;

/**
 * KEYS: stream, group-seq. ARGV: group, consumer, count.
 * Reads new entries for the group and, from their seq fields, how many entries were trimmed
 * before the group got them. Returns {entries, missed before each entry, ""} or, when there is
 * nothing new, {{}, {}, last entry id} (where to block for the next one).
 */
export const READ_GROUP_SCRIPT = `
local res = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
if not res then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then return {{}, {}, info[i + 1]} end
  end
  return {{}, {}, '0-0'}
end
local entries = res[1][2]
local prev = tonumber(redis.call('GET', KEYS[2]) or '-1')
local missed = {}
for n, e in ipairs(entries) do
  missed[n] = 0
  local f = e[2]
  for i = 1, #f, 2 do
    if f[i] == 'seq' then
      local s = tonumber(f[i + 1])
      if prev >= 0 and s > prev + 1 then missed[n] = s - prev - 1 end
      if s > prev then prev = s end
      break
    end
  end
end
if prev >= 0 then redis.call('SET', KEYS[2], prev) end
return {entries, missed, ''}
`;
