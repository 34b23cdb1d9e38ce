import { InvalidDefinitionError } from '../definitions/errors.js';
import type { FeastObject, Project } from '../definitions/index.js';
import type { RegistryDocument, Stored } from './document.js';
import { emptyRegistryDocument } from './document.js';
import { canonicalJson, changedFields, collectionOf, toStorable, type Collection } from './serialize.js';
import { assertNotInUse, validateDocument } from './validate-objects.js';
import type { RegistryDiff } from '../store/types.js';

export type DeleteRef = FeastObject | { kind: string; name: string };

/** The document as a bag of collections while it is being rebuilt. */
type Mutable = { -readonly [K in keyof RegistryDocument]: RegistryDocument[K] };
const bag = (doc: Mutable, c: Collection) => doc[c] as unknown as Record<string, Stored<unknown>>;

/** Expands objects into everything `apply` registers: a view's sources are data sources too. */
function expand(objects: readonly FeastObject[]): FeastObject[] {
  const out: FeastObject[] = [];
  for (const o of objects) {
    out.push(o);
    if (o.kind === 'featureView') {
      out.push(o.batchSource);
      if (o.streamSource) out.push(o.streamSource);
    }
    if (o.kind === 'pushSource') out.push(o.batchSource);
    if (o.kind === 'onDemandFeatureView') out.push(...o.requestSources);
  }
  return out;
}

/**
 * Computes the document after applying `objects` and deleting `deletes` (Feast's partial
 * apply), and the diff against `current`. Pure: writes nothing.
 */
export async function mergeObjects(
  current: RegistryDocument | undefined, project: string, objects: readonly FeastObject[],
  deletes: readonly DeleteRef[], now: string,
): Promise<{ next: RegistryDocument; diff: RegistryDiff }> {
  const base = current ?? emptyRegistryDocument({ kind: 'project', name: project }, now);
  const next = structuredClone(base) as Mutable;
  const diff: RegistryDiff = { added: [], changed: [], removed: [], unchanged: [] };
  const seen = new Map<string, string>();

  for (const object of expand(objects)) {
    if (!object || typeof object !== 'object' || typeof (object as { kind?: unknown }).kind !== 'string') {
      throw new InvalidDefinitionError(`apply: expected feast-edge definitions, got ${JSON.stringify(object)}`);
    }
    if (object.kind === 'project') {
      applyProject(next, object, project, diff);
      continue;
    }
    const collection = collectionOf(object.kind);
    if (!collection) throw new InvalidDefinitionError(`apply: unknown object kind '${object.kind}'`);
    const spec = await toStorable(object);
    const key = `${collection}/${object.name}`;
    const text = canonicalJson(spec);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      if (earlier !== text) throw new InvalidDefinitionError(`apply: two different ${object.kind} definitions are named '${object.name}'`);
      continue;
    }
    seen.set(key, text);
    const existing = bag(next, collection)[object.name];
    const ref = { kind: object.kind, name: object.name };
    if (!existing) {
      bag(next, collection)[object.name] = stored(spec, now, now, collection);
      diff.added.push(ref);
    } else if (canonicalJson(existing.spec) !== text) {
      diff.changed.push({ ...ref, fields: changedFields(existing.spec as object, spec as object) });
      bag(next, collection)[object.name] = { ...existing, spec, lastUpdatedAt: now };
    } else {
      diff.unchanged.push(ref);
    }
  }

  for (const ref of deletes) {
    const collection = collectionOf(ref.kind);
    if (!collection || !bag(next, collection)[ref.name]) continue;
    delete bag(next, collection)[ref.name];
    assertNotInUse(next, ref.kind, ref.name);
    diff.removed.push({ kind: ref.kind, name: ref.name });
  }
  validateDocument(next);
  return { next, diff };
}

function stored(spec: unknown, createdAt: string, lastUpdatedAt: string, collection: Collection): Stored<unknown> {
  return collection === 'featureViews'
    ? { spec, createdAt, lastUpdatedAt, materializationIntervals: [] } as Stored<unknown>
    : { spec, createdAt, lastUpdatedAt };
}

function applyProject(next: Mutable, object: Project, project: string, diff: RegistryDiff): void {
  if (object.name !== project) {
    throw new InvalidDefinitionError(`apply: project '${object.name}' does not match the store's project '${project}'`);
  }
  const ref = { kind: 'project', name: object.name };
  if (canonicalJson(next.project) === canonicalJson(object)) diff.unchanged.push(ref);
  else diff.changed.push({ ...ref, fields: changedFields(next.project, object) });
  next.project = JSON.parse(JSON.stringify(object));
}
