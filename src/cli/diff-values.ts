import type { FeastObject } from '../definitions/index.js';
import type { RegistryDiff } from '../registry/apply-types.js';
import { expand } from '../registry/diff.js';
import type { RegistryDocument } from '../registry/document.js';
import { canonicalJson, changedFields, collectionOf, toStorable } from '../registry/serialize.js';

/** One changed value of one object: where (a field, or a path into one), its value in the registry and in the definitions. */
export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

const key = (kind: string, name: string) => `${kind}/${name}`;

/**
 * Old and new values of each changed object's fields (Feast's `plan` prints
 * `field: old -> new`): the registry's stored spec against the definitions made storable,
 * as apply compares them.
 */
export async function changedValues(
  before: RegistryDocument | undefined,
  definitions: readonly FeastObject[],
  diff: RegistryDiff,
): Promise<Map<string, FieldChange[]>> {
  const out = new Map<string, FieldChange[]>();
  if (!before || diff.changed.length === 0) return out;
  const wanted = new Set(diff.changed.map((c) => key(c.kind, c.name)));
  const after = new Map<string, object>();
  const project = definitions.find((d) => d.kind === 'project');
  if (project) after.set(key('project', project.name), JSON.parse(JSON.stringify(project)));
  for (const { object } of expand(definitions)) {
    const k = key(object.kind, object.name);
    if (wanted.has(k) && !after.has(k)) after.set(k, await toStorable(object));
  }
  for (const change of diff.changed) {
    const k = key(change.kind, change.name);
    const collection = collectionOf(change.kind);
    const old =
      change.kind === 'project' ? before.project : collection ? (before[collection] as Record<string, { spec: object }>)[change.name]?.spec : undefined;
    const now = after.get(k);
    if (!old || !now) continue;
    const o = old as Record<string, unknown>;
    const n = now as Record<string, unknown>;
    out.set(
      k,
      changedFields(old, now).flatMap((field) => leafChanges(field, o[field], n[field])),
    );
  }
  return out;
}

type Named = { readonly name?: string; readonly viewName?: string };
const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
/** A list item's label: its name (features, entities) or its view (a service's projections). */
const labelOf = (item: unknown): string | undefined => {
  const named = item as Named;
  return isRecord(item) ? (typeof named.name === 'string' ? named.name : typeof named.viewName === 'string' ? named.viewName : undefined) : undefined;
};

/**
 * The smallest changes between two values, each with its path: objects are compared key
 * by key, lists of the same labels item by item (`features[conv_rate].valueType`), so a
 * change deep inside a view reads as one short line instead of two cut-off JSON documents.
 */
function leafChanges(path: string, from: unknown, to: unknown): FieldChange[] {
  if (canonicalJson(from) === canonicalJson(to)) return [];
  if (isRecord(from) && isRecord(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) => leafChanges(`${path}.${k}`, from[k], to[k]));
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length && from.length > 0) {
    const labels = from.map(labelOf);
    const same = labels.every((l, i) => l === labelOf(to[i]));
    if (same && from.every((item) => isRecord(item))) return from.flatMap((item, i) => leafChanges(`${path}[${labels[i] ?? i}]`, item, to[i]));
  }
  return [{ field: path, from, to }];
}

/** One value on one line: JSON, cut at 80 characters. */
function short(value: unknown): string {
  if (value === undefined) return '(none)';
  const json = canonicalJson(value);
  return json.length <= 80 ? json : `${json.slice(0, 77)}...`;
}

/** `old -> new` for one changed value; lists of named things too long for a line show their names. */
export function formatChange(from: unknown, to: unknown): string {
  const names = (value: unknown) =>
    Array.isArray(value) && value.length > 0 && value.every((v) => labelOf(v) !== undefined) ? `[${value.map(labelOf).join(', ')}]` : undefined;
  const long = canonicalJson(from ?? null).length > 80 || canonicalJson(to ?? null).length > 80;
  if (long && names(from) && names(to) && names(from) !== names(to)) return `${names(from)} -> ${names(to)}`;
  return `${short(from)} -> ${short(to)}`;
}
