import type { FeastObject, OnDemandFeatureView } from '../definitions/index.js';
import type { StoredOnDemandFeatureView } from './document.js';
import { sha256Hex } from './hash.js';

/** The registry collection each kind of object lives in. */
export type Collection = 'entities' | 'dataSources' | 'featureViews' | 'onDemandFeatureViews' | 'featureServices';

export function collectionOf(kind: string): Collection | undefined {
  switch (kind) {
    case 'entity': return 'entities';
    case 'fileSource': case 'pushSource': case 'requestSource': return 'dataSources';
    case 'featureView': return 'featureViews';
    case 'onDemandFeatureView': return 'onDemandFeatureViews';
    case 'featureService': return 'featureServices';
    default: return undefined;
  }
}

/** An object as the registry stores it: plain JSON; on-demand code becomes its text and hash. */
export async function toStorable(object: Exclude<FeastObject, { kind: 'project' }>): Promise<unknown> {
  if (object.kind !== 'onDemandFeatureView') return JSON.parse(JSON.stringify(object));
  const { transform: _rows, transformColumns: _columns, ...rest } = object as OnDemandFeatureView;
  const stored: StoredOnDemandFeatureView = { ...JSON.parse(JSON.stringify(rest)), transformHash: await sha256Hex(object.transformSource) };
  return stored;
}

/** JSON with sorted keys, so equal objects compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

/** Top-level fields whose values differ between two stored specs. */
export function changedFields(before: object, after: object): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => canonicalJson((before as Record<string, unknown>)[k]) !== canonicalJson((after as Record<string, unknown>)[k])).sort();
}
