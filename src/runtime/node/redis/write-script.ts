import { defineScript, type CommandParser, type RedisArgument } from 'redis';

/*
 * One hash per (project, view, entity key). `v` holds the row-codec bytes (the same
 * MessagePack as the KV stores, self-describing with its event and created times), so a
 * read is one HGET. The fields `eh el ch cl` hold (event, created) as 32-bit halves of
 * the value offset by 2^63: Lua numbers are doubles, exact only to 2^53, so the halves
 * let the script compare 64-bit microseconds exactly without decoding MessagePack.
 * A null created time is (-1, 0), below every real one: Feast's "null created is oldest".
 * The compare and the set run in one script on one key, so they are atomic per key and
 * the script never touches a second key: fine on any cluster slot.
 */
const WRITE_IF_NOT_OLDER = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `
local stored = redis.call('HMGET', KEYS[1], 'eh', 'el', 'ch', 'cl')
if stored[1] then
  for i = 1, 4 do
    local new, old = tonumber(ARGV[i]), tonumber(stored[i])
    if new ~= old then
      if new < old then return 0 end
      break
    end
  end
end
redis.call('HSET', KEYS[1], 'eh', ARGV[1], 'el', ARGV[2], 'ch', ARGV[3], 'cl', ARGV[4], 'v', ARGV[5])
if ARGV[6] ~= '0' then redis.call('EXPIRE', KEYS[1], ARGV[6]) end
return 1`,
  parseCommand(parser: CommandParser, key: RedisArgument, order: readonly string[], payload: Buffer, ttl: string) {
    parser.pushKey(key);
    parser.push(...order, payload, ttl);
  },
  // The script returns 1 (written) or 0 (older, skipped) as is.
  transformReply: undefined as unknown as () => number,
});

/** Registered on every client, which then sends EVALSHA (EVAL the first time a server lacks it). */
export const SCRIPTS = { writeIfNotOlder: WRITE_IF_NOT_OLDER };

const OFFSET = 2n ** 63n;

function halves(value: bigint): [string, string] {
  const n = Number(value);
  if (Number.isSafeInteger(n)) {
    // Safe integers split exactly in doubles: no BigInt arithmetic for every real timestamp.
    const high = Math.floor(n / 4_294_967_296);
    return [String(high + 2_147_483_648), String(n - high * 4_294_967_296)];
  }
  const unsigned = value + OFFSET;
  return [String(unsigned >> 32n), String(unsigned & 0xffff_ffffn)];
}

/** The script's ARGV[1..4]: (event, created) as offset 32-bit halves, a null created time as (-1, 0). */
export function orderArgs(event: bigint, created: bigint | null): string[] {
  return [...halves(event), ...(created === null ? ['-1', '0'] : halves(created))];
}
