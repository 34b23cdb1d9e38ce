/**
 * The stream bench's repo: events with six numeric columns go to a stream feature view of
 * six aggregates over three windows, and (through their own push source) to a plain
 * feature view of the same six columns, the baseline. Portable: the browser worker loads it too.
 */
import { entity, featureView, field, fileSource, Float64, Int64, project, pushSource, streamFeatureView } from '../src/definitions/index.js';

export const COLUMNS = ['fare', 'distance', 'tip', 'duration', 'rating', 'passengers'] as const;

export const streamBench = project({ name: 'stream_bench' });
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const schema = COLUMNS.map((c) => field(c, Float64));

export const tripsSource = fileSource({ name: 'trips_source', path: 'trips.parquet', timestampField: 'event_timestamp' });
export const tripsPush = pushSource({ name: 'trips_push', batchSource: tripsSource });
export const tripStats = streamFeatureView({
  // Tiles are kept for window + allowed lateness: the default (the longest window, 1 day)
  // would keep a day of 10-second tiles for the 10-minute windows.
  name: 'trip_stats',
  source: tripsPush,
  entities: [driver],
  schema,
  allowedLateness: '5m',
  aggregations: [
    { column: 'fare', fn: 'sum', window: '10m' },
    { column: 'distance', fn: 'mean', window: '10m' },
    { column: 'tip', fn: 'max', window: '1h' },
    { column: 'duration', fn: 'count', window: '1h' },
    { column: 'rating', fn: 'min', window: '1d' },
    { column: 'passengers', fn: 'last', window: '1d' },
  ],
});

export const plainSource = fileSource({ name: 'plain_source', path: 'plain.parquet', timestampField: 'event_timestamp' });
export const plainPush = pushSource({ name: 'plain_push', batchSource: plainSource });
export const tripLatest = featureView({ name: 'trip_latest', entities: [driver], source: plainPush, schema });

export const STREAM_FEATURES = tripStats.features.map((f) => `trip_stats:${f.name}`);
export const PLAIN_FEATURES = COLUMNS.map((c) => `trip_latest:${c}`);

/** `count` events over `drivers` drivers, 100 ms apart, ending at `endMs`: rows as a push sends them. */
export function tripEvents(count: number, drivers: number, endMs: number): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    events.push({
      driver_id: 1 + ((i * 7919) % drivers),
      event_timestamp: new Date(endMs - (count - i) * 100).toISOString(),
      fare: 5 + (i % 40),
      distance: 1 + (i % 13) / 2,
      tip: i % 7,
      duration: 300 + (i % 900),
      rating: 1 + (i % 5),
      passengers: 1 + (i % 4),
    });
  }
  return events;
}

/** The two calls both stream benches time: the facade in Node, the worker proxy in Chromium. */
interface IngestingStore {
  ingest(view: string, events: Record<string, unknown>[], options: { batchSize: number }): Promise<unknown>;
  push(source: string, rows: Record<string, unknown>[], options: { to: 'online_and_offline' }): Promise<unknown>;
}

/**
 * Events per second into the stream view (ingest) and, for the same events, into the plain
 * view (push in batches of the same size); both land every event offline and online. Also
 * the ingest's own result.
 */
export async function ingestAndPushRates<S extends IngestingStore>(
  store: S,
  events: Record<string, unknown>[],
  batch: number,
): Promise<{ ingest: number; push: number; ingested: Awaited<ReturnType<S['ingest']>> }> {
  let start = performance.now();
  const ingested = (await store.ingest('trip_stats', events, { batchSize: batch })) as Awaited<ReturnType<S['ingest']>>;
  const ingest = events.length / ((performance.now() - start) / 1000);
  start = performance.now();
  for (let i = 0; i < events.length; i += batch) await store.push('plain_push', events.slice(i, i + batch), { to: 'online_and_offline' });
  return { ingest, push: events.length / ((performance.now() - start) / 1000), ingested };
}
