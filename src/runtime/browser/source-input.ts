import { InvalidSourceInputError } from '../../errors.js';

/** Where a file source's rows come from in a browser. */
export type BrowserSourceInput =
  | { readonly file: Blob; readonly format?: 'parquet' | 'csv' }
  | { readonly bytes: Uint8Array; readonly format: 'parquet' | 'csv' }
  /** Parquet over HTTP read with range requests, only the columns a query needs; CSV fetched whole. */
  | { readonly url: string; readonly format?: 'parquet' | 'csv' }
  /** A file in the origin private file system, by path ('data/driver_stats.parquet'). */
  | { readonly opfsPath: string; readonly format?: 'parquet' | 'csv' };

const FORMATS = ['parquet', 'csv'];

/** Checks a source input from an untyped caller (a page through the worker bridge); the error names the field. */
export function assertSourceInput(input: unknown, where: string): asserts input is BrowserSourceInput {
  const value = input as Record<string, unknown> | null;
  const bad = (field: string, expected: string, got: unknown) =>
    new InvalidSourceInputError(
      `${where}.${field}: expected ${expected}, got ${got === undefined ? 'nothing' : typeof got === 'object' ? Object.prototype.toString.call(got) : JSON.stringify(got)}`,
    );
  if (typeof value !== 'object' || value === null) throw bad('(input)', '{ file } | { bytes, format } | { url } | { opfsPath }', value);
  if (value.format !== undefined && !FORMATS.includes(value.format as string)) throw bad('format', "'parquet' or 'csv'", value.format);
  if ('file' in value) {
    if (!(value.file instanceof Blob)) throw bad('file', 'a File or Blob', value.file);
  } else if ('bytes' in value) {
    if (!(value.bytes instanceof Uint8Array)) throw bad('bytes', 'a Uint8Array', value.bytes);
    if (value.format === undefined) throw bad('format', "'parquet' or 'csv' (bytes carry no file name)", value.format);
  } else if ('url' in value) {
    if (typeof value.url !== 'string' || value.url === '') throw bad('url', 'a URL string', value.url);
  } else if ('opfsPath' in value) {
    if (typeof value.opfsPath !== 'string' || value.opfsPath === '')
      throw bad('opfsPath', "a path in the origin private file system ('data/x.parquet')", value.opfsPath);
  } else {
    throw bad('(input)', 'one of file, bytes, url or opfsPath', Object.keys(value).join(', ') || '{}');
  }
}
