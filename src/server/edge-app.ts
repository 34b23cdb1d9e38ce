/**
 * What the edge (workerd) and Deno entries share: the feature server over a bundled
 * feature repo, an online store the runtime supplies, and options read from variables.
 * Only web standards here; the entries wire the runtime's KV and server.
 */
import type { Hono } from 'hono';
import { ConfigurationError } from '../errors.js';
import { collectDefinitions } from '../definitions/collect-definitions.js';
import { collectOnDemandTransforms } from '../definitions/on-demand-transform.js';
import { MemoryRegistryStore } from '../registry/memory-store.js';
import type { RegistryDocument } from '../registry/document.js';
import { parseRegistryDocument } from '../registry/document-shape.js';
import { createFeatureServer, type FeatureServerOptions } from './feature-server.js';
import { createFeatureStore } from '../store/feature-store.js';
import type { OnlineStore } from '../online/online-store.js';

/** The variables both entries read (Worker vars and secrets, or Deno's environment). */
export interface EdgeVariables {
  /** The project; default the name of the repo's `project()` export. */
  readonly FEAST_PROJECT?: string;
  /** Bearer token for reads (online features, /registry, /metrics). */
  readonly FEAST_READ_TOKEN?: string;
  /** Bearer token for writes (push, write-to-online-store); it also reads. Set alone, reads stay open. */
  readonly FEAST_WRITE_TOKEN?: string;
  /** Browser origins allowed (CORS): `*` or a comma-separated list. */
  readonly FEAST_CORS_ORIGINS?: string;
  /** Largest request body in bytes; default 1 MiB. */
  readonly FEAST_MAX_BODY_BYTES?: string;
}

/** Server options from variables; an unset or empty variable keeps the default. */
export function serverOptions(vars: EdgeVariables): FeatureServerOptions {
  const origins = vars.FEAST_CORS_ORIGINS?.trim();
  const maxBody = vars.FEAST_MAX_BODY_BYTES?.trim();
  if (maxBody && !/^\d+$/.test(maxBody)) {
    throw new ConfigurationError(`FEAST_MAX_BODY_BYTES: expected a whole number of bytes, got ${JSON.stringify(maxBody)}`);
  }
  return {
    ...(origins
      ? {
          corsOrigins:
            origins === '*'
              ? '*'
              : origins
                  .split(',')
                  .map((o) => o.trim())
                  .filter(Boolean),
        }
      : {}),
    ...(vars.FEAST_READ_TOKEN || vars.FEAST_WRITE_TOKEN
      ? { auth: { readToken: vars.FEAST_READ_TOKEN || undefined, writeToken: vars.FEAST_WRITE_TOKEN || undefined } }
      : {}),
    ...(maxBody ? { maxBodyBytes: Number(maxBody) } : {}),
    // The registry is the bundled repo, fixed for the isolate's life: no reason to re-check it.
    registryTtlSeconds: 3600,
  };
}

/** What an edge entry serves besides its definitions module. */
export interface EdgeAppOptions {
  /**
   * A registry document to serve as it is (for example Feast's registry.db converted at
   * build time): it is the registry, and the definitions module only supplies the code of
   * on-demand and stream transforms. Absent: the definitions are applied.
   */
  readonly registry?: RegistryDocument | null;
}

/** The project a bundled registry serves; FEAST_PROJECT may only repeat it. */
function registryProject(doc: RegistryDocument, vars: EdgeVariables): string {
  const asked = vars.FEAST_PROJECT?.trim();
  if (asked && asked !== doc.project.name) {
    throw new ConfigurationError(
      `FEAST_PROJECT: is '${asked}' but the bundled registry is project '${doc.project.name}'; unset it or set it to '${doc.project.name}'`,
    );
  }
  return doc.project.name;
}

/**
 * The feature server over `onlineStore`, its registry in memory: the repo's definitions
 * applied, or `options.registry` served as it is. Offline work (materialization,
 * historical retrieval) answers an OfflineStoreUnavailableError: it needs DuckDB, which
 * these runtimes do not run.
 */
export async function createEdgeApp(repo: Record<string, unknown>, onlineStore: OnlineStore, vars: EdgeVariables, options: EdgeAppOptions = {}): Promise<Hono> {
  const objects = collectDefinitions(repo);
  // Checked as any registry document: a hand-made one fails here, naming the field.
  const bundled = options.registry ? parseRegistryDocument(options.registry) : undefined;
  const project = bundled ? registryProject(bundled, vars) : vars.FEAST_PROJECT || objects.find((o) => o.kind === 'project')?.name;
  if (!project) {
    throw new ConfigurationError('FEAST_PROJECT: not set, and the definitions module exports no project(); set one of them');
  }
  const registry = new MemoryRegistryStore();
  const store = createFeatureStore({
    // No offline store: offline operations answer OfflineStoreUnavailableError (501).
    project,
    registry,
    definitions: objects,
    // TypeScript stand-ins the module exports for a Feast registry's Python on-demand views.
    onDemandTransforms: collectOnDemandTransforms(repo),
    onlineStore,
  });
  if (bundled) await registry.write({ ...bundled, version: Math.max(bundled.version, 1) }, 0);
  else await store.apply(objects);
  return createFeatureServer(store, serverOptions(vars));
}
