import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileSource } from '../../definitions/index.js';
import { DataSourceNotFoundException } from '../../errors.js';
import { urlSourceLoader, type SourceLoader } from '../../sql/source-loader.js';

/**
 * Reads file sources in Node: a path relative to the repo (as Feast resolves them), an
 * absolute path or file:// URL, or an http(s) URL fetched once per retrieval.
 * @example createFeatureStore({ ..., sources: nodeSourceLoader('feature_repo') })
 */
export function nodeSourceLoader(repoPath: string): SourceLoader {
  return {
    async load(engine, view, source, columns) {
      if (/^https?:\/\//i.test(source.path)) return urlSourceLoader.load(engine, view, source, columns);
      const path = localSourcePath(repoPath, source);
      if (!existsSync(path)) {
        throw new DataSourceNotFoundException(`source '${source.name}': file ${path} does not exist`);
      }
      // The engine reads the file itself (native DuckDB) or through its Parquet codec (WASM).
      await engine.registerFile(view, path, source.format, columns);
    },
  };
}

/** A local source's file: repo-relative (as Feast resolves them), absolute, or a file:// URL. */
export function localSourcePath(repoPath: string, source: FileSource): string {
  if (/^file:\/\//i.test(source.path)) return fileURLToPath(source.path);
  return isAbsolute(source.path) ? source.path : resolve(repoPath, source.path);
}
