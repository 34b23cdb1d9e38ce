import type { FeatureViewProjection } from '../../src/definitions/index.js';
import { streamViewsOf, type RegistryDocument } from '../../src/registry/document.js';

/** The kinds of registry object the app has a page for. */
export type ObjectKind = 'entity' | 'dataSource' | 'featureView' | 'onDemandFeatureView' | 'streamFeatureView' | 'featureService' | 'savedDataset';

export const KIND_LABEL: Readonly<Record<ObjectKind, { one: string; many: string; route: string }>> = {
  entity: { one: 'entity', many: 'Entities', route: 'entity' },
  dataSource: { one: 'data source', many: 'Data sources', route: 'data-source' },
  featureView: { one: 'feature view', many: 'Feature views', route: 'feature-view' },
  onDemandFeatureView: { one: 'on-demand feature view', many: 'On-demand feature views', route: 'on-demand-feature-view' },
  streamFeatureView: { one: 'stream feature view', many: 'Stream feature views', route: 'stream-feature-view' },
  featureService: { one: 'feature service', many: 'Feature services', route: 'feature-service' },
  savedDataset: { one: 'saved dataset', many: 'Saved datasets', route: 'saved-dataset' },
};

export const KINDS = Object.keys(KIND_LABEL) as ObjectKind[];

/** The kind whose route is `route` ('feature-view'), or undefined. */
export const kindOfRoute = (route: string): ObjectKind | undefined => KINDS.find((k) => KIND_LABEL[k].route === route);

export interface ObjectRef {
  readonly kind: ObjectKind;
  readonly name: string;
}

/** What every registry object has for people: its description, owner and tags (Feast's metadata). */
export interface RegistryObject extends ObjectRef {
  readonly description: string;
  readonly owner: string;
  readonly tags: Readonly<Record<string, string>>;
  /** What it is in a word or two: 'file source', 'push source', 'Int64 join key driver_id', ... */
  readonly detail: string;
  /** Feature names (views and services) or field names (request sources), for search. */
  readonly fields: readonly string[];
}

/** An edge of the lineage: `from` feeds `to` (a source feeds a view, a view a service, an entity keys a view). */
export interface Edge {
  readonly from: ObjectRef;
  readonly to: ObjectRef;
}

const meta = (spec: { description?: string; owner?: string; tags?: Readonly<Record<string, string>> }) => ({
  description: spec.description ?? '',
  owner: spec.owner ?? '',
  tags: spec.tags ?? {},
});

/** Every object of the document, kind by kind, each with its metadata. */
export function registryObjects(doc: RegistryDocument): RegistryObject[] {
  const out: RegistryObject[] = [];
  for (const { spec } of Object.values(doc.entities))
    out.push({ kind: 'entity', name: spec.name, ...meta(spec), detail: `join key ${spec.joinKeys[0]}`, fields: [...spec.joinKeys] });
  for (const { spec } of Object.values(doc.dataSources)) {
    const kindName = spec.kind === 'fileSource' ? 'file source' : spec.kind === 'pushSource' ? 'push source' : 'request source';
    const fields = spec.kind === 'requestSource' ? spec.schema.map((f) => f.name) : [];
    out.push({ kind: 'dataSource', name: spec.name, ...meta(spec), detail: kindName, fields });
  }
  for (const { spec } of Object.values(doc.featureViews))
    out.push({ kind: 'featureView', name: spec.name, ...meta(spec), detail: `${spec.features.length} features`, fields: spec.features.map((f) => f.name) });
  for (const { spec } of Object.values(doc.onDemandFeatureViews))
    out.push({
      kind: 'onDemandFeatureView',
      name: spec.name,
      ...meta(spec),
      detail: `${spec.features.length} features`,
      fields: spec.features.map((f) => f.name),
    });
  for (const { spec } of Object.values(streamViewsOf(doc)))
    out.push({
      kind: 'streamFeatureView',
      name: spec.name,
      ...meta(spec),
      detail: `${spec.features.length} features`,
      fields: spec.features.map((f) => f.name),
    });
  for (const { spec } of Object.values(doc.featureServices))
    out.push({
      kind: 'featureService',
      name: spec.name,
      ...meta(spec),
      detail: `${spec.projections.length} views`,
      fields: spec.projections.flatMap((p) => p.features),
    });
  for (const { spec } of Object.values(doc.savedDatasets))
    out.push({
      kind: 'savedDataset',
      name: spec.name,
      description: '',
      owner: '',
      tags: spec.tags ?? {},
      detail: spec.rowCount === undefined ? 'saved dataset' : `${spec.rowCount} rows`,
      fields: [...spec.features],
    });
  return out;
}

/** The lineage of the whole document: entities and sources -> views -> on-demand views -> services -> saved datasets. */
export function lineageEdges(doc: RegistryDocument): Edge[] {
  const edges: Edge[] = [];
  const add = (from: ObjectRef, to: ObjectRef) => {
    if (!edges.some((e) => sameRef(e.from, from) && sameRef(e.to, to))) edges.push({ from, to });
  };
  const source = (name: string): ObjectRef => ({ kind: 'dataSource', name });
  for (const { spec } of Object.values(doc.dataSources)) if (spec.kind === 'pushSource') add(source(spec.batchSource.name), source(spec.name));
  for (const { spec } of Object.values(doc.featureViews)) {
    const view: ObjectRef = { kind: 'featureView', name: spec.name };
    for (const entity of spec.entities) add({ kind: 'entity', name: entity }, view);
    add(source(spec.batchSource.name), view);
    if (spec.streamSource) add(source(spec.streamSource.name), view);
  }
  for (const { spec } of Object.values(streamViewsOf(doc))) {
    const view: ObjectRef = { kind: 'streamFeatureView', name: spec.name };
    for (const entity of spec.entities) add({ kind: 'entity', name: entity }, view);
    add(source(spec.source.name), view);
  }
  for (const { spec } of Object.values(doc.onDemandFeatureViews)) {
    const view: ObjectRef = { kind: 'onDemandFeatureView', name: spec.name };
    for (const p of spec.sources as readonly FeatureViewProjection[]) add({ kind: p.viewKind ?? 'featureView', name: p.viewName }, view);
    for (const r of spec.requestSources) add(source(r.name), view);
  }
  for (const { spec } of Object.values(doc.featureServices))
    for (const p of spec.projections) add({ kind: p.viewKind, name: p.viewName }, { kind: 'featureService', name: spec.name });
  for (const { spec } of Object.values(doc.savedDatasets))
    if (spec.featureServiceName) add({ kind: 'featureService', name: spec.featureServiceName }, { kind: 'savedDataset', name: spec.name });
  return edges;
}

export const sameRef = (a: ObjectRef, b: ObjectRef): boolean => a.kind === b.kind && a.name === b.name;

/** The objects `ref` reads from (`direction: 'up'`) or that read it (`'down'`), one step. */
export function neighbours(edges: readonly Edge[], ref: ObjectRef, direction: 'up' | 'down'): ObjectRef[] {
  return direction === 'up' ? edges.filter((e) => sameRef(e.to, ref)).map((e) => e.from) : edges.filter((e) => sameRef(e.from, ref)).map((e) => e.to);
}

/** The edges on some path through `ref`: everything it depends on and everything that depends on it. */
export function lineageThrough(edges: readonly Edge[], ref: ObjectRef): Edge[] {
  const keep = new Set<Edge>();
  for (const direction of ['up', 'down'] as const) {
    const seen: ObjectRef[] = [ref];
    const queue: ObjectRef[] = [ref];
    while (queue.length > 0) {
      const at = queue.shift()!;
      for (const edge of edges) {
        const [here, next] = direction === 'up' ? [edge.to, edge.from] : [edge.from, edge.to];
        if (!sameRef(here, at)) continue;
        keep.add(edge);
        if (!seen.some((s) => sameRef(s, next))) {
          seen.push(next);
          queue.push(next);
        }
      }
    }
  }
  return edges.filter((e) => keep.has(e));
}

/**
 * The objects a search matches. Words are ANDed; each matches a name, description, owner,
 * detail, feature or field name, or a tag written `key:value` or `key=value` (a bare word
 * matches a tag key or value too). Case-insensitive; an empty query matches everything.
 */
export function searchObjects(objects: readonly RegistryObject[], query: string): RegistryObject[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...objects];
  return objects.filter((o) => {
    const tags = Object.entries(o.tags).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()] as const);
    const text = [o.name, o.description, o.owner, o.detail, ...o.fields].map((t) => t.toLowerCase());
    return words.every((word) => {
      const pair = /^([^:=]+)[:=](.*)$/.exec(word);
      if (pair) return tags.some(([k, v]) => k === pair[1] && v.includes(pair[2]));
      return text.some((t) => t.includes(word)) || tags.some(([k, v]) => k.includes(word) || v.includes(word));
    });
  });
}
