import { shownValue } from '../definitions/shown-value.js';
import { FeastEdgeError, InvalidOnlineWriteError, StreamTransformError } from '../errors.js';
import type { FeatureView, Field, StreamFeatureView, StreamRow } from '../definitions/index.js';
import { plainScalar } from './plain-value.js';
import { viewKeyEncoder } from '../online/entity-key.js';
import { entityColumns, type OnlineEntityRows } from '../online/entity-rows.js';
import { checkValue, toOnlineBatch } from '../online/online-write.js';

/** A stream view's definition with its transform code, if it has one. */
export type StreamViewCode = Pick<
  StreamFeatureView,
  | 'name'
  | 'entities'
  | 'entityColumns'
  | 'inputs'
  | 'aggregations'
  | 'batchSource'
  | 'timestampField'
  | 'allowedLatenessSeconds'
  | 'transform'
  | 'transformSource'
>;

/** A batch of events, checked whole: keys encoded, times in microseconds, rows as aggregation reads them. */
export interface CheckedEvents {
  readonly count: number;
  readonly keys: readonly Uint8Array[];
  readonly times: readonly bigint[];
  /** After the transform: the schema's columns, each checked against its type. */
  readonly rows: readonly StreamRow[];
  /** The view's event columns as a batch view over its source: what the offline part is written as. */
  readonly offlineView: FeatureView;
}

/**
 * The stream view as a batch view of its raw events, for the offline writer (which checks
 * and writes rows as for any view of that source). `inputs` are the columns the events carry.
 */
export function rawEventView(view: StreamViewCode, inputs: readonly Field[]): FeatureView {
  return {
    kind: 'featureView',
    name: view.name,
    entities: view.entities,
    entityColumns: view.entityColumns,
    features: inputs,
    ttlSeconds: 0,
    batchSource: view.timestampField === view.batchSource.timestampField ? view.batchSource : { ...view.batchSource, timestampField: view.timestampField },
    online: true,
    offline: true,
  };
}

/**
 * Runs the view's transform (if any) on rows of join keys, timestamp (a Date) and the
 * schema's columns, and checks each output column against the schema. The online and
 * historical paths both come through here, so both see the same rows.
 */
export function transformEvents(view: StreamViewCode, rows: readonly StreamRow[], where: string): StreamRow[] {
  return rows.map((row, i) => {
    let out = row;
    if (view.transform) {
      const produced = view.transform({ ...row });
      if (!produced || typeof produced !== 'object') {
        throw new StreamTransformError(
          `${where}: the transform of stream view '${view.name}' returned ${shownValue(produced)} for event ${i}; expected a row object`,
        );
      }
      // The transform returns the columns it adds or replaces; the whole row works too.
      out = { ...row, ...produced };
    }
    const checked: StreamRow = {};
    for (const f of view.inputs) {
      try {
        checked[f.name] = checkValue(out[f.name], f.dtype, `${where}: ${view.transform ? 'transform output ' : ''}${f.name}[${i}]`);
      } catch (error) {
        throw view.transform && error instanceof FeastEdgeError ? new StreamTransformError(error.message) : error;
      }
    }
    return checked;
  });
}

/** The row a transform sees: JS values as historical retrieval reads them back (safe int64 as number, times as Date). */
export function transformInput(view: StreamViewCode, keys: readonly unknown[], time: bigint, inputs: Readonly<Record<string, unknown>>): StreamRow {
  const row: StreamRow = {};
  view.entityColumns.forEach((c, k) => {
    row[c.name] = plainScalar(keys[k]);
  });
  row[view.timestampField] = new Date(Number(time / 1000n));
  for (const f of view.inputs) row[f.name] = plainScalar(inputs[f.name]);
  return row;
}

/**
 * Checks a batch of events whole before anything is written: every join key present and
 * of its type, every timestamp readable, every column of its type (without a transform,
 * every schema column is required). The error names the column and the row.
 */
export function checkStreamEvents(view: StreamViewCode, events: OnlineEntityRows, options: { allowExtraColumns?: boolean } = {}): CheckedEvents {
  const where = `ingest to '${view.name}'`;
  const { columns, count } = entityColumns(events);
  // Without a transform the schema's columns are the events' columns; with one, they may be derived.
  const present = view.inputs.filter((f) => f.name in columns);
  const missing = [...view.entityColumns, ...(view.transform ? [] : view.inputs)].map((f) => f.name).filter((n) => !(n in columns));
  if (missing.length > 0) throw new InvalidOnlineWriteError(`${where}: missing columns ${missing.map((c) => `'${c}'`).join(', ')}`);
  for (const key of view.entityColumns) {
    columns[key.name].forEach((value, i) => {
      if (value === null || value === undefined) throw new InvalidOnlineWriteError(`${where}: ${key.name}[${i}] is empty; every event needs its join keys`);
    });
  }
  // The keys' types, well-formedness and size are checked with everything else, as for every write.
  const offlineView = rawEventView(view, present);
  const batch = toOnlineBatch(offlineView, events, options);
  const encode = viewKeyEncoder(view);
  const keyColumns = view.entityColumns.map((c) => columns[c.name]);
  const rows = new Array<StreamRow>(count);
  for (let i = 0; i < count; i++) {
    const inputs: Record<string, unknown> = {};
    for (const f of present) inputs[f.name] = batch.features[f.name][i];
    rows[i] = transformInput(
      view,
      keyColumns.map((c) => c[i]),
      batch.eventTimestamps[i],
      inputs,
    );
  }
  const keys = batch.keys.map((_, i) => encode(keyColumns.map((c) => c[i])));
  return { count, keys, times: batch.eventTimestamps, rows: transformEvents(view, rows, where), offlineView };
}
