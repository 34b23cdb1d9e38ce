import { InvalidDefinitionError } from '../errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_\-.]*$/;

/** Names become SQL identifiers, keys and URLs: keep them to a safe alphabet. */
export function assertName(value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new InvalidDefinitionError(
      `${where}: expected a name of letters, digits, '_', '-' or '.', starting with a letter or '_', got ${JSON.stringify(value)}`,
    );
  }
}

export function assertOptionalString(value: unknown, where: string): asserts value is string | undefined {
  if (value !== undefined && typeof value !== 'string') {
    throw new InvalidDefinitionError(`${where}: expected a string, got ${JSON.stringify(value)}`);
  }
}

export function assertTags(value: unknown, where: string): asserts value is Record<string, string> | undefined {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value) ||
      Object.values(value).some((v) => typeof v !== 'string')) {
    throw new InvalidDefinitionError(`${where}: expected an object of string tags, got ${JSON.stringify(value)}`);
  }
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

export function metadata(spec: Metadata, where: string): Metadata {
  assertOptionalString(spec.description, `${where}.description`);
  assertOptionalString(spec.owner, `${where}.owner`);
  assertTags(spec.tags, `${where}.tags`);
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
