import type { DataSource, Entity, FeastObject, FeatureService, FeatureView, StreamFeatureView } from '../definitions/index.js';
import type { StoredOnDemandFeatureView, StoredStreamFeatureView } from './document.js';
import { sha256Hex } from './hash.js';

/** The registry collection each kind of applied object lives in. */
export type Collection = 'entities' | 'dataSources' | 'featureViews' | 'onDemandFeatureViews' | 'streamFeatureViews' | 'featureServices';

/** An applied object as the registry stores it: plain JSON data. */
export type StorableSpec = Entity | DataSource | FeatureView | StoredOnDemandFeatureView | StoredStreamFeatureView | FeatureService;

/** The object kinds `apply` (and `delete`) accept, by collection. */
export const KINDS_BY_COLLECTION: Readonly<Record<Collection, readonly string[]>> = {
  entities: ['entity'],
  dataSources: ['fileSource', 'pushSource', 'requestSource'],
  featureViews: ['featureView'],
  onDemandFeatureViews: ['onDemandFeatureView'],
  streamFeatureViews: ['streamFeatureView'],
  featureServices: ['featureService'],
};

export function collectionOf(kind: string): Collection | undefined {
  for (const [collection, kinds] of Object.entries(KINDS_BY_COLLECTION)) {
    if (kinds.includes(kind)) return collection as Collection;
  }
  return undefined;
}

/** SHA-256 (hex) of an on-demand view's transform text: compare it with the stored `transformHash`. */
export function transformHashOf(view: { readonly transformSource: string }): Promise<string> {
  return sha256Hex(view.transformSource);
}

async function storableStreamView(view: StreamFeatureView): Promise<StoredStreamFeatureView> {
  const { transform: _code, ...data } = view;
  const stored: StoredStreamFeatureView = JSON.parse(JSON.stringify(data));
  return view.transformSource === undefined ? stored : { ...stored, transformHash: await transformHashOf({ transformSource: view.transformSource }) };
}

/**
 * An object as the registry stores it: a JSON round trip (drops undefined, unfreezes);
 * on-demand and stream views lose their functions and gain `transformHash`.
 */
export async function toStorable(object: Exclude<FeastObject, { kind: 'project' }>): Promise<StorableSpec> {
  if (object.kind === 'streamFeatureView') return storableStreamView(object);
  if (object.kind !== 'onDemandFeatureView') return JSON.parse(JSON.stringify(object)) as StorableSpec;
  const { transform: _rows, transformColumns: _columns, ...data } = object;
  const stored: StoredOnDemandFeatureView = { ...JSON.parse(JSON.stringify(data)), transformHash: await transformHashOf(object) };
  return stored;
}

/** JSON with sorted keys, so equal objects compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Top-level fields whose values differ between two stored specs, sorted. */
export function changedFields(before: object, after: object): string[] {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys].filter((k) => canonicalJson(b[k]) !== canonicalJson(a[k])).sort();
}
