import { AbortError, InvalidMaterializationRequest, InvalidMaterializationWindow, InvalidOnlineWriteError, FeatureViewNotFoundException } from '../errors.js';
import type { FeatureView } from '../definitions/index.js';
import { microsToIso, toEpochMicros } from '../definitions/timestamp.js';
import { viewKeyEncoder } from '../online/entity-key.js';
import { toRowBatch, type OnlineColumnarBatch, type OnlineStore } from '../online/online-store.js';
import { featureTypesOf, MAX_ENTITY_KEY_BYTES } from '../online/online-write.js';
import type { LatestRowsBatch, OfflineStore } from '../offline/offline-store.js';
import type { Registry } from '../registry/registry.js';
import { entryOf } from '../registry/document.js';

export interface MaterializeOptions {
  start: Date | string;
  end: Date | string;
  /** View names; default every view with online: true. */
  featureViews?: readonly string[];
  /** Called after each written batch. */
  onProgress?: (progress: { view: string; rowsDone: number; rowsTotal: number }) => void;
  /** Checked between batches: once aborted, no further batch is written and the view's interval is not recorded. */
  signal?: AbortSignal;
  /** Rows per store write (default 10,000): one transaction each where the store has them. */
  batchRows?: number;
}

export interface MaterializeContext {
  offlineStore: OfflineStore;
  registry: Registry;
  onlineStore: OnlineStore;
  /** Aborted when the store closes: the run stops at the next batch boundary (read-ahead kept). */
  closing?: AbortSignal;
}

const BATCH_ROWS = 10_000;

/** Stops a run at a batch boundary, so every batch written is whole. */
function throwIfAborted(signal: AbortSignal | undefined, view: string, closing?: AbortSignal): void {
  const why = signal?.aborted ? 'cancelled' : closing?.aborted ? 'the store was closed' : undefined;
  if (why) throw new AbortError(`materialize: ${why} while materializing '${view}'; batches already written stay whole, its interval is not recorded`);
}

/** Materializes views into the online store and records each interval in the registry. */
export async function materializeViews(context: MaterializeContext, options: MaterializeOptions): Promise<{ view: string; rows: number }[]> {
  const start = toEpochMicros(options.start, 'materialize start');
  const end = toEpochMicros(options.end, 'materialize end');
  if (start > end) throw new InvalidMaterializationWindow(`materialize: start ${microsToIso(start)} is after end ${microsToIso(end)}`);
  const document = await context.registry.document();
  const all = Object.values(document.featureViews).map((s) => s.spec);
  let views: FeatureView[];
  if (options.featureViews) {
    views = options.featureViews.map((name) => {
      const view = all.find((v) => v.name === name);
      if (!view) {
        const names = all.map((v) => v.name);
        throw new FeatureViewNotFoundException(
          name,
          document.project.name,
          names,
          `materialize: feature view '${name}' is not in project '${document.project.name}'; valid: ${names.join(', ')}`,
        );
      }
      if (!view.online) throw new InvalidMaterializationRequest(`materialize: feature view '${name}' has online: false`);
      return view;
    });
  } else {
    views = all.filter((v) => v.online);
  }
  // Every view is checked against its data before any is written: a mismatch in the last
  // view must not leave the first ones materialized.
  await context.offlineStore.checkSources(views);
  const summary: { view: string; rows: number }[] = [];
  for (const view of views) {
    throwIfAborted(options.signal, view.name, context.closing);
    const rows = await materializeView(context, document.project.name, view, start, end, options.onProgress, options.signal, options.batchRows);
    await context.registry.addMaterializationInterval(view.name, { start: microsToIso(start), end: microsToIso(end) });
    summary.push({ view: view.name, rows });
  }
  return summary;
}

/**
 * One view: the offline store yields the latest row per key in batches, and each batch
 * is one store write, whole or nothing; a run killed midway leaves whole rows, and a
 * re-run writes the same rows again (an equal (event, created) pair replaces), so it
 * ends in the same state as one clean run.
 */
async function materializeView(
  context: MaterializeContext,
  project: string,
  view: FeatureView,
  start: bigint,
  end: bigint,
  onProgress: MaterializeOptions['onProgress'],
  signal?: AbortSignal,
  batchRows = BATCH_ROWS,
): Promise<number> {
  const latest = await context.offlineStore.pullLatest(view, start, end, { batchRows: Math.max(1, Math.floor(batchRows)) });
  const encode = viewKeyEncoder(view);
  let rowsDone = 0;
  // The next batch is read while this one is written: DuckDB's threads scan and join while
  // the store encodes and commits, so a run costs about the slower of the two, not their sum.
  const batches = latest.batches[Symbol.asyncIterator]();
  try {
    let next = batches.next();
    for (let step = await next; !step.done; step = await next) {
      const batch = step.value;
      throwIfAborted(signal, view.name, context.closing);
      // A cancellable run reads no batch ahead: a cancel sent in answer to a progress report (a worker message) must stop the next batch.
      if (!signal) next = batches.next();
      // A rejected read-ahead is seen when awaited; until then it must not count as unhandled.
      next.catch(() => {});
      const columnar = toColumnarBatch(view, batch, encode);
      // Stores that encode straight from typed columns take the batch as it is; the others (KV, Redis, IndexedDB) get rows.
      if (context.onlineStore.writeColumns) await context.onlineStore.writeColumns(project, columnar);
      else await context.onlineStore.write(project, toRowBatch(columnar));
      rowsDone += batch.rows;
      // Rows equal in key and both times all come out of the offline store; the count is of keys.
      onProgress?.({ view: view.name, rowsDone: Math.min(rowsDone, latest.rowCount), rowsTotal: latest.rowCount });
      if (signal) next = batches.next();
    }
  } finally {
    // Releases the offline store's tables and views whether the loop ended, failed or was cancelled.
    await batches.return?.();
  }
  return latest.rowCount;
}

/** Names the key by its join keys' values, each cut short: the value itself is what is too long. */
function oversizedKey(view: FeatureView, values: readonly unknown[], bytes: number): InvalidOnlineWriteError {
  const shown = view.entityColumns.map((column, k) => {
    const text = JSON.stringify(typeof values[k] === 'bigint' ? String(values[k]) : values[k]) ?? String(values[k]);
    return `${column.name}=${text.length > 40 ? `${text.slice(0, 40)}...` : text}`;
  });
  return new InvalidOnlineWriteError(
    `materialize '${view.name}': the entity key ${shown.join(', ')} is ${bytes} bytes, over the ${MAX_ENTITY_KEY_BYTES} an entity key may hold; ` +
      'the batches before it are written, the interval is not recorded',
  );
}

/** One batch of latest rows as a columnar store write: keys encoded, the columns handed over as read. */
function toColumnarBatch(view: FeatureView, batch: LatestRowsBatch, encode: (values: readonly unknown[]) => Uint8Array): OnlineColumnarBatch {
  const keys = new Array<Uint8Array>(batch.rows);
  const keyValues = new Array<unknown>(batch.joinKeys.length);
  for (let r = 0; r < batch.rows; r++) {
    for (let k = 0; k < batch.joinKeys.length; k++) keyValues[k] = batch.joinKeys[k][r];
    keys[r] = encode(keyValues);
    // The limit every other write is held to (toOnlineBatch): checked here, as the columns skip that path.
    if (keys[r].length > MAX_ENTITY_KEY_BYTES) throw oversizedKey(view, keyValues, keys[r].length);
  }
  return {
    view: view.name,
    keys,
    eventTimestamps: batch.eventTimestamps,
    ...(batch.createdColumn ? { createdTimestamps: batch.createdColumn } : {}),
    features: batch.featureColumns,
    featureTypes: featureTypesOf(view),
  };
}

export interface MaterializeIncrementalOptions {
  end: Date | string;
  featureViews?: readonly string[];
  onProgress?: MaterializeOptions['onProgress'];
  signal?: AbortSignal;
}

const YEAR_MICROS = 365n * 86_400_000_000n;

/**
 * Materializes each view from the end of its last interval to `end`; a view never
 * materialized starts at end - ttl, or a year back when its ttl is 0.
 */
export async function materializeIncrementalViews(
  context: MaterializeContext,
  options: MaterializeIncrementalOptions,
): Promise<{ view: string; rows: number }[]> {
  const end = toEpochMicros(options.end, 'materialize-incremental end');
  const document = await context.registry.document();
  const names =
    options.featureViews ??
    Object.values(document.featureViews)
      .filter((v) => v.spec.online)
      .map((v) => v.spec.name);
  // Every view is found (own keys only: a view named 'constructor' is not Object's) before any is written.
  const stored = names.map((name) => {
    const found = entryOf(document.featureViews, name);
    if (!found) throw new FeatureViewNotFoundException(name, document.project.name, Object.keys(document.featureViews));
    return found;
  });
  const summary: { view: string; rows: number }[] = [];
  for (const [n, name] of names.entries()) {
    const ends = stored[n].materializationIntervals.map((i) => toEpochMicros(i.end, 'interval end'));
    const ttl = BigInt(Math.round(stored[n].spec.ttlSeconds * 1e6));
    const start = ends.length > 0 ? ends.reduce((a, b) => (a > b ? a : b)) : end - (ttl > 0n ? ttl : YEAR_MICROS);
    summary.push(
      ...(await materializeViews(context, {
        start: microsToIso(start),
        end: microsToIso(end),
        featureViews: [name],
        onProgress: options.onProgress,
        signal: options.signal,
      })),
    );
  }
  return summary;
}
