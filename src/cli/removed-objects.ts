import type { FeastObject } from '../definitions/index.js';
import { expand } from '../registry/diff.js';
import type { FeatureStore } from '../store/feature-store.js';

/** Collections the repo's modules define; saved datasets are made by retrievals and stay. */
const DEFINED = ['entities', 'dataSources', 'featureViews', 'onDemandFeatureViews', 'streamFeatureViews', 'featureServices'] as const;

/**
 * Registry objects the repo no longer defines. Feast's `feast apply` makes the registry
 * match the repo (it deletes what was removed from the code), while the SDK's `apply`
 * is partial; the CLI passes these as `delete` to get Feast's CLI behaviour.
 */
export async function removedObjects(store: FeatureStore, definitions: readonly FeastObject[]): Promise<{ kind: string; name: string }[]> {
  if ((await store.registry.version()) === 0) return [];
  const document = await store.registryDocument();
  // A view's sources count as defined even when the module does not export them: apply registers them with it.
  const defined = new Set(expand(definitions).map(({ object }) => `${object.kind}:${object.name}`));
  return DEFINED.flatMap((collection) => Object.values(document[collection] ?? {}).map((stored) => stored.spec))
    .filter((spec) => !defined.has(`${spec.kind}:${spec.name}`))
    .map((spec) => ({ kind: spec.kind, name: spec.name }));
}
