import type { FeastObject } from '../../definitions/index.js';

const KINDS = new Set(['entity', 'fileSource', 'pushSource', 'requestSource', 'featureView', 'onDemandFeatureView', 'streamFeatureView', 'featureService', 'project']);

/**
 * The feast objects of a definitions module (its exports, directly or in arrays), as
 * `feast-edge apply` reads a repo; a list is taken as it is. The first of a kind and name wins.
 */
export function collectDefinitions(definitions: Record<string, unknown> | readonly unknown[]): FeastObject[] {
  const found = new Map<string, FeastObject>();
  const values = Array.isArray(definitions) ? definitions : Object.values(definitions);
  for (const value of values) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const object = item as { kind?: unknown; name?: unknown } | null;
      if (typeof object?.kind !== 'string' || !KINDS.has(object.kind)) continue;
      const key = `${object.kind}:${String(object.name)}`;
      if (!found.has(key)) found.set(key, item as FeastObject);
    }
  }
  return [...found.values()];
}
