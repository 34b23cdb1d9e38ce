import { ValueError } from '../../../errors.js';
import { streamViewsOf, type RegistryDocument } from '../../../registry/document.js';
import { parseRegistryDocument } from '../../../registry/document-shape.js';
import { assertTransformsMatch } from '../../../registry/transform-check.js';
import type { FeatureStoreWorkerApi, OpenResult } from '../feature-store-api.js';
import type { HostContext } from './context.js';
import { keptSources } from './kept-sources.js';
import { definitionsFor } from './stores.js';

type RegistryApi = Pick<FeatureStoreWorkerApi, 'apply' | 'restoreDefinitions' | 'importRegistry' | 'importFeastRegistry' | 'registryDocument'>;

/** The registry: apply (or restore) the definitions, import a registry (feast-edge's JSON or Feast's registry.db), read it. */
export function registryApi({ definitions, current, serveProject }: HostContext): RegistryApi {
  /** Replaces the registry of the document's project, serving that project from then on. */
  async function importDocument(doc: RegistryDocument): Promise<OpenResult> {
    // Checked before the worker switches project: a refused document changes nothing.
    await assertTransformsMatch(doc, definitionsFor(definitions, doc.project.name));
    const result = await serveProject(doc.project.name);
    const o = current();
    const stored = await o.registry.read(o.project);
    const version = stored?.version ?? 0;
    await o.registry.write({ ...doc, version: version + 1, lastUpdatedAt: new Date().toISOString() }, version);
    return result;
  }

  return {
    apply: () => current().store.apply(current().definitions),

    importRegistry: (document) => importDocument(parseRegistryDocument(document)),

    async importFeastRegistry(registry, importOptions = {}) {
      const bytes = registry instanceof Blob ? new Uint8Array(await registry.arrayBuffer()) : registry;
      // The protobuf reader loads with the first registry.db: a worker that never imports one never fetches it.
      const { readFeastRegistry } = await import('../../../feast/registry/read-registry.js');
      return importDocument(await readFeastRegistry(bytes, importOptions.project ? { project: importOptions.project } : {}));
    },

    registryDocument: () => current().store.registryDocument(),

    async restoreDefinitions() {
      const o = current();
      if (o.definitions.length === 0) {
        const own = definitions.find((d) => d.kind === 'project')?.name;
        throw new ValueError(
          `restoreDefinitions: project '${o.project}' is not the definitions module's project${own ? ` ('${own}')` : ''}; open() that project first`,
        );
      }
      const stored = await o.registry.read(o.project);
      if (stored) {
        // Rows written while another registry was in place would read as this one's.
        for (const view of [...Object.keys(stored.featureViews), ...Object.keys(streamViewsOf(stored))]) await o.store.onlineStore.deleteView(o.project, view);
        for (const { spec } of Object.values(stored.dataSources)) {
          const batch = spec.kind === 'fileSource' ? spec : spec.kind === 'pushSource' ? spec.batchSource : undefined;
          if (batch) await o.appends.clear(batch);
        }
        await o.store.teardown();
      }
      o.sources.clear();
      await keptSources(o.project).forget();
      return o.store.apply(o.definitions);
    },
  };
}
