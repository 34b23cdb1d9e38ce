import { defineScript, type CommandParser, type RedisArgument } from 'redis';

/*
 * The own layout's Lua scripts. Each names one key, so each is atomic per key and
 * runs on any cluster slot.
 */

/**
 * A script on one key called with `args` as its ARGV, answering an integer. transformReply is left out (node-redis hands the reply
 * on as it comes); the cast only gives it the integer's type.
 */
function oneKeyScript<A extends RedisArgument[]>(script: string) {
  return defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: script,
    parseCommand(parser: CommandParser, key: RedisArgument, ...args: A) {
      parser.pushKey(key);
      parser.push(...args);
    },
    transformReply: undefined as unknown as () => number,
  });
}

/**
 * Sets a row (redis-row-format.ts) unless the stored one is newer. A row of this layout
 * is compared on its first 17 bytes, which sort as (event, created) do; bytes are
 * compared with string.byte, not Lua's `<` on strings, which follows the server's
 * locale. A hash is a row of the layout before schema ids (fields eh el ch cl: the
 * offset times as 32-bit halves, a missing created time as -1 0): it is compared on
 * those halves, taken from the new row's bytes, then replaced.
 * ARGV: 1 row, 2 ttl seconds ('0': none). Returns 1 written, 0 skipped as older.
 */
export const WRITE_ROW = oneKeyScript<[row: Buffer, ttl: string]>(`
local row = ARGV[1]
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'string' then
  local stored = redis.call('GETRANGE', KEYS[1], 0, 16)
  for i = 1, #stored do
    local new, old = string.byte(row, i), string.byte(stored, i)
    if new ~= old then
      if new < old then return 0 end
      break
    end
  end
elseif kind == 'hash' then
  local stored = redis.call('HMGET', KEYS[1], 'eh', 'el', 'ch', 'cl')
  if stored[1] then
    local function half(i)
      local a, b, c, d = string.byte(row, i, i + 3)
      return ((a * 256 + b) * 256 + c) * 256 + d
    end
    local order = { half(1), half(5), -1, 0 }
    if string.byte(row, 9) == 1 then order[3], order[4] = half(10), half(14) end
    for i = 1, 4 do
      local old = tonumber(stored[i])
      if order[i] ~= old then
        if order[i] < old then return 0 end
        break
      end
    end
  end
  redis.call('DEL', KEYS[1])
elseif kind ~= 'none' then
  return redis.error_reply('feast-edge: ' .. KEYS[1] .. ' holds a ' .. kind .. ', not an online row')
end
if ARGV[2] ~= '0' then redis.call('SET', KEYS[1], row, 'EX', ARGV[2]) else redis.call('SET', KEYS[1], row) end
return 1`);

/**
 * Rewrites a row of the layout before schema ids (a hash) in this layout, if the hash
 * still holds the payload the reader decoded (a writer may have replaced it since), and
 * keeps its expiry. ARGV: 1 new row, 2 the old `v` payload. Returns 1 rewritten, 0 left.
 */
export const MIGRATE_ROW = oneKeyScript<[row: Buffer, old: Buffer]>(`
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[2] then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[1]) end
return 1`);

/**
 * The id of a schema (a JSON list of feature names) in a view's list of schemas,
 * appended when new. Append-only: an id, once given, names the same list for ever, so
 * any process may cache it. ARGV: 1 the schema's JSON. Returns the id (0-based).
 */
export const REGISTER_SCHEMA = oneKeyScript<[schema: string]>(`
local schemas = redis.call('LRANGE', KEYS[1], 0, -1)
for i = 1, #schemas do
  if schemas[i] == ARGV[1] then return i - 1 end
end
return redis.call('RPUSH', KEYS[1], ARGV[1]) - 1`);

export const ROW_SCRIPTS = { writeRow: WRITE_ROW, migrateRow: MIGRATE_ROW, registerSchema: REGISTER_SCHEMA };
