import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DataSourceNotFoundException } from '../../offline/errors.js';
import { urlSourceLoader, type SourceLoader } from '../../offline/source-loader.js';

/** Reads file sources from disk, paths relative to the repo; http(s) URLs are fetched. */
export function nodeSourceLoader(repoPath: string): SourceLoader {
  return {
    async load(engine, view, source, columns) {
      if (/^https?:\/\//i.test(source.path)) return urlSourceLoader.load(engine, view, source, columns);
      const path = isAbsolute(source.path) ? source.path : resolve(repoPath, source.path);
      if (!existsSync(path)) {
        throw new DataSourceNotFoundException(`source '${source.name}': file ${path} does not exist`);
      }
      await engine.registerFile(view, path, source.format, columns);
    },
  };
}
