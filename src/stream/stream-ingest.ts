import { shownValue } from '../definitions/shown-value.js';
import { FeastEdgeError, ValueError } from '../errors.js';
import type { OnlineEntityRows } from '../online/entity-rows.js';
import type { OnlineStore } from '../online/online-store.js';
import { applyToTiles } from './ingest.js';
import { checkStreamEvents, type CheckedEvents, type StreamViewCode } from './stream-events.js';

/** What an ingest did; late events were not applied online but were written offline. */
export interface IngestResult {
  /** Events read. */
  events: number;
  /** Events applied to the online tiles. */
  applied: number;
  /** Events later than the allowed lateness: written offline, not applied online. */
  late: number;
  /** Late events per stream view. */
  lateByView: Record<string, number>;
  /** Batches written (one offline part and one online update each). */
  batches: number;
}

export interface IngestOptions {
  /** Events per batch (one Parquet part and one online update each); default 10,000. */
  batchSize?: number;
  /** Called after each batch with the totals so far. */
  onProgress?: (progress: IngestResult) => void;
  /** 'online' applies the events to the online tiles only (no offline append, so training sets will not see them); default both. */
  to?: 'online' | 'online_and_offline';
}

/** Where `ingest` puts a checked batch: the offline append first, then the online tiles. */
export interface StreamIngestTarget {
  readonly project: string;
  readonly onlineStore: OnlineStore;
  appendOffline(view: StreamViewCode, rows: readonly Record<string, unknown>[], checked: CheckedEvents): Promise<void>;
}

export type EventSource = AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>> | ReadableStream<Record<string, unknown>>;

async function* eventsOf(source: EventSource): AsyncIterable<Record<string, unknown>> {
  if (typeof (source as ReadableStream).getReader === 'function' && !(Symbol.asyncIterator in source)) {
    // Not every runtime makes ReadableStream async-iterable (Safari): read it by hand.
    const reader = (source as ReadableStream<Record<string, unknown>>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  yield* source as AsyncIterable<Record<string, unknown>>;
}

/**
 * Reads events in batches; each batch is checked whole (a bad event refuses its batch,
 * naming column, row and batch, before anything of it is written), appended offline as one
 * part, then applied to the online tiles. Events given as an array are all checked before
 * the first batch is written, so a bad one writes nothing; from an iterable or a stream
 * (read as it comes), earlier batches stay written.
 */
export async function ingestEvents(target: StreamIngestTarget, view: StreamViewCode, source: EventSource, options: IngestOptions = {}): Promise<IngestResult> {
  const batchSize = options.batchSize ?? 10_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`ingest: batchSize must be a positive integer, got ${shownValue(batchSize)}`);
  const readable =
    !!source &&
    (typeof source === 'object' || typeof source === 'function') &&
    (Symbol.iterator in source || Symbol.asyncIterator in source || typeof (source as ReadableStream).getReader === 'function');
  if (!readable) {
    throw new ValueError('ingest: events must be an iterable, an async iterable or a ReadableStream of event rows');
  }
  const result: IngestResult = { events: 0, applied: 0, late: 0, lateByView: { [view.name]: 0 }, batches: 0 };
  const whole = Array.isArray(source);
  const check = (rows: Record<string, unknown>[], first: number, batch: number): CheckedEvents => {
    try {
      return checkStreamEvents(view, rows as OnlineEntityRows);
    } catch (error) {
      if (!(error instanceof FeastEdgeError)) throw error;
      // The same error, told where in the stream it happened: its class (and instanceof) stays.
      const written = whole || batch === 1 ? 'nothing was written' : 'earlier batches were written';
      error.message = `${error.message} (batch ${batch}: events ${first} to ${first + rows.length - 1} of the stream; ${written})`;
      throw error;
    }
  };
  const write = async (rows: Record<string, unknown>[], checked: CheckedEvents) => {
    await target.appendOffline(view, rows, checked);
    const counts = await applyToTiles(target.onlineStore, target.project, view, checked);
    result.events += rows.length;
    result.applied += counts.applied;
    result.late += counts.late;
    result.lateByView[view.name] += counts.late;
    result.batches++;
    options.onProgress?.({ ...result, lateByView: { ...result.lateByView } });
  };
  if (whole) {
    const events = source as readonly Record<string, unknown>[];
    const batches: { rows: Record<string, unknown>[]; checked: CheckedEvents }[] = [];
    for (let first = 0; first < events.length; first += batchSize) {
      const rows = events.slice(first, first + batchSize);
      batches.push({ rows, checked: check(rows, first, batches.length + 1) });
    }
    for (const { rows, checked } of batches) await write(rows, checked);
    return result;
  }
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await write(rows, check(rows, result.events, result.batches + 1));
  };
  for await (const event of eventsOf(source)) {
    batch.push(event);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return result;
}
