import type { FeastObject } from './index.js';

/** The kinds of object a definitions module's exports may hold; anything else exported is ignored. */
export const FEAST_OBJECT_KINDS: ReadonlySet<string> = new Set([
  'entity',
  'fileSource',
  'pushSource',
  'requestSource',
  'featureView',
  'onDemandFeatureView',
  'streamFeatureView',
  'featureService',
  'project',
]);

export function isFeastObject(value: unknown): value is FeastObject {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && FEAST_OBJECT_KINDS.has(kind);
}

/**
 * The feast objects of a definitions module (its exports, directly or in arrays), as
 * `feast-edge apply` reads a repo; a list is taken as it is. The first of a kind and name wins.
 */
export function collectDefinitions(definitions: Record<string, unknown> | readonly unknown[]): FeastObject[] {
  const found = new Map<string, FeastObject>();
  const values = Array.isArray(definitions) ? definitions : Object.values(definitions);
  for (const value of values) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!isFeastObject(item)) continue;
      const key = `${item.kind}:${item.name}`;
      if (!found.has(key)) found.set(key, item);
    }
  }
  return [...found.values()];
}
