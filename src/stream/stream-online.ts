import { MissingJoinKeyError } from '../errors.js';
import { plainScalar } from './plain-value.js';
import type { StreamJoin } from '../retrieval/retrieval-plan.js';
import { distinctEntityKeys } from '../online/distinct-entity-keys.js';
import type { FieldStatus, OnlineColumn } from '../online/online-response.js';
import type { OnlineStore } from '../online/online-store.js';
import { readStateColumns } from './ingest.js';
import { aggregateAt, groupKey, type AggValue } from './tiles.js';

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
  const states = await readStateColumns(store, project, view, keys);
  const eventTimestamps = slot.map((s) => states[s]?.watermark ?? 0n);
  return join.columns.map(({ feature, output }) => {
    const aggregation = view.aggregations.find((a) => a.name === feature)!;
    const kind = aggregation.dtype.kind;
    const perEntity = states.map((state) => (state ? outputValue(aggregateAt(state.groups.get(groupKey(aggregation)), aggregation, at), kind) : null));
    const values = slot.map((s) => perEntity[s]);
    const statuses = slot.map((s): FieldStatus => (!states[s] ? 'NOT_FOUND' : perEntity[s] === null ? 'NULL_VALUE' : 'PRESENT'));
    return { name: output, values, statuses, eventTimestamps, dtype: aggregation.dtype };
  });
}
