import * as v from 'valibot';
import type { FileSource, PushSource } from './data-source.js';
import { parseDuration } from './duration.js';
import { entityDefinition, type Entity } from './entity.js';
import { describeChoices, InvalidDefinitionError } from '../errors.js';
import { field, fieldDefinition, type Field } from './field.js';
import { expected, object, whole } from './schema-issue.js';
import { Float64, formatValueType, Int64, type ScalarTypeName, type ValueType } from './value-type.js';
import type { AggregationFields, CheckedAggregations, EventColumnNames, JoinKeyFields } from './typed-refs.js';
import { assertUnique, checkSpec, deepFreeze, kindOrValue, metadata, metadataEntries, safeName, type Metadata } from './validate.js';

export type AggregationFunction = 'sum' | 'count' | 'mean' | 'min' | 'max' | 'last';
export const AGGREGATION_FUNCTIONS: readonly AggregationFunction[] = ['sum', 'count', 'mean', 'min', 'max', 'last'];

/** One event as a stream transform sees it: join keys, the timestamp (a Date) and the schema's columns. */
export type StreamRow = Record<string, unknown>;

export interface AggregationSpec<C extends string = string> {
  /** The schema column aggregated; a column the schema lacks does not compile. */
  column: C;
  fn: AggregationFunction;
  /** Whole seconds, or a duration string such as '1h'. */
  window: number | string;
  /** Tile width: whole seconds dividing the window. Default: the largest divisor of the window <= window/60 (1h -> 60 s). */
  slide?: number | string;
  /** Output feature name; default `<fn>_<column>_<window>` (window as given, e.g. `sum_fare_1h`). */
  name?: string;
}

/** A resolved aggregation: plain data, its output feature named and typed. */
export interface Aggregation {
  readonly name: string;
  readonly column: string;
  readonly fn: AggregationFunction;
  readonly windowSeconds: number;
  readonly slideSeconds: number;
  readonly dtype: ValueType;
}

/**
 * A view of time-window aggregates over events pushed to a push source. Online, the
 * aggregates are kept as tiles per entity (src/stream); historically, the same windows
 * are computed from the push source's batch source. Holds code when it has a `transform`,
 * so, like on-demand views, the registry stores its source text and hash instead. `N`,
 * `F` and `K` keep its name, its aggregates' output fields and its join-key fields.
 */
export interface StreamFeatureView<N extends string = string, F extends Field = Field, K extends Field = Field> extends Metadata {
  readonly kind: 'streamFeatureView';
  readonly name: N;
  readonly entities: readonly string[];
  readonly entityColumns: readonly K[];
  /** The columns events carry (after the transform, if any), besides join keys and timestamp. */
  readonly inputs: readonly Field[];
  readonly aggregations: readonly Aggregation[];
  /** The aggregations' outputs, as other views list their features. */
  readonly features: readonly F[];
  readonly source: PushSource;
  readonly batchSource: FileSource;
  readonly timestampField: string;
  /** Events older than an entity's newest event by more than this are late: not applied online. */
  readonly allowedLatenessSeconds: number;
  readonly transformSource?: string;
  readonly transform?: (row: StreamRow) => StreamRow;
}

export interface StreamFeatureViewSpec<
  N extends string = string,
  S extends Field = Field,
  E extends Entity = Entity,
  A extends readonly AggregationSpec[] = readonly AggregationSpec[],
> extends Metadata {
  name: N;
  source: PushSource;
  entities: readonly E[];
  /** Join keys (optional, they take the entity's type) and the event columns aggregations read. */
  schema: readonly S[];
  /** The event time column; default the batch source's timestampField. */
  timestampField?: string;
  aggregations: A;
  /** Duration; default the longest window. */
  allowedLateness?: number | string;
  /** Runs on each event before aggregation, online and historically; may add or replace columns. */
  transform?: (row: StreamRow) => StreamRow;
}

const NUMERIC: readonly ScalarTypeName[] = ['Int32', 'Int64', 'Float32', 'Float64'];
/** Types whose order JS and DuckDB agree on (strings by code point, as DuckDB compares UTF-8 bytes). */
const ORDERED: readonly ScalarTypeName[] = [...NUMERIC, 'String', 'UnixTimestamp'];
const ACCEPTS: Record<AggregationFunction, readonly ScalarTypeName[]> = {
  sum: NUMERIC,
  mean: NUMERIC,
  min: ORDERED,
  max: ORDERED,
  count: [...ORDERED, 'Bool', 'Bytes'],
  last: [...ORDERED, 'Bool'],
};

/** Whole seconds > 0; the error names the field. */
function wholeSeconds(value: unknown, where: string): number {
  if (value === undefined || value === null) throw new InvalidDefinitionError(`${where}: expected a duration such as '1h' or whole seconds, got nothing`);
  const seconds = parseDuration(value, where);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new InvalidDefinitionError(`${where}: expected a positive whole number of seconds, got ${JSON.stringify(value)} (${seconds} s)`);
  }
  return seconds;
}

/** The largest divisor of the window that is at most window/60, at least 1 s: about 60 tiles per window. */
export function defaultSlideSeconds(windowSeconds: number): number {
  for (let d = Math.max(1, Math.floor(windowSeconds / 60)); d > 1; d--) if (windowSeconds % d === 0) return d;
  return 1;
}

function outputType(fn: AggregationFunction, input: ValueType): ValueType {
  if (fn === 'count') return Int64;
  if (fn === 'mean') return Float64;
  if (fn === 'sum') return input.kind === 'Int32' || input.kind === 'Int64' ? Int64 : Float64;
  return input;
}

function windowLabel(window: number | string): string {
  return typeof window === 'number' ? `${window}s` : window.trim().toLowerCase();
}

const AGGREGATIONS = 'expected a non-empty array of { column, fn, window, slide? }';
// column, window and slide are checked against the schema and as durations by streamFeatureView.
const aggregationSpec = object(
  {
    fn: v.picklist(AGGREGATION_FUNCTIONS, expected(`one of ${AGGREGATION_FUNCTIONS.join(', ')}`)),
    name: v.nullish(safeName),
  },
  'expected { column, fn, window, slide? }',
);
const streamFeatureViewSpec = object(
  {
    name: safeName,
    source: whole(v.object({ kind: v.literal('pushSource') }), expected('a pushSource', kindOrValue)),
    entities: whole(v.pipe(v.array(entityDefinition), v.minLength(1)), 'expected a non-empty array of entity definitions'),
    schema: v.array(fieldDefinition, 'expected an array of fields'),
    timestampField: v.nullish(safeName),
    aggregations: v.pipe(v.array(aggregationSpec, AGGREGATIONS), v.minLength(1, AGGREGATIONS)),
    transform: v.optional(v.function('expected a function (row) => row')),
    ...metadataEntries,
  },
  'expected an object',
);

/**
 * Declares a stream feature view: windowed aggregates over a push source's events.
 * The value at instant T covers events with `floor(T/slide)*slide - window + slide <= t <= T`.
 * Its type keeps the name, the join keys and each aggregate's output field, named
 * `<fn>_<column>_<window>` when the window is a literal (`sum_fare_1h`).
 * @example streamFeatureView({ name: 'driver_trips', source: tripsPush, entities: [driver],
 *   schema: [field('fare', Float64)],
 *   aggregations: [{ column: 'fare', fn: 'sum', window: '1h' }, { column: 'fare', fn: 'count', window: '1d' }] })
 */
export function streamFeatureView<const N extends string, S extends Field, E extends Entity, const A extends readonly AggregationSpec[]>(
  spec: StreamFeatureViewSpec<N, S, E, A> & CheckedAggregations<A, EventColumnNames<S, E>>,
): StreamFeatureView<N, AggregationFields<A[number], S>, JoinKeyFields<E>>;
export function streamFeatureView(spec: StreamFeatureViewSpec): StreamFeatureView {
  checkSpec(streamFeatureViewSpec, spec, 'streamFeatureView');
  const where = `streamFeatureView '${spec.name}'`;
  const entities = spec.entities;
  assertUnique(
    entities.map((e) => e.name),
    `${where}.entities`,
  );
  assertUnique(
    spec.schema.map((f) => f.name),
    `${where}.schema`,
  );
  const batchSource = spec.source.batchSource;
  const timestampField = spec.timestampField ?? batchSource.timestampField;

  const keys = new Map(entities.map((e) => [e.joinKeys[0], e]));
  const entityColumns = entities.map((e) => field(e.joinKeys[0], e.valueType));
  const inputs: Field[] = [];
  for (const f of spec.schema) {
    const owner = keys.get(f.name);
    if (owner) {
      if (formatValueType(f.dtype) !== formatValueType(owner.valueType)) {
        throw new InvalidDefinitionError(
          `${where}.schema: field '${f.name}' is the join key of entity '${owner.name}' (${formatValueType(owner.valueType)}) but is declared ${formatValueType(f.dtype)}`,
        );
      }
      continue;
    }
    if (f.name === timestampField) throw new InvalidDefinitionError(`${where}.schema: field '${f.name}' is the timestamp field, not an event column`);
    inputs.push(f);
  }

  const aggregations = spec.aggregations.map((a: AggregationSpec, i): Aggregation => {
    const at = `${where}.aggregations[${i}]`;
    const input = inputs.find((f) => f.name === a.column);
    if (!input) {
      throw new InvalidDefinitionError(
        `${at}.column: '${String(a.column)}' is not an event column of the schema; ${describeChoices(inputs.map((f) => f.name))}`,
      );
    }
    const kind = input.dtype.kind === 'Array' ? 'Array' : input.dtype.kind;
    if (!(ACCEPTS[a.fn as AggregationFunction] as readonly string[]).includes(kind)) {
      throw new InvalidDefinitionError(
        `${at}.column: ${a.fn} cannot aggregate '${a.column}' of type ${formatValueType(input.dtype)}; it takes ${ACCEPTS[a.fn as AggregationFunction].join(', ')}`,
      );
    }
    const windowSeconds = wholeSeconds(a.window, `${at}.window`);
    const slideSeconds = a.slide === undefined ? defaultSlideSeconds(windowSeconds) : wholeSeconds(a.slide, `${at}.slide`);
    if (windowSeconds % slideSeconds !== 0) {
      throw new InvalidDefinitionError(`${at}.slide: ${slideSeconds} s does not divide the window of ${windowSeconds} s`);
    }
    const name = a.name ?? `${a.fn}_${a.column}_${windowLabel(a.window)}`;
    return { name, column: a.column, fn: a.fn, windowSeconds, slideSeconds, dtype: outputType(a.fn, input.dtype) };
  });
  assertUnique(
    aggregations.map((a) => a.name),
    `${where}.aggregations (output names)`,
  );
  for (const a of aggregations) {
    if (keys.has(a.name) || a.name === timestampField)
      throw new InvalidDefinitionError(`${where}.aggregations: output '${a.name}' has the name of a join key or the timestamp`);
  }
  const longest = Math.max(...aggregations.map((a) => a.windowSeconds));
  const allowedLatenessSeconds = spec.allowedLateness === undefined ? longest : parseDuration(spec.allowedLateness, `${where}.allowedLateness`);
  if (!Number.isInteger(allowedLatenessSeconds)) {
    throw new InvalidDefinitionError(`${where}.allowedLateness: expected whole seconds, got ${JSON.stringify(spec.allowedLateness)}`);
  }

  const data = {
    kind: 'streamFeatureView' as const,
    name: spec.name,
    entities: entities.map((e) => e.name),
    entityColumns,
    inputs,
    aggregations,
    features: aggregations.map((a) => field(a.name, a.dtype)),
    source: spec.source,
    batchSource,
    timestampField,
    allowedLatenessSeconds,
    ...(spec.transform ? { transformSource: String(spec.transform) } : {}),
    ...metadata(spec),
  };
  deepFreeze(data);
  // Freeze the data parts; the transform stays as given.
  return Object.freeze({ ...data, ...(spec.transform ? { transform: spec.transform } : {}) });
}
