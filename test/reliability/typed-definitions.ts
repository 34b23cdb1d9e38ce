/**
 * The definitions of issue 14's typed view (no Node import: a browser test bundles them
 * too): a view `typed` keyed by a String `user_id` with one feature of each value type,
 * a push source over it, and a stream view over the same source. typed-repo.ts adds them
 * to the repo `feast-edge init` makes.
 */
import {
  Array as Arr,
  Bool,
  entity,
  featureView,
  field,
  fileSource,
  Float32,
  Float64,
  Int32,
  Int64,
  pushSource,
  streamFeatureView,
  String as Str,
  UnixTimestamp,
} from '../../src/definitions/index.js';

export const TYPED_FEATURES = ['f_int32', 'f_int64', 'f_float32', 'f_float64', 'f_string', 'f_bool', 'f_ts', 'f_list'] as const;

/** The typed view, its entity, its file source at `path` (relative to the repo) and its push source `typed_push`. */
export function typedDefinitions(path: string) {
  const user = entity({ name: 'user', joinKeys: ['user_id'], valueType: Str });
  const source = fileSource({ name: 'typed_src', path, timestampField: 'event_timestamp' });
  const push = pushSource({ name: 'typed_push', batchSource: source });
  const typed = featureView({
    name: 'typed',
    entities: [user],
    ttl: 0,
    source: push,
    schema: [
      field('f_int32', Int32),
      field('f_int64', Int64),
      field('f_float32', Float32),
      field('f_float64', Float64),
      field('f_string', Str),
      field('f_bool', Bool),
      field('f_ts', UnixTimestamp),
      field('f_list', Arr(Int64)),
    ],
  });
  return { user, source, push, typed, objects: [user, source, push, typed] as const };
}

/**
 * A stream view over the typed source, fed by its own push source `typed_events_push`
 * (so pushes to `typed_push` stay online-only by default): what ingest and a
 * /write-to-online-store to a stream view write through.
 */
export function typedStreamDefinitions({ user, source }: Pick<ReturnType<typeof typedDefinitions>, 'user' | 'source'>) {
  const events = pushSource({ name: 'typed_events_push', batchSource: source });
  const stream = streamFeatureView({
    name: 'typed_stream',
    source: events,
    entities: [user],
    schema: [field('f_int32', Int32), field('f_float64', Float64)],
    aggregations: [{ column: 'f_int32', fn: 'sum', window: '1h' }],
  });
  return { events, stream, objects: [events, stream] as const };
}

/** A valid event of the typed stream view for `userId`, with `changes` applied. */
export const typedEvent = (userId: string, changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  user_id: userId,
  event_timestamp: TYPED_AT,
  f_int32: 1,
  f_float64: 0.25,
  ...changes,
});

export const TYPED_AT = '2021-01-02T00:00:00Z';

/** A valid row of the typed view for `userId`, with `changes` applied. */
export const typedRow = (userId: string, changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  user_id: userId,
  event_timestamp: TYPED_AT,
  f_int32: 1,
  f_int64: 2,
  f_float32: 0.5,
  f_float64: 0.25,
  f_string: 'x',
  f_bool: true,
  f_ts: '2021-01-01T00:00:00Z',
  f_list: [1, 2],
  ...changes,
});
