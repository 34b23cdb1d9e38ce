import * as v from 'valibot';
import { InvalidDefinitionError } from '../errors.js';
import { fieldDefinition, type Field } from './field.js';
import { expected, object, record, whole } from './schema-issue.js';
import { checkSpec, deepFreeze, kindOrValue, metadata, metadataEntries, safeName, type Metadata } from './validate.js';

export type FileFormat = 'parquet' | 'csv';

interface SourceCommon extends Metadata {
  readonly name: string;
  readonly timestampField: string;
  readonly createdTimestampColumn?: string;
  /** Source column name -> feature, join key or timestamp name. */
  readonly fieldMapping: Readonly<Record<string, string>>;
}

/** A Parquet or CSV file: a path (relative to the repo), an http(s) URL, or bytes registered at run time. */
export interface FileSource extends SourceCommon {
  readonly kind: 'fileSource';
  readonly path: string;
  readonly format: FileFormat;
}

/** Rows pushed at run time; history lands in its batch source. */
export interface PushSource extends Metadata {
  readonly kind: 'pushSource';
  readonly name: string;
  readonly batchSource: FileSource;
}

/** Values supplied with each request, for on-demand views. `N` and `F` keep its name and fields. */
export interface RequestSource<N extends string = string, F extends Field = Field> extends Metadata {
  readonly kind: 'requestSource';
  readonly name: N;
  readonly schema: readonly F[];
}

export type DataSource = FileSource | PushSource | RequestSource;

export interface FileSourceSpec extends Metadata {
  name: string;
  path: string;
  format?: FileFormat;
  timestampField?: string;
  createdTimestampColumn?: string;
  fieldMapping?: Record<string, string>;
}

/** The format a path's extension names (ignoring a URL's query string), if any. */
export function formatFromPath(path: string): FileFormat | undefined {
  const bare = path.split(/[?#]/)[0].toLowerCase();
  if (bare.endsWith('.parquet') || bare.endsWith('.pq')) return 'parquet';
  if (bare.endsWith('.csv') || bare.endsWith('.csv.gz')) return 'csv';
  return undefined;
}

function inferFormat(path: string, where: string): FileFormat {
  const format = formatFromPath(path);
  if (format) return format;
  throw new InvalidDefinitionError(`${where}.format: cannot infer the format of '${path}'; set format: 'parquet' or 'csv'`);
}

const FILE_PATH = expected('a file path or URL');
const fileSourceSpec = object(
  {
    name: safeName,
    path: v.pipe(v.string(FILE_PATH), v.minLength(1, FILE_PATH)),
    format: v.nullish(v.picklist(['parquet', 'csv'], expected("'parquet' or 'csv'"))),
    timestampField: v.nullish(safeName),
    createdTimestampColumn: v.optional(v.pipe(v.string(expected('a string')), safeName)),
    fieldMapping: v.nullish(record(safeName, safeName, expected('an object of source column -> name'))),
    ...metadataEntries,
  },
  'expected an object',
);

/**
 * Declares a Parquet or CSV source.
 * @example fileSource({ name: 'driver_stats', path: 'data/driver_stats.parquet',
 *   timestampField: 'event_timestamp', createdTimestampColumn: 'created' })
 */
export function fileSource(spec: FileSourceSpec): FileSource {
  checkSpec(fileSourceSpec, spec, 'fileSource');
  const out: FileSource = {
    kind: 'fileSource',
    name: spec.name,
    path: spec.path,
    format: spec.format ?? inferFormat(spec.path, `fileSource '${spec.name}'`),
    timestampField: spec.timestampField ?? 'event_timestamp',
    fieldMapping: { ...spec.fieldMapping },
    ...metadata(spec),
    ...(spec.createdTimestampColumn !== undefined ? { createdTimestampColumn: spec.createdTimestampColumn } : {}),
  };
  return deepFreeze(out);
}

export interface PushSourceSpec extends Metadata {
  name: string;
  batchSource: FileSource;
}

const pushSourceSpec = object(
  {
    name: safeName,
    batchSource: whole(v.object({ kind: v.literal('fileSource') }), expected('a fileSource', kindOrValue)),
    ...metadataEntries,
  },
  'expected an object',
);

/**
 * Declares a push source over a batch source that keeps its history.
 * @example pushSource({ name: 'driver_stats_push', batchSource: driverStatsSource })
 */
export function pushSource(spec: PushSourceSpec): PushSource {
  checkSpec(pushSourceSpec, spec, 'pushSource');
  return deepFreeze({ kind: 'pushSource', name: spec.name, batchSource: spec.batchSource, ...metadata(spec) });
}

export interface RequestSourceSpec<N extends string = string, F extends Field = Field> extends Metadata {
  name: N;
  schema: readonly F[];
}

const FIELDS = 'expected a non-empty array of fields';
const requestSourceSpec = object(
  {
    name: safeName,
    schema: v.pipe(v.array(fieldDefinition, FIELDS), v.minLength(1, FIELDS)),
    ...metadataEntries,
  },
  'expected an object',
);

/**
 * Declares request data an on-demand view needs with every request. Its type keeps the
 * name and fields.
 * @example requestSource({ name: 'vals_to_add', schema: [field('val_to_add', Int64)] })
 */
export function requestSource<const N extends string, F extends Field>(spec: RequestSourceSpec<N, F>): RequestSource<N, F>;
export function requestSource(spec: RequestSourceSpec): RequestSource {
  checkSpec(requestSourceSpec, spec, 'requestSource');
  return deepFreeze({ kind: 'requestSource', name: spec.name, schema: [...spec.schema], ...metadata(spec) });
}

/** The source a view reads history from: the file itself, or a push source's batch source. */
export function batchSourceOf(source: FileSource | PushSource): FileSource {
  return source.kind === 'pushSource' ? source.batchSource : source;
}
