import { ConfigurationError } from '../../errors.js';
import type { RegistryDocument } from '../../registry/document.js';

// What this file needs of Deno's global, so tsc in Node type-checks it without Deno's types.
declare const Deno: { readFile(path: string): Promise<Uint8Array> };

/**
 * The registry a Deno server serves from a file: a feast-edge registry document (`.json`,
 * e.g. the `registry.json` that `FEAST_EDGE_REGISTRY=... npm run build:edge` writes beside
 * the Worker) is read as it is; anything else is taken as Feast's `registry.db` and
 * converted at startup. The protobuf reader is imported only then, so a server given a
 * `.json` (or no file) never loads it. `project` chooses one of several projects.
 * Not exported from feast-edge/deno: targets/deno.ts uses it.
 */
export async function readRegistryFile(path: string, project?: string): Promise<RegistryDocument> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    throw new ConfigurationError(`--registry: cannot read ${path} (${error instanceof Error ? error.message : String(error)})`);
  }
  if (path.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as RegistryDocument;
    } catch (error) {
      throw new ConfigurationError(`--registry: ${path} is not JSON (${(error as Error).message})`);
    }
  }
  const { readFeastRegistry } = await import('../../feast/registry/read-registry.js');
  return readFeastRegistry(bytes, project ? { project } : {});
}
