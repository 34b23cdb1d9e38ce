const encoder = new TextEncoder();

/**
 * MurmurHash3, x86 32-bit variant, of `input` (a string is hashed as its UTF-8 bytes),
 * as an unsigned 32-bit number. Feast names the hash fields of its Redis online store
 * by this hash of `<view>:<feature>` with seed 0 (Python's `mmh3.hash(..., signed=False)`).
 * @example murmur3_32('driver_hourly_stats:conv_rate') // 0xdae36061
 */
export function murmur3_32(input: string | Uint8Array, seed = 0): number {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  const length = bytes.length;
  const blocks = length & ~3;
  let h = seed >>> 0;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // The 1-3 trailing bytes, mixed in without the rotation of h.
  let k = 0;
  // MurmurHash3's tail mixes in each remaining byte, from the last down.
  switch (length & 3) {
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: see above
    case 3:
      k ^= bytes[blocks + 2] << 16; // falls through
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: see above
    case 2:
      k ^= bytes[blocks + 1] << 8; // falls through
    case 1:
      k ^= bytes[blocks];
      k = Math.imul(k, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
