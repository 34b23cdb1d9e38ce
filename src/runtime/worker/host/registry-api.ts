import { DataSourceObjectNotFoundException, ValueError } from '../../../errors.js';
import type { FileSource } from '../../../definitions/index.js';
import { parseRegistryDocument } from '../../../registry/document-shape.js';
import { assertTransformsMatch } from '../../../registry/transform-check.js';
import { assertSourceInput } from '../../browser/source-input.js';
import type { FeatureStoreWorkerApi } from '../feature-store-api.js';
import type { HostContext } from './context.js';
import type { Opened } from './stores.js';

/** The registry and the sources' data: apply, import a registry.json, read it, register a source's rows. */
export function registryApi({
  definitions,
  current,
}: HostContext): Pick<FeatureStoreWorkerApi, 'apply' | 'importRegistry' | 'registryDocument' | 'registerSource'> {
  const fileSourceNames = async (o: Opened) => {
    const fromRegistry = await o.store.listDataSources().catch(() => []);
    return new Set([...definitions, ...fromRegistry].filter((s): s is FileSource => s.kind === 'fileSource').map((s) => s.name));
  };

  return {
    apply: () => current().store.apply(definitions),

    async importRegistry(document) {
      const o = current();
      const doc = parseRegistryDocument(document);
      if (doc.project.name !== o.project) {
        throw new ValueError(
          `importRegistry: project.name is '${doc.project.name}' but this worker serves project '${o.project}'; open({ project: '${doc.project.name}' }) first`,
        );
      }
      await assertTransformsMatch(doc, definitions);
      const stored = await o.registry.read(o.project);
      const version = stored?.version ?? 0;
      await o.registry.write({ ...doc, version: version + 1, lastUpdatedAt: new Date().toISOString() }, version);
    },

    registryDocument: () => current().store.registryDocument(),

    async registerSource(sourceName, input) {
      const o = current();
      assertSourceInput(input, `registerSource('${sourceName}')`);
      const names = await fileSourceNames(o);
      if (!names.has(sourceName)) {
        const sorted = [...names].sort();
        throw new DataSourceObjectNotFoundException(
          sourceName,
          o.project,
          sorted,
          `registerSource: no file source named '${sourceName}'; file sources: ${sorted.join(', ') || 'none'}`,
        );
      }
      o.sources.register(sourceName, input);
    },
  };
}
