import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

const MICROS = 1_000_000n;

/** Floor division, so an instant before 1970 keeps nanos in [0, 1e9) as Timestamp requires. */
function split(micros: bigint): [bigint, number] {
  let seconds = micros / MICROS;
  let rest = micros - seconds * MICROS;
  if (rest < 0n) {
    seconds -= 1n;
    rest += MICROS;
  }
  return [seconds, Number(rest) * 1000];
}

/**
 * A `google.protobuf.Timestamp` (seconds = 1, nanos = 2) of an instant in microseconds:
 * what Feast's Redis store keeps in `_ts:<view>`. Fields at zero are left out, as
 * protobuf writes them, so the epoch is zero bytes.
 * @example encodeTimestamp(1_796_220_000_000_000n) // 08 e0 c8 c0 d8 06
 */
export function encodeTimestamp(micros: bigint): Uint8Array {
  const [seconds, nanos] = split(micros);
  const w = new BinaryWriter();
  if (seconds !== 0n) w.tag(1, WireType.Varint).int64(seconds);
  if (nanos !== 0) w.tag(2, WireType.Varint).int32(nanos);
  return w.finish();
}

/** The instant of a serialized `google.protobuf.Timestamp`, in microseconds (finer nanos are dropped). */
export function decodeTimestamp(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  const r = new BinaryReader(bytes);
  let seconds = 0n;
  let nanos = 0;
  while (r.pos < r.len) {
    const [field, type] = r.tag();
    if (field === 1) seconds = r.int64() as bigint;
    else if (field === 2) nanos = r.int32();
    else r.skip(type, field);
  }
  return seconds * MICROS + BigInt(Math.floor(nanos / 1000));
}

/** Seconds and nanos of an instant, for code that compares Timestamps field by field (the Redis write script). */
export function timestampParts(micros: bigint): { seconds: bigint; nanos: number } {
  const [seconds, nanos] = split(micros);
  return { seconds, nanos };
}
