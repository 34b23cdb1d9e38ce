import { defineScript, type CommandParser, type RedisArgument } from 'redis';

/*
 * Lua reads google.protobuf.Timestamp bytes (seconds = field 1, nanos = field 2, both
 * varints). Lua numbers are doubles: a non-negative varint (at most 9 bytes for an
 * int64) is summed exactly up to 2^53; a negative int64 is always 10 bytes of two's
 * complement, so it is read as -(~v + 1) from the complemented digits, exact the same way.
 */
const READ_TIMESTAMP = `
local function varint(s, i)
  local digits, count, b = {}, 0, 0
  repeat
    b = string.byte(s, i)
    count = count + 1
    digits[count] = b % 128
    i = i + 1
  until b < 128
  local value = 0
  if count < 10 then
    for k = count, 1, -1 do value = value * 128 + digits[k] end
    return value, i
  end
  for k = 9, 1, -1 do value = value * 128 + (127 - digits[k]) end
  return -(value + 1), i
end
local function timestamp(s)
  local seconds, nanos, i = 0, 0, 1
  while i <= #s do
    local tag = string.byte(s, i)
    local v
    v, i = varint(s, i + 1)
    if tag == 8 then seconds = v elseif tag == 16 then nanos = v end
  end
  return seconds, nanos
end
local function older(s1, n1, s2, n2) return s1 < s2 or (s1 == s2 and n1 < n2) end
`;

/**
 * Writes one entity's row of one view unless it is older than the stored one, in one
 * step on one key (atomic, and fine on any cluster slot). The stored event time is
 * Feast's `_ts:<view>`; equal event times go to the created time in
 * `_created_ts:<view>`, trusted only while its copy of `_ts` matches (see
 * feastCreatedValue). A null created time is the oldest.
 * KEYS[1] hash; ARGV: 1 `_ts` field, 2 created field, 3-4 event seconds/nanos, 5-6
 * created seconds/nanos ('' when null), 7 `_ts` value, 8 created value ('' when null),
 * 9 ttl seconds ('0': none), 10... feature field/value pairs. Returns 1 written, 0 skipped.
 */
export const WRITE_FEAST_ROW = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `${READ_TIMESTAMP}
local stored = redis.call('HMGET', KEYS[1], ARGV[1], ARGV[2])
if stored[1] then
  local es, en = tonumber(ARGV[3]), tonumber(ARGV[4])
  local ss, sn = timestamp(stored[1])
  if older(es, en, ss, sn) then return 0 end
  if es == ss and en == sn then
    local cs, cn = nil, nil
    local c = stored[2]
    if c and #c > 0 then
      local n = string.byte(c, 1)
      if string.sub(c, 2, n + 1) == stored[1] then cs, cn = timestamp(string.sub(c, n + 2)) end
    end
    if ARGV[5] == '' then
      if cs then return 0 end
    elseif cs and older(tonumber(ARGV[5]), tonumber(ARGV[6]), cs, cn) then
      return 0
    end
  end
end
local n = #ARGV
for i = 10, n, 1000 do redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 999, n))) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[7])
if ARGV[8] == '' then redis.call('HDEL', KEYS[1], ARGV[2]) else redis.call('HSET', KEYS[1], ARGV[2], ARGV[8]) end
if ARGV[9] ~= '0' then redis.call('EXPIRE', KEYS[1], ARGV[9]) end
return 1`,
  parseCommand(parser: CommandParser, key: RedisArgument, args: readonly RedisArgument[]) {
    parser.pushKey(key);
    parser.push(...args);
  },
  transformReply: undefined as unknown as () => number,
});

/**
 * Removes one view from one entity's hash, as Feast's delete_table does: the whole key
 * when no other view has a `_ts:` field in it, else the given fields. KEYS[1] hash;
 * ARGV[1] the view's `_ts` field, ARGV[2...] its other fields. Returns 1 if the view was there.
 */
export const DELETE_FEAST_VIEW = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `
local own, others = false, false
for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
  if f == ARGV[1] then own = true elseif string.sub(f, 1, 4) == '_ts:' then others = true end
end
if not own then return 0 end
if others then redis.call('HDEL', KEYS[1], unpack(ARGV)) else redis.call('DEL', KEYS[1]) end
return 1`,
  parseCommand(parser: CommandParser, key: RedisArgument, fields: readonly RedisArgument[]) {
    parser.pushKey(key);
    parser.push(...fields);
  },
  transformReply: undefined as unknown as () => number,
});

/**
 * Reads one view's fields of many entity hashes in one step: what a batch read needs,
 * in one reply the client walks without parsing a RESP item per field. KEYS: the
 * hashes (on a cluster, all in one slot); ARGV: `_ts:<view>` then the feature fields.
 * Returns cmsgpack.pack of one entry per key: false when the hash lacks `_ts:<view>`
 * (the view never wrote it), else the HMGET array, each item the stored bytes or false.
 * The whole script runs as one step, so each key is read atomically (as one HMGET was).
 * HMGET takes the fields through unpack, which Lua's stack bounds: past 1000 fields
 * they go in slices of 1000.
 */
export const READ_FEAST_ROWS = defineScript({
  SCRIPT: `
local rows, n = {}, #ARGV
for k = 1, #KEYS do
  local values
  if n <= 1000 then
    values = redis.call('HMGET', KEYS[k], unpack(ARGV))
  else
    values = {}
    for i = 1, n, 1000 do
      local part = redis.call('HMGET', KEYS[k], unpack(ARGV, i, math.min(i + 999, n)))
      for j = 1, #part do values[i + j - 1] = part[j] end
    end
  end
  rows[k] = values[1] and values or false
end
return cmsgpack.pack(rows)`,
  parseCommand(parser: CommandParser, keys: readonly RedisArgument[], fields: readonly RedisArgument[]) {
    parser.push(String(keys.length));
    parser.pushKeys(keys as RedisArgument[]);
    parser.push(...fields);
  },
  transformReply: undefined as unknown as () => Buffer,
});

/**
 * DUMPs many keys in one call: one command and one reply for a whole read, instead of a
 * command, a reply and a promise per key. KEYS: the hashes (on a cluster, one slot's).
 * Returns one item per key: the DUMP payload, or nil for a missing key.
 */
export const DUMP_KEYS = defineScript({
  SCRIPT: `
local out = {}
for k = 1, #KEYS do out[k] = redis.call('DUMP', KEYS[k]) end
return out`,
  parseCommand(parser: CommandParser, keys: readonly RedisArgument[]) {
    parser.push(String(keys.length));
    parser.pushKeys(keys as RedisArgument[]);
  },
  transformReply: undefined as unknown as () => (Buffer | null)[],
});
