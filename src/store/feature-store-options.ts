import type { FeastObject, OnDemandTransform } from '../definitions/index.js';
import type { RegistryStore } from '../registry/registry-store.js';
import type { OnlineStore } from '../online/online-store.js';
import type { OfflineStore } from '../offline/offline-store.js';

export interface FeatureStoreOptions<T extends readonly FeastObject[] = readonly FeastObject[]> {
  project: string;
  registry: RegistryStore;
  /**
   * Training sets, materialization and offline writes (`createDuckDbOfflineStore` from
   * 'feast-edge/offline', or a runtime's default). Without one the store serves online only.
   */
  offlineStore?: OfflineStore;
  /**
   * The loaded definitions: on-demand transforms are code and come from here. Given as a
   * tuple (`[...] as const`), they also type the store: `createFeatureStore` then checks
   * feature references and service names at compile time and types `toDict()`.
   */
  definitions?: T;
  /**
   * TypeScript code for on-demand views whose transform is not TypeScript (Feast's Python
   * views read from registry.db), by view name (`onDemandTransform({ view, transform })`).
   * Without one, a read that needs such a view fails with OnDemandTransformUnavailableError.
   */
  onDemandTransforms?: readonly OnDemandTransform[];
  /** Where the latest feature values are served from; default an in-memory store. */
  onlineStore?: OnlineStore;
  /** Online reads reuse a registry document read at most this long ago (ms); 0 (default) re-reads it each time. */
  registryCacheTtlMs?: number;
}

/** How one online read uses the registry. */
export interface OnlineReadOptions {
  /**
   * Reuse a registry document read at most this long ago (ms) before checking its version
   * again, as a server's registry_ttl_sec; 0 re-reads it. Default the store's registryCacheTtlMs.
   */
  readonly registryMaxAgeMs?: number;
}
