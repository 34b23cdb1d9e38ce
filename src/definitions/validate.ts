import * as v from 'valibot';
import { InvalidDefinitionError } from '../errors.js';
import { asJson, expected, issueMessage, record, whole } from './schema-issue.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_\-.]*$/;
const NAME_EXPECTED = expected("a name of letters, digits, '_', '-' or '.', starting with a letter or '_'");

/** Names become SQL identifiers, keys and URLs: keep them to a safe alphabet. */
export const safeName = v.pipe(v.string(NAME_EXPECTED), v.regex(NAME, NAME_EXPECTED));

/** Throws InvalidDefinitionError naming `root` and the field unless `value` fits `schema`. */
export function check(schema: v.GenericSchema, value: unknown, root: string): void {
  const result = v.safeParse(schema, value);
  if (!result.success) throw new InvalidDefinitionError(issueMessage(result.issues, root));
}

/**
 * Checks a definition's spec; the error names the object (`featureView 'v'`, or just
 * `featureView` when the name is what is wrong) and the field.
 */
export function checkSpec(schema: v.GenericSchema, spec: unknown, kind: string): void {
  const input = typeof spec === 'object' && spec !== null ? (spec as { name?: unknown }) : {};
  const result = v.safeParse(schema, input);
  if (result.success) return;
  const root = result.issues[0].path?.[0]?.key === 'name' ? kind : `${kind} '${String(input.name)}'`;
  throw new InvalidDefinitionError(issueMessage(result.issues, root));
}

/** A definition's kind when it has one, else the value itself: how a message shows a wrong definition. */
export const kindOrValue = (input: unknown): string => asJson((input as { kind?: unknown } | null)?.kind ?? input);

/** Throws naming `where` unless `value` is a safe name. */
export function assertName(value: unknown, where: string): asserts value is string {
  check(safeName, value, where);
}

export function assertUnique(names: readonly string[], where: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new InvalidDefinitionError(`${where}: duplicate name '${name}'`);
    seen.add(name);
  }
}

/** Common descriptive metadata every Feast object has. */
export interface Metadata {
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly owner?: string;
}

const optionalString = v.optional(v.string(expected('a string')));
const TAGS = expected('an object of string tags');

/** The metadata fields of every spec schema. */
export const metadataEntries = {
  description: optionalString,
  owner: optionalString,
  tags: v.optional(whole(record(v.string(), v.string(), TAGS), TAGS)),
};

/** The metadata of a checked spec, copied. */
export function metadata(spec: Metadata): Metadata {
  const out: { description?: string; tags?: Record<string, string>; owner?: string } = {};
  if (spec.description !== undefined) out.description = spec.description;
  if (spec.tags !== undefined) out.tags = { ...spec.tags };
  if (spec.owner !== undefined) out.owner = spec.owner;
  return out;
}

/** Deep-freezes plain data so a definition cannot change after it was validated. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
