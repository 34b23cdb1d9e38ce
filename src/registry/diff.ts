import { InvalidDefinitionError } from '../errors.js';
import type { FeastObject, Project } from '../definitions/index.js';
import type { RegistryDiff } from './apply-types.js';
import { emptyRegistryDocument, entryOf, setEntry, type RegistryDocument, type Stored, type StoredFeatureView } from './document.js';
import {
  DataSourceObjectNotFoundException,
  EntityNotFoundException,
  FeatureServiceNotFoundException,
  FeatureViewNotFoundException,
  OnDemandFeatureViewNotFoundException,
  StreamFeatureViewNotFoundException,
  type FeastObjectNotFoundException,
} from '../errors.js';
import { canonicalJson, changedFields, collectionOf, KINDS_BY_COLLECTION, toStorable, type Collection, type StorableSpec } from './serialize.js';
import { assertNotInUse, validateApplyObjects, type ApplyItem } from './validate-objects.js';

/** What `delete` names: a definition, or just its kind and name. */
export type DeleteRef = FeastObject | { readonly kind: string; readonly name: string };

export interface PreparedObject extends ApplyItem {
  readonly spec: StorableSpec;
}

/** An apply's objects made storable once, so a retry after a conflict does not redo the hashing. */
export interface PreparedApply {
  /** One per collection and name, each after the sources it embeds. */
  readonly objects: readonly PreparedObject[];
  readonly project?: Project;
  readonly deletes: readonly { readonly kind: string; readonly name: string; readonly collection: Collection }[];
}

type Appliable = Exclude<FeastObject, { kind: 'project' }>;
const VALID_KINDS = ['project', ...Object.values(KINDS_BY_COLLECTION).flat()];

/** Everything an apply registers, sources first: Feast registers a view's sources as data sources too. */
export function expand(objects: readonly FeastObject[]): { object: Appliable; origin: string }[] {
  const out: { object: Appliable; origin: string }[] = [];
  for (const object of objects) {
    if (object.kind === 'project') continue;
    const self = `${object.kind} '${object.name}'`;
    if (object.kind === 'featureView') {
      out.push({ object: object.batchSource, origin: `${self}.batchSource` });
      if (object.streamSource) out.push({ object: object.streamSource, origin: `${self}.source` });
    }
    if (object.kind === 'streamFeatureView') {
      out.push({ object: object.batchSource, origin: `${self}.source.batchSource` });
      out.push({ object: object.source, origin: `${self}.source` });
    }
    if (object.kind === 'pushSource') out.push({ object: object.batchSource, origin: `${self}.batchSource` });
    if (object.kind === 'onDemandFeatureView') {
      for (const r of object.requestSources) out.push({ object: r, origin: `${self}.sources` });
    }
    out.push({ object, origin: self });
  }
  return out;
}

/** Checks the shape of what was passed, makes it storable, and refuses clashing duplicates. */
export async function prepareApply(objects: readonly FeastObject[], deletes: readonly DeleteRef[] = []): Promise<PreparedApply> {
  if (!Array.isArray(objects)) throw new InvalidDefinitionError('apply: expected an array of feast-edge definitions');
  let project: Project | undefined;
  for (const object of objects) {
    const kind = (object as { kind?: unknown } | null)?.kind;
    if (typeof kind !== 'string' || !VALID_KINDS.includes(kind)) {
      throw new InvalidDefinitionError(`apply: expected feast-edge definitions (${VALID_KINDS.join(', ')}), got ${describe(object)}`);
    }
    if (object.kind !== 'project') continue;
    if (project && canonicalJson(project) !== canonicalJson(object)) {
      throw new InvalidDefinitionError(`apply: two different project definitions ('${project.name}' and '${object.name}')`);
    }
    project = JSON.parse(JSON.stringify(object)) as Project;
  }
  const items: PreparedObject[] = [];
  for (const { object, origin } of expand(objects)) {
    const spec = await toStorable(object);
    items.push({ kind: object.kind, name: object.name, collection: collectionOf(object.kind)!, spec, canonical: canonicalJson(spec), origin });
  }
  const refs = deletes.map((ref) => {
    const collection = typeof ref?.kind === 'string' ? collectionOf(ref.kind) : undefined;
    if (!collection || typeof ref.name !== 'string') {
      throw new InvalidDefinitionError(
        `apply: delete expects definitions or { kind, name } with kind one of ${VALID_KINDS.slice(1).join(', ')}; got ${describe(ref)}`,
      );
    }
    return { kind: ref.kind, name: ref.name, collection };
  });
  validateApplyObjects(items, refs);
  const unique = new Map(items.map((i) => [`${i.collection}/${i.name}`, i]));
  return { objects: [...unique.values()], ...(project ? { project } : {}), deletes: refs };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

type Bag = Record<string, Stored<unknown>>;
type Mutable = { -readonly [K in keyof RegistryDocument]: RegistryDocument[K] };

const NOT_FOUND: Record<Collection, new (name: string, project: string, existing: readonly string[]) => FeastObjectNotFoundException> = {
  entities: EntityNotFoundException,
  dataSources: DataSourceObjectNotFoundException,
  featureViews: FeatureViewNotFoundException,
  onDemandFeatureViews: OnDemandFeatureViewNotFoundException,
  streamFeatureViews: StreamFeatureViewNotFoundException,
  featureServices: FeatureServiceNotFoundException,
};

/** Fields that describe a view without changing its data: editing them keeps its materialized intervals. */
const DESCRIPTIVE_FIELDS = new Set(['description', 'tags', 'owner']);

/**
 * The document after a partial apply (omitted objects stay, named deletes go) and the
 * diff from `current`. Pure. An identical object keeps its timestamps; with no change at
 * all, `next` is `current` itself.
 */
export function mergeDocument(
  current: RegistryDocument | undefined,
  project: string,
  prepared: PreparedApply,
  now: string,
): { next: RegistryDocument; diff: RegistryDiff } {
  const diff: RegistryDiff = { added: [], changed: [], removed: [], unchanged: [] };
  const base = current ?? emptyRegistryDocument({ kind: 'project', name: project }, now);
  // Collections are copied shallowly; stored entries are replaced, never edited.
  const next: Mutable = {
    ...base,
    entities: { ...base.entities },
    dataSources: { ...base.dataSources },
    featureViews: { ...base.featureViews },
    onDemandFeatureViews: { ...base.onDemandFeatureViews },
    featureServices: { ...base.featureServices },
    streamFeatureViews: { ...base.streamFeatureViews },
  };
  if (prepared.project) {
    const p = prepared.project;
    if (p.name !== project) throw new InvalidDefinitionError(`apply: project '${p.name}' does not match the registry's project '${project}'`);
    const ref = { kind: 'project', name: p.name };
    if (!current) diff.added.push(ref);
    else if (canonicalJson(current.project) !== canonicalJson(p)) diff.changed.push({ ...ref, fields: changedFields(current.project, p) });
    else diff.unchanged.push(ref);
    next.project = p;
  }

  for (const item of prepared.objects) {
    const bag = next[item.collection] as Bag;
    const existing = entryOf(bag, item.name);
    const ref = { kind: item.kind, name: item.name };
    if (!existing) {
      setEntry<Stored<unknown>>(
        bag,
        item.name,
        item.collection === 'featureViews'
          ? ({ spec: item.spec, createdAt: now, lastUpdatedAt: now, materializationIntervals: [] } as StoredFeatureView)
          : { spec: item.spec, createdAt: now, lastUpdatedAt: now },
      );
      diff.added.push(ref);
    } else if (canonicalJson(existing.spec) !== item.canonical) {
      const fields = changedFields(existing.spec as object, item.spec);
      diff.changed.push({ ...ref, fields });
      // Feast re-materializes a redefined view; only a descriptive edit keeps the history.
      const resetIntervals = item.collection === 'featureViews' && !fields.every((f) => DESCRIPTIVE_FIELDS.has(f));
      setEntry<Stored<unknown>>(bag, item.name, {
        ...existing,
        spec: item.spec,
        lastUpdatedAt: now,
        ...(resetIntervals ? { materializationIntervals: [] } : {}),
      });
    } else {
      diff.unchanged.push(ref);
    }
  }

  const removed: { kind: string; name: string }[] = [];
  for (const d of prepared.deletes) {
    const bag = next[d.collection] as Bag;
    const existing = entryOf(bag, d.name) as Stored<{ kind: string }> | undefined;
    if (!existing) throw new NOT_FOUND[d.collection](d.name, project, Object.keys(bag));
    delete bag[d.name];
    removed.push({ kind: existing.spec.kind, name: d.name });
  }
  // Checked after every delete, so an object and its users can go in one apply.
  for (const r of removed) assertNotInUse(next, r.kind, r.name);
  diff.removed.push(...removed);

  const changed = !current || diff.added.length + diff.changed.length + diff.removed.length > 0;
  return { next: changed ? next : current, diff };
}

/**
 * What applying `objects` and deleting `deletes` would change in `current`, without
 * writing anything. Cross-object validation is the caller's (`validateRegistry`).
 * @example const diff = await planDiff(await store.read('demo'), [driver, driverStats], []);
 */
export async function planDiff(
  current: RegistryDocument | undefined,
  objects: readonly FeastObject[],
  deletes: readonly DeleteRef[] = [],
): Promise<RegistryDiff> {
  const prepared = await prepareApply(objects, deletes);
  const project = current?.project.name ?? prepared.project?.name ?? 'default';
  return mergeDocument(current, project, prepared, new Date().toISOString()).diff;
}
