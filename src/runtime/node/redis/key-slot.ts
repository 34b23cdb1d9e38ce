/** CRC16-CCITT (XMODEM: polynomial 0x1021, initial 0), the checksum Redis Cluster hashes keys with. */
const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let crc = i << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  TABLE[i] = crc;
}

function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff];
  return crc;
}

const OPEN = 0x7b; // '{'
const CLOSE = 0x7d; // '}'

/**
 * The cluster slot (0-16383) of a key, as Redis computes it: the CRC16 of the whole key,
 * or of its hash tag, the bytes between the first '{' and the next '}' when there are
 * some. Feast's keys are binary (an Int64 of 123 holds a '{' byte), so the rule is
 * applied to bytes. A read groups its keys by slot: one script call may only name keys
 * of one slot.
 * @example keySlot(new TextEncoder().encode('foo{hash_tag}')) // 2515
 */
export function keySlot(key: Uint8Array): number {
  const open = key.indexOf(OPEN);
  if (open >= 0) {
    const close = key.indexOf(CLOSE, open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & 0x3fff;
  }
  return crc16(key, 0, key.length) & 0x3fff;
}
