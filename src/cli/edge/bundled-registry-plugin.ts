import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';
import { readFeastRegistry } from '../../feast/registry/read-registry.js';
import { parseRegistryDocument } from '../../registry/document-shape.js';
import type { RegistryDocument } from '../../registry/document.js';

export const REGISTRY_MODULE = 'feast-edge-registry';
const RESOLVED_REGISTRY = `\0${REGISTRY_MODULE}`;

export interface BundledRegistryOptions {
  /** Feast's registry.db, or a feast-edge registry document (.json); absent: the module is `null`. */
  readonly path?: string;
  /** The project to read from a registry.db holding several. */
  readonly project?: string;
}

/**
 * The registry document a Worker serves, read at build time: Feast's registry.db decoded
 * here, in Node, so the bundle holds the document as JSON and none of the protobuf code.
 * Fields the edge never reads are left out: what feast-edge does not model of Feast's
 * objects (kept in a document only to write a registry.db back) and the registry's other
 * projects and infra (which name paths of the machine that ran `feast apply`).
 */
export async function edgeRegistryDocument(path: string, project?: string): Promise<RegistryDocument> {
  const bytes = await readFile(path);
  const doc = path.toLowerCase().endsWith('.json')
    ? parseRegistryDocument(JSON.parse(bytes.toString('utf8')))
    : await readFeastRegistry(bytes, project ? { project } : {});
  const { feast: _carried, ...served } = doc;
  return JSON.parse(JSON.stringify(served, (key, value) => (key === 'feastUnmodeled' ? undefined : value))) as RegistryDocument;
}

/**
 * `import registry from 'feast-edge-registry'`: the document (see edgeRegistryDocument),
 * or `null` when the build serves its definitions instead. The document is also written
 * beside the bundle as `registry.json`, for a Deno server (`--registry`) or a look at what
 * the Worker serves.
 */
export function bundledRegistry(options: BundledRegistryOptions): Plugin {
  let source = 'export default null;\n';
  let json: string | undefined;
  return {
    name: 'feast-edge:bundled-registry',
    enforce: 'pre',
    async buildStart() {
      if (!options.path) return;
      json = JSON.stringify(await edgeRegistryDocument(options.path, options.project));
      this.addWatchFile(options.path);
      // JSON.parse of one string literal: smaller than an object literal, and parsed faster at cold start.
      source = `export default JSON.parse(${JSON.stringify(json)});\n`;
    },
    resolveId(id) {
      return id === REGISTRY_MODULE ? RESOLVED_REGISTRY : null;
    },
    load(id) {
      return id === RESOLVED_REGISTRY ? source : null;
    },
    generateBundle() {
      if (json !== undefined) this.emitFile({ type: 'asset', fileName: 'registry.json', source: json });
    },
  };
}
