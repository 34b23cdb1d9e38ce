import { create } from '@bufbuild/protobuf';
import { base64Decode, base64Encode } from '@bufbuild/protobuf/wire';
import { DurationSchema, TimestampSchema, type Duration, type Timestamp } from '@bufbuild/protobuf/wkt';
import { FeastRegistryError } from './errors.js';

/**
 * A protobuf Timestamp as ISO 8601 UTC with every digit Feast stored (Feast writes
 * microseconds), so a document read from Feast writes back the same instants.
 */
export function isoFromTimestamp(ts: Timestamp): string {
  const date = new Date(Number(ts.seconds) * 1000).toISOString().slice(0, 19);
  if (ts.nanos === 0) return `${date}Z`;
  const digits = String(ts.nanos).padStart(9, '0');
  const fraction = ts.nanos % 1_000_000 === 0 ? digits.slice(0, 3) : ts.nanos % 1000 === 0 ? digits.slice(0, 6) : digits;
  return `${date}.${fraction}Z`;
}

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** ISO 8601 text (any offset, up to nanoseconds) as a protobuf Timestamp; `where` names the field. */
export function timestampFromIso(iso: string, where: string): Timestamp {
  const match = ISO.exec(iso);
  const whole = match ? Date.parse(`${match[1]}${match[3]}`) : Number.NaN;
  if (!match || Number.isNaN(whole)) throw new FeastRegistryError(`${where}: expected an ISO 8601 timestamp, got ${JSON.stringify(iso)}`);
  return create(TimestampSchema, { seconds: BigInt(whole / 1000), nanos: Number((match[2] ?? '').padEnd(9, '0')) });
}

/** A Duration in seconds (fractions kept). */
export function secondsFromDuration(d: Duration): number {
  return Number(d.seconds) + d.nanos / 1e9;
}

export function durationFromSeconds(seconds: number): Duration {
  const whole = Math.floor(seconds);
  return create(DurationSchema, { seconds: BigInt(whole), nanos: Math.round((seconds - whole) * 1e9) });
}

export const toBase64 = (bytes: Uint8Array): string => base64Encode(bytes);
export const fromBase64 = (text: string): Uint8Array => base64Decode(text);
