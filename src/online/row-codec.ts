// 'msgpackr/pack' is the pure-JS build everywhere (the root entry probes for a native addon and reads env vars, which Deno guards).
import { Packr } from 'msgpackr/pack';

/** One stored online row: event and created times (microseconds) and the feature values. */
export interface StoredOnlineRow {
  readonly event: bigint;
  readonly created: bigint | null;
  readonly values: Readonly<Record<string, unknown>>;
}

/*
 * Stores that hold bytes or strings (Cloudflare KV, Redis) keep a row as MessagePack:
 * it keeps int64 (as bigint), bytes, booleans and lists apart, which JSON would not, and
 * msgpackr is pure JS, so the same codec runs in Node, browsers, workerd and Deno.
 */
const packr = new Packr({ useRecords: false, int64AsType: 'bigint', mapsAsObjects: true });

export function encodeOnlineRow(row: StoredOnlineRow): Uint8Array {
  return packr.pack([row.event, row.created, row.values]);
}

export function decodeOnlineRow(bytes: Uint8Array): StoredOnlineRow {
  const [event, created, values] = packr.unpack(bytes) as [bigint | number, bigint | number | null, Record<string, unknown>];
  // msgpackr writes small bigints compactly and reads them back as numbers; timestamps are always bigint here.
  return { event: BigInt(event), created: created === null ? null : BigInt(created), values };
}
