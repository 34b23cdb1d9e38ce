import { readFileSync } from 'node:fs';

/**
 * Files real Feast 0.66 wrote (copied from shared/feast-fixtures so CI needs only this
 * repo): registry.db and registry.json, Feast's own decoding of it (protobuf JSON with
 * .proto field names), before and after `feast materialize`.
 */
export const REPOS = ['quickstart', 'rich'] as const;
export const FILES = ['registry', 'registry-after-materialize'] as const;
export type Repo = (typeof REPOS)[number];
export type File = (typeof FILES)[number];

const dir = new URL('../fixtures/feast/', import.meta.url);
export const fixtureBytes = (repo: string, file: string): Uint8Array => new Uint8Array(readFileSync(new URL(`${repo}/${file}.db`, dir)));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const fixtureJson = (repo: string, file: string): any => JSON.parse(readFileSync(new URL(`${repo}/${file}.json`, dir), 'utf8'));

/** feast-edge's type for each Feast ValueType name (feast/types.py), the mapping under test. */
export const EXPECTED_TYPE: Record<string, string> = {
  BYTES: 'Bytes',
  STRING: 'String',
  INT32: 'Int32',
  INT64: 'Int64',
  DOUBLE: 'Float64',
  FLOAT: 'Float32',
  BOOL: 'Bool',
  UNIX_TIMESTAMP: 'UnixTimestamp',
  MAP: 'Map',
  JSON: 'Json',
  BYTES_LIST: 'Array(Bytes)',
  STRING_LIST: 'Array(String)',
  INT32_LIST: 'Array(Int32)',
  INT64_LIST: 'Array(Int64)',
  DOUBLE_LIST: 'Array(Float64)',
  FLOAT_LIST: 'Array(Float32)',
  BOOL_LIST: 'Array(Bool)',
  UNIX_TIMESTAMP_LIST: 'Array(UnixTimestamp)',
};

/** Feast's protobuf-JSON duration ("7200s", absent) in seconds. */
export const seconds = (d: string | undefined): number => (d === undefined ? 0 : Number(d.replace(/s$/, '')));
