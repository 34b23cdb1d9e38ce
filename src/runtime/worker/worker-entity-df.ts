import { formatFromPath } from '../../definitions/index.js';
import { InvalidEntityDfError } from '../../errors.js';
import type { EntityDf } from '../../retrieval/types.js';

/** An entity dataframe as a page sends it to the worker: rows, bytes, a File/Blob, a URL, or SQL. */
export type BrowserEntityDf =
  | readonly Record<string, unknown>[]
  | { readonly bytes: Uint8Array; readonly format: 'parquet' | 'csv' }
  | { readonly file: Blob; readonly format?: 'parquet' | 'csv' }
  | { readonly url: string; readonly format?: 'parquet' | 'csv' }
  | { readonly sql: string };

/** The facade's EntityDf for a page's: a File is read into bytes, a relative URL resolves against `baseUrl`. */
export async function toEntityDf(entityDf: BrowserEntityDf, baseUrl: string): Promise<EntityDf> {
  if (Array.isArray(entityDf) || entityDf === null || typeof entityDf !== 'object') return entityDf as EntityDf;
  if ('file' in entityDf) {
    if (!(entityDf.file instanceof Blob)) throw new InvalidEntityDfError('entityDf.file: expected a File or Blob');
    const format = entityDf.format ?? formatFromPath((entityDf.file as File).name ?? '');
    if (!format) throw new InvalidEntityDfError("entityDf.format: the file's name has no .parquet or .csv extension; give format 'parquet' or 'csv'");
    return { bytes: new Uint8Array(await entityDf.file.arrayBuffer()), format };
  }
  if ('url' in entityDf) {
    if (typeof entityDf.url !== 'string') throw new InvalidEntityDfError('entityDf.url: expected a URL string');
    return { path: new URL(entityDf.url, baseUrl).href, ...(entityDf.format ? { format: entityDf.format } : {}) };
  }
  return entityDf as EntityDf;
}
