import { DataSourceObjectNotFoundException } from '../../../errors.js';
import { formatFromPath, type FileSource } from '../../../definitions/index.js';
import { assertSourceInput } from '../../browser/source-input.js';
import type { FeatureStoreWorkerApi } from '../feature-store-api.js';
import type { HostContext } from './context.js';
import { keptSources } from './kept-sources.js';
import type { Opened } from './stores.js';

/** The file sources a project reads: its definitions' and its registry's. */
async function fileSources(o: Opened): Promise<Map<string, FileSource>> {
  const fromRegistry = await o.store.listDataSources().catch(() => []);
  return new Map([...o.definitions, ...fromRegistry].filter((s): s is FileSource => s.kind === 'fileSource').map((s) => [s.name, s]));
}

/** The data behind file sources: a page's picked files, URLs or OPFS paths, registered for this visit or kept across reloads. */
export function sourcesApi({ current }: HostContext): Pick<FeatureStoreWorkerApi, 'registerSource' | 'keptSources' | 'forgetSources'> {
  return {
    async registerSource(sourceName, input, options = {}) {
      const o = current();
      assertSourceInput(input, `registerSource('${sourceName}')`);
      const sources = await fileSources(o);
      const source = sources.get(sourceName);
      if (!source) {
        const sorted = [...sources.keys()].sort();
        throw new DataSourceObjectNotFoundException(
          sourceName,
          o.project,
          sorted,
          `registerSource: no file source named '${sourceName}'; file sources: ${sorted.join(', ') || 'none'}`,
        );
      }
      o.sources.register(sourceName, input);
      if (!options.keep) return undefined;
      const named = 'file' in input && input.file instanceof File ? input.file.name : 'url' in input ? input.url : 'opfsPath' in input ? input.opfsPath : '';
      const format = input.format ?? (named ? formatFromPath(named) : undefined) ?? source.format;
      return keptSources(o.project).keep(sourceName, input, format === 'csv' ? 'csv' : 'parquet');
    },

    keptSources: () => keptSources(current().project).list(),

    async forgetSources() {
      const o = current();
      o.sources.clear();
      await keptSources(o.project).forget();
    },
  };
}
