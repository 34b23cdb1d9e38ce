import type { FileSource } from '../definitions/index.js';
import { DataSourceNotFoundException } from '../errors.js';
import type { SqlEngine } from './sql-engine.js';

/** One appended part of a source: a Parquet file the engine reads by path, or its bytes. */
export type OfflinePart = { readonly path: string } | { readonly bytes: Uint8Array };

/**
 * Makes a file source's rows queryable as an engine view. Runtimes differ in what a
 * path means (a repo-relative file in Node, a URL or OPFS file in a browser).
 */
export interface SourceLoader {
  load(engine: SqlEngine, viewName: string, source: FileSource, columns?: readonly string[]): Promise<void>;
  /** Parts appended to the source since it was written (offline pushes), read with it. */
  parts?(source: FileSource): Promise<OfflinePart[]>;
}

/** The portable default: http(s) URLs are fetched; anything else must be registered as data. */
export const urlSourceLoader: SourceLoader = {
  async load(engine, viewName, source, columns) {
    if (!/^https?:\/\//i.test(source.path)) {
      throw new DataSourceNotFoundException(
        `source '${source.name}': cannot read path '${source.path}' in this runtime; register its data with registerSourceData('${source.name}', ...) or use an http(s) URL`,
      );
    }
    const response = await fetch(source.path);
    if (!response.ok) {
      throw new DataSourceNotFoundException(`source '${source.name}': GET ${source.path} answered ${response.status}`);
    }
    await engine.registerBytes(viewName, new Uint8Array(await response.arrayBuffer()), source.format, columns);
  },
};
