import type { OnlineStore } from '../online/online-store.js';
import { decodeColumns, decodeState, encodeState } from './tile-codec.js';
import { addToGroup, emptyState, evictTiles, groupKey, toAggValue, type EntityState } from './tiles.js';
import type { CheckedEvents, StreamViewCode } from './stream-events.js';
import { MICROS_PER_SECOND } from './window.js';
import { encodeWindowRecord, windowRowKey } from './window-record.js';

/** The online store's view holding a stream view's state (one Bytes column): per entity its tile record, and its window record under windowRowKey. */
export const stateViewName = (view: string): string => `__stream_tiles__${view}`;
export const STATE_COLUMN = 'state';

export interface IngestCounts {
  /** Events applied to the online tiles. */
  applied: number;
  /** Events older than their entity's watermark minus the allowed lateness: not applied online (still written offline). */
  late: number;
}

function keyId(key: Uint8Array): string {
  let id = '';
  for (let i = 0; i < key.length; i++) id += String.fromCharCode(key[i]);
  return id;
}

/** Reads the states of the given keys as a read merges them (columns per group); absent entities get none. */
export async function readStateColumns(
  store: OnlineStore,
  project: string,
  view: StreamViewCode,
  keys: readonly Uint8Array[],
): Promise<(ReturnType<typeof decodeColumns> | null)[]> {
  const read = await store.read(project, stateViewName(view.name), keys, [STATE_COLUMN]);
  const bytes = read.values[STATE_COLUMN];
  return keys.map((_, i) => (bytes[i] instanceof Uint8Array ? decodeColumns(bytes[i] as Uint8Array, view) : null));
}

/** Reads the states of the given keys; absent entities get none. */
export async function readStates(
  store: OnlineStore,
  project: string,
  view: StreamViewCode,
  keys: readonly Uint8Array[],
): Promise<{ states: (EntityState | null)[] }> {
  const read = await store.read(project, stateViewName(view.name), keys, [STATE_COLUMN]);
  const bytes = read.values[STATE_COLUMN];
  return { states: keys.map((_, i) => (bytes[i] instanceof Uint8Array ? decodeState(bytes[i] as Uint8Array, view) : null)) };
}

/**
 * Applies checked events to the online tiles: reads the batch's entities' states, applies
 * each event in the given order (an event later than its entity's watermark minus the
 * allowed lateness is applied; an earlier one is counted as late), evicts tiles no read
 * needs any more, and writes the changed states back with their window records.
 *
 * Single writer per view: two concurrent ingests to one view may each read a state and
 * the later write wins. States are written with the watermark as their event time and
 * no created time; the watermark never decreases, so the stores' event-time rule (equal
 * or newer replaces) lets every write through, also one that applied only late events.
 */
export async function applyToTiles(store: OnlineStore, project: string, view: StreamViewCode, events: CheckedEvents): Promise<IngestCounts> {
  const ids = new Map<string, number>();
  const uniqueKeys: Uint8Array[] = [];
  const slots = events.keys.map((key) => {
    const id = keyId(key);
    let slot = ids.get(id);
    if (slot === undefined) {
      slot = uniqueKeys.length;
      ids.set(id, slot);
      uniqueKeys.push(key);
    }
    return slot;
  });
  const { states } = await readStates(store, project, view, uniqueKeys);
  const changed = new Set<number>();
  const lateness = BigInt(view.allowedLatenessSeconds) * MICROS_PER_SECOND;
  const columns = view.aggregations
    .map((a) => ({ key: groupKey(a), column: a.column, slideSeconds: a.slideSeconds }))
    .filter((g, i, all) => all.findIndex((o) => o.key === g.key) === i)
    .map((g) => {
      const type = view.inputs.find((f) => f.name === g.column)!.dtype;
      return { ...g, type, integerSum: type.kind === 'Int32' || type.kind === 'Int64' };
    });
  let late = 0;
  for (let i = 0; i < events.count; i++) {
    const slot = slots[i];
    const time = events.times[i];
    let state = states[slot];
    if (state && time < state.watermark - lateness) {
      late++;
      continue;
    }
    if (!state) states[slot] = state = emptyState(time);
    if (time > state.watermark) state.watermark = time;
    for (const g of columns) {
      let group = state.groups.get(g.key);
      if (!group) state.groups.set(g.key, (group = { column: g.column, slideSeconds: g.slideSeconds, tiles: new Map() }));
      addToGroup(group, time, toAggValue(events.rows[i][g.column], g.type), g.integerSum);
    }
    changed.add(slot);
  }
  if (changed.size > 0) {
    const written = [...changed];
    for (const slot of written) evictTiles(view, states[slot]!);
    // Tiles and window records in one batch, which a store writes whole: they never disagree.
    const watermarks = written.map((slot) => states[slot]!.watermark);
    await store.write(project, {
      view: stateViewName(view.name),
      keys: [...written.map((slot) => uniqueKeys[slot]), ...written.map((slot) => windowRowKey(uniqueKeys[slot]))],
      eventTimestamps: [...watermarks, ...watermarks],
      features: {
        [STATE_COLUMN]: [...written.map((slot) => encodeState(states[slot]!)), ...written.map((slot) => encodeWindowRecord(states[slot]!, view.aggregations))],
      },
    });
  }
  return { applied: events.count - late, late };
}
