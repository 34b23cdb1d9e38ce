/**
 * Reading the files real Feast 0.66 wrote (test/fixtures/feast/<repo>, copied from the
 * shared feast-fixtures) and turning Feast's own decodings (protobuf JSON) into the JS
 * values feast-edge's stores give. Expected values come from these files only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ArrayOf,
  Bool,
  Bytes,
  Float32,
  Float64,
  Int32,
  Int64,
  String as Str,
  UnixTimestamp,
  type ScalarType,
  type ValueType,
} from '../../src/definitions/index.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';

export const REPOS = ['quickstart', 'rich'] as const;
export type Repo = (typeof REPOS)[number];

const DIR = join(import.meta.dirname, '..', 'fixtures', 'feast');

export const fixturePath = (repo: Repo, file: string) => join(DIR, repo, file);
export const readFixture = (repo: Repo, file: string) => readFileSync(fixturePath(repo, file));
export const readJsonFixture = <T>(repo: Repo, file: string): T => JSON.parse(readFileSync(fixturePath(repo, file), 'utf8')) as T;

export const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
export const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** One hash of `redis-keys.json`, with Feast's decoding of it. */
export interface RedisKeyFixture {
  key_hex: string;
  fields: Record<string, string>;
  decoded: {
    project_suffix: string;
    entity_key: { join_keys: string[]; entity_values: ProtoValue[] };
    fields: Record<string, { name: string; value?: ProtoValue; seconds?: number; nanos?: number; timestamp?: string }>;
  };
}

/** A feast.types.Value in protobuf JSON, as Feast's json_format prints it (.proto field names). */
export type ProtoValue = Record<string, unknown>;

const int64 = (text: unknown): number | bigint => {
  const n = BigInt(text as string);
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
};
const float = (v: unknown): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number));
const bytes = (v: unknown): Uint8Array => Uint8Array.from(Buffer.from(v as string, 'base64'));
const date = (v: unknown): Date => new Date(Number(v) * 1000);

const SCALARS: Record<string, (v: unknown) => unknown> = {
  int32_val: (v) => v,
  int64_val: int64,
  float_val: (v) => Math.fround(float(v)),
  double_val: float,
  string_val: (v) => v,
  bool_val: (v) => v,
  bytes_val: bytes,
  unix_timestamp_val: date,
  json_val: (v) => v,
};
const LISTS: Record<string, (v: unknown) => unknown> = {
  int32_list_val: (v) => v,
  int64_list_val: int64,
  float_list_val: (v) => Math.fround(float(v)),
  double_list_val: float,
  string_list_val: (v) => v,
  bool_list_val: (v) => v,
  bytes_list_val: bytes,
  unix_timestamp_list_val: date,
  json_list_val: (v) => v,
};

/** The JS value feast-edge gives for Feast's protobuf JSON of a Value ({} is null). */
export function expectedValue(proto: ProtoValue): unknown {
  const entries = Object.entries(proto);
  if (entries.length === 0) return null;
  const [[member, v]] = entries;
  if (member in SCALARS) return SCALARS[member](v);
  if (member in LISTS) return ((v as { val?: unknown[] }).val ?? []).map(LISTS[member]);
  if (member === 'map_val' || member === 'struct_val') {
    return Object.fromEntries(Object.entries((v as { val?: Record<string, ProtoValue> }).val ?? {}).map(([k, item]) => [k, expectedValue(item)]));
  }
  throw new Error(`test fixture: no expectation for Value member ${member}`);
}

/** Feast's ValueType enum names (as the registry JSON prints them) as feast-edge types; undefined for Map, Json, Struct. */
export function valueTypeOf(name: string): ValueType | undefined {
  const scalars: Record<string, ScalarType> = {
    INT32: Int32,
    INT64: Int64,
    FLOAT: Float32,
    DOUBLE: Float64,
    STRING: Str,
    BOOL: Bool,
    BYTES: Bytes,
    UNIX_TIMESTAMP: UnixTimestamp,
  };
  if (name in scalars) return scalars[name];
  const list = /^(.*)_LIST$/.exec(name);
  if (list && list[1] in scalars) return ArrayOf(scalars[list[1]]);
  return undefined;
}

interface RegistryView {
  spec: { name: string; features: { name: string; value_type: string }[]; entity_columns?: { name: string; value_type: string }[] };
}
interface RegistryService {
  spec: {
    name: string;
    features: { feature_view_name: string; feature_view_name_alias?: string; feature_columns: { name: string }[]; join_key_map?: Record<string, string> }[];
  };
}

export interface ViewSchema {
  readonly name: string;
  readonly joinKeys: readonly { name: string; type: ScalarType }[];
  readonly features: Readonly<Record<string, ValueType | undefined>>;
  readonly featureTypeNames: Readonly<Record<string, string>>;
}

/** The feature views of a repo's registry (registry.json, Feast's registry.db as protobuf JSON). */
export function viewSchemas(repo: Repo): Map<string, ViewSchema> {
  const registry = readJsonFixture<{ feature_views: RegistryView[]; stream_feature_views?: RegistryView[] }>(repo, 'registry.json');
  const out = new Map<string, ViewSchema>();
  for (const { spec } of [...registry.feature_views, ...(registry.stream_feature_views ?? [])]) {
    out.set(spec.name, {
      name: spec.name,
      // The quickstart entity declares no type; its values are INT64 in the online stores (README).
      joinKeys: (spec.entity_columns ?? []).map((c) => ({ name: c.name, type: (valueTypeOf(c.value_type ?? 'INT64') ?? Int64) as ScalarType })),
      features: Object.fromEntries(spec.features.map((f) => [f.name, valueTypeOf(f.value_type)])),
      featureTypeNames: Object.fromEntries(spec.features.map((f) => [f.name, f.value_type])),
    });
  }
  return out;
}

export function featureServices(repo: Repo): Map<string, RegistryService['spec']> {
  const registry = readJsonFixture<{ feature_services?: RegistryService[] }>(repo, 'registry.json');
  return new Map((registry.feature_services ?? []).map((s) => [s.spec.name, s.spec]));
}

/** The entity key of one entity row for a view (join keys renamed by a projection's join-key map). */
export function entityKeyFor(view: ViewSchema, row: Record<string, unknown>, joinKeyMap: Record<string, string> = {}): Uint8Array {
  return encodeEntityKey(
    view.joinKeys.map((k) => {
      const raw = row[joinKeyMap[k.name] ?? k.name];
      return { joinKey: k.name, type: k.type, value: k.type.kind === 'String' ? raw : Number(raw) };
    }),
  );
}

/** One `get_online_features` call of online-expected*.json. */
export interface OnlineRequest {
  name: string;
  features?: string[];
  feature_service?: string;
  full_feature_names: boolean;
  entity_rows: Record<string, unknown>[] | Record<string, unknown[]>;
  error?: unknown;
  server_json?: { metadata: { feature_names: string[] }; results: { values: unknown[]; statuses: string[]; event_timestamps: string[] }[] };
  proto_json?: { metadata: { feature_names: { val: string[] } }; results: { values: ProtoValue[]; statuses: string[]; event_timestamps: string[] }[] };
}

/** The rows of a request, row-major whichever way it was given. */
export function entityRows(request: OnlineRequest): Record<string, unknown>[] {
  if (Array.isArray(request.entity_rows)) return request.entity_rows;
  const columns = request.entity_rows;
  const count = Object.values(columns)[0]?.length ?? 0;
  return Array.from({ length: count }, (_, i) => Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v[i]])));
}

/** One store read a request makes: a view, its keys, and where each feature lands in Feast's answer. */
export interface ViewRead {
  readonly view: ViewSchema;
  readonly joinKeyMap: Record<string, string>;
  readonly columns: { feature: string; output: string }[];
}

/**
 * The feature-view reads of a request (on-demand and unknown views left out): plain
 * references `view:feature`, or a feature service's projections with their aliases and
 * join-key maps. Output names follow Feast: `feature`, or `<alias or view>__feature`.
 */
export function viewReads(repo: Repo, request: OnlineRequest): ViewRead[] {
  const views = viewSchemas(repo);
  const reads = new Map<string, ViewRead>();
  const add = (viewName: string, alias: string | undefined, joinKeyMap: Record<string, string>, feature: string) => {
    const view = views.get(viewName);
    if (!view || !(feature in view.features)) return;
    const id = `${viewName}/${alias ?? ''}`;
    let read = reads.get(id);
    if (!read) reads.set(id, (read = { view, joinKeyMap, columns: [] }));
    read.columns.push({ feature, output: request.full_feature_names ? `${alias ?? viewName}__${feature}` : feature });
  };
  if (request.features) {
    for (const ref of request.features) {
      const [viewName, feature] = ref.split(':');
      add(viewName, undefined, {}, feature);
    }
  } else if (request.feature_service) {
    for (const projection of featureServices(repo).get(request.feature_service)!.features) {
      for (const column of projection.feature_columns) {
        add(projection.feature_view_name, projection.feature_view_name_alias, projection.join_key_map ?? {}, column.name);
      }
    }
  }
  return [...reads.values()];
}

/** JSON for messages: bigints, bytes and Dates spelled out so a mismatch shows plainly. */
export function show(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `bytes:${toHex(v)}` : v));
}

/** A value with bigints, bytes and Dates made comparable by toEqual. */
export function comparable(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: toHex(value) };
  if (value instanceof Date) return { date: value.getTime() };
  if (typeof value === 'bigint') return { bigint: String(value) };
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
  return value;
}
