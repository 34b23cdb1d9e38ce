import { DataSourceObjectNotFoundException } from '../../../errors.js';
import type { FileSource } from '../../../definitions/index.js';
import type { RegistryDocument } from '../../../registry/document.js';
import { parseRegistryDocument } from '../../../registry/document-shape.js';
import { assertTransformsMatch } from '../../../registry/transform-check.js';
import { assertSourceInput } from '../../browser/source-input.js';
import type { FeatureStoreWorkerApi, OpenResult } from '../feature-store-api.js';
import type { HostContext } from './context.js';
import { definitionsFor, type Opened } from './stores.js';

type RegistryApi = Pick<FeatureStoreWorkerApi, 'apply' | 'importRegistry' | 'importFeastRegistry' | 'registryDocument' | 'registerSource'>;

/** The registry and the sources' data: apply, import a registry (feast-edge's JSON or Feast's registry.db), read it, register a source's rows. */
export function registryApi({ definitions, current, serveProject }: HostContext): RegistryApi {
  const fileSourceNames = async (o: Opened) => {
    const fromRegistry = await o.store.listDataSources().catch(() => []);
    return new Set([...o.definitions, ...fromRegistry].filter((s): s is FileSource => s.kind === 'fileSource').map((s) => s.name));
  };

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
