import { MissingJoinKeyError } from '../errors.js';
import { plainScalar } from './plain-value.js';
import type { StreamJoin } from '../retrieval/retrieval-plan.js';
import { distinctEntityKeys } from '../online/distinct-entity-keys.js';
import type { FieldStatus, OnlineColumn } from '../online/online-response.js';
import type { OnlineStore } from '../online/online-store.js';
import { readStateColumns, STATE_COLUMN, stateViewName } from './ingest.js';
import { aggregateAt, groupKey, type AggValue } from './tiles.js';
import { openWindowRecord, recordWatermark, windowRowKey } from './window-record.js';
import { windowRead, windowValue } from './window-read.js';

/** A tile value as an online value: int64 as number when safe (as historical rows give it), timestamps as Date. */
function outputValue(value: AggValue | null, kind: string): unknown {
  if (value === null) return null;
  if (kind === 'UnixTimestamp') return new Date(Number((value as bigint) / 1000n));
  return plainScalar(value);
}

/**
 * The windowed values of one stream view as of `at` for each entity row: an entity with
 * no state is NOT_FOUND, a null aggregate NULL_VALUE (count 0 is PRESENT). Event
 * timestamps are the entity's watermark (its newest event).
 */
export async function readStreamColumns(
  store: OnlineStore,
  project: string,
  join: StreamJoin,
  columns: Readonly<Record<string, readonly unknown[]>>,
  count: number,
  at: bigint,
): Promise<OnlineColumn[]> {
  const { view } = join;
  const keyColumns = view.entityColumns.map((k) => {
    const name = join.joinKeyMap[k.name] ?? k.name;
    const column = columns[name];
    if (!column)
      throw new MissingJoinKeyError(`entityRows: missing join key '${name}' of view '${join.projectionName}'; got ${Object.keys(columns).join(', ')}`);
    return column;
  });
  const { keys, slot } = distinctEntityKeys(view, keyColumns, count);
  const reads = join.columns.map(({ feature }) => {
    const aggregation = view.aggregations.find((a) => a.name === feature)!;
    return windowRead(aggregation, at);
  });
  const values = reads.map(() => new Array<unknown>(keys.length));
  const found = new Array<boolean>(keys.length).fill(false);
  const watermarks = new Array<bigint>(keys.length).fill(0n);
  // First the window records: one lookup per aggregation. Entities without one (never
  // ingested, or last written by an earlier version) and reads it cannot answer (older
  // than the entity's newest tile) then read and merge the tiles.
  const windows = await store.read(project, stateViewName(view.name), keys.map(windowRowKey), [STATE_COLUMN]);
  const merge: number[] = [];
  for (let e = 0; e < keys.length; e++) {
    const bytes = windows.values[STATE_COLUMN][e];
    const record = bytes instanceof Uint8Array ? openWindowRecord(bytes) : undefined;
    if (!record) {
      merge.push(e);
      continue;
    }
    found[e] = true;
    // The record's watermark is also its row's event time, which the store has already read.
    watermarks[e] = windows.eventTimestamps[e] ?? recordWatermark(record);
    let answered = true;
    for (let j = 0; j < reads.length; j++) {
      const value = windowValue(record, reads[j]);
      if (value === undefined) answered = false;
      else values[j][e] = outputValue(value, reads[j].aggregation.dtype.kind);
    }
    if (!answered) merge.push(e);
  }
  if (merge.length > 0) {
    const states = await readStateColumns(
      store,
      project,
      view,
      merge.map((e) => keys[e]),
    );
    merge.forEach((e, m) => {
      const state = states[m];
      found[e] = state !== null;
      if (state) watermarks[e] = state.watermark;
      reads.forEach((r, j) => {
        if (values[j][e] !== undefined) return;
        values[j][e] = state ? outputValue(aggregateAt(state.groups.get(groupKey(r.aggregation)), r.aggregation, at), r.aggregation.dtype.kind) : null;
      });
    });
  }
  const distinct = keys.length === count;
  const eventTimestamps = distinct ? watermarks : slot.map((s) => watermarks[s]);
  const status = (value: unknown, e: number): FieldStatus => (!found[e] ? 'NOT_FOUND' : value === null ? 'NULL_VALUE' : 'PRESENT');
  // Columns whose every value is present share one statuses array, as plain views' do.
  let present: FieldStatus[] | undefined;
  return join.columns.map(({ output }, j) => {
    const perEntity = values[j];
    const column = distinct ? perEntity : slot.map((e) => perEntity[e]);
    let statuses: FieldStatus[];
    if (perEntity.some((v, e) => status(v, e) !== 'PRESENT')) statuses = slot.map((e) => status(perEntity[e], e));
    else statuses = present ??= new Array<FieldStatus>(count).fill('PRESENT');
    return { name: output, values: column, statuses, eventTimestamps, dtype: reads[j].aggregation.dtype };
  });
}
