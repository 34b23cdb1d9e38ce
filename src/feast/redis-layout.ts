import { murmur3_32 } from './murmur3.js';
import { encodeTimestamp } from './timestamp-proto.js';

/*
 * Feast's Redis online store layout (Feast's infra/online_stores/redis.py and helpers.py):
 * one hash per entity key and project, shared by every view keyed by the same join keys;
 * a feature's field is named by the MurmurHash3 of `<view>:<feature>`, and `_ts:<view>`
 * holds the view's event time as a google.protobuf.Timestamp.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The hash's name: the serialized entity key (v3) followed by the project name in UTF-8. */
export function feastRedisKey(entityKey: Uint8Array, project: string): Uint8Array {
  const suffix = encoder.encode(project);
  const out = new Uint8Array(entityKey.length + suffix.length);
  out.set(entityKey, 0);
  out.set(suffix, entityKey.length);
  return out;
}

/**
 * Splits a hash name into its entity key and project, or null when the bytes do not
 * start with a whole v3 entity key. A SCAN for `*<project>` also matches a project
 * whose name ends the same way; this tells them apart.
 */
export function splitFeastRedisKey(key: Uint8Array): { entityKey: Uint8Array; project: string } | null {
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const u32 = (offset: number) => (offset + 4 <= key.length ? view.getUint32(offset, true) : -1);
  const count = u32(0);
  if (count <= 0) return null;
  let offset = 4;
  // count names (type, length, UTF-8), then count values (type, length, bytes).
  for (let i = 0; i < 2 * count; i++) {
    const length = u32(offset + 4);
    if (length < 0 || offset + 8 + length > key.length) return null;
    offset += 8 + length;
  }
  try {
    return { entityKey: key.subarray(0, offset), project: decoder.decode(key.subarray(offset)) };
  } catch {
    return null;
  }
}

/** The field of one feature: murmur3_32(`<view>:<feature>`), 4 bytes little-endian. */
export function feastFeatureField(view: string, feature: string): Uint8Array {
  const hash = murmur3_32(`${view}:${feature}`);
  return Uint8Array.of(hash & 0xff, (hash >>> 8) & 0xff, (hash >>> 16) & 0xff, hash >>> 24);
}

/** The field holding the view's event time: `_ts:<view>` in UTF-8. */
export function feastTimestampField(view: string): Uint8Array {
  return encoder.encode(`_ts:${view}`);
}

/**
 * feast-edge's one addition to the layout: `_created_ts:<view>` keeps the created time
 * that breaks ties between equal event times, which Feast's layout has no place for
 * (Feast's reader asks for named fields only, so it never sees it; Feast's deletion
 * counts views by their `_ts:` fields, which this name does not start with).
 */
export function feastCreatedField(view: string): Uint8Array {
  return encoder.encode(`_created_ts:${view}`);
}

/**
 * The created field's value: one byte n, the n bytes of the `_ts` value it was written
 * with, then the created Timestamp. The copy of `_ts` lets a reader tell a created time
 * that still belongs to the stored event from one left behind when Feast, which does
 * not know this field, wrote a newer event.
 */
export function feastCreatedValue(eventTimestamp: Uint8Array, createdMicros: bigint): Uint8Array {
  const created = encodeTimestamp(createdMicros);
  const out = new Uint8Array(1 + eventTimestamp.length + created.length);
  out[0] = eventTimestamp.length;
  out.set(eventTimestamp, 1);
  out.set(created, 1 + eventTimestamp.length);
  return out;
}
