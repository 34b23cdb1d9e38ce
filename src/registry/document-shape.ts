import { InvalidDefinitionError } from '../errors.js';
import type { RegistryDocument } from './document.js';
import { KINDS_BY_COLLECTION } from './serialize.js';
import { validateRegistry } from './validate-objects.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(field: string, expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80) ?? String(got);
  throw new InvalidDefinitionError(`registry document ${field}: expected ${expected}, got ${shown}`);
}

function checkStored(collection: string, name: string, entry: unknown, kinds: readonly string[]): void {
  const where = `${collection}['${name}']`;
  if (!isObject(entry)) fail(where, 'an object { spec, createdAt, lastUpdatedAt }', entry);
  if (!isObject(entry.spec)) fail(`${where}.spec`, 'an object', entry.spec);
  if (entry.spec.name !== name) fail(`${where}.spec.name`, `'${name}' (its key)`, entry.spec.name);
  if (!kinds.includes(entry.spec.kind as string)) fail(`${where}.spec.kind`, kinds.map((k) => `'${k}'`).join(' or '), entry.spec.kind);
  for (const time of ['createdAt', 'lastUpdatedAt'] as const) {
    if (typeof entry[time] !== 'string' || Number.isNaN(Date.parse(entry[time] as string))) fail(`${where}.${time}`, 'an ISO 8601 timestamp', entry[time]);
  }
}

/**
 * Checks that a parsed registry.json is a feast-edge registry document (formatVersion 1)
 * and that its objects reference each other consistently; the error names the field.
 * @example const doc = parseRegistryDocument(JSON.parse(await file.text()));
 */
export function parseRegistryDocument(value: unknown): RegistryDocument {
  if (!isObject(value)) fail('(root)', 'a JSON object', value);
  if (value.formatVersion !== 1) fail('formatVersion', '1', value.formatVersion);
  if (!isObject(value.project) || value.project.kind !== 'project' || typeof value.project.name !== 'string' || value.project.name === '') {
    fail('project', "{ kind: 'project', name: <non-empty string> }", value.project);
  }
  if (!Number.isInteger(value.version) || (value.version as number) < 0) fail('version', 'a non-negative integer', value.version);
  if (typeof value.lastUpdatedAt !== 'string') fail('lastUpdatedAt', 'an ISO 8601 timestamp', value.lastUpdatedAt);
  const collections: Record<string, readonly string[]> = { ...KINDS_BY_COLLECTION, savedDatasets: ['savedDataset'] };
  for (const [collection, kinds] of Object.entries(collections)) {
    const entries = value[collection];
    // Documents written before stream views existed lack the collection.
    if (entries === undefined && collection === 'streamFeatureViews') continue;
    if (!isObject(entries)) fail(collection, 'an object keyed by name', entries);
    for (const [name, entry] of Object.entries(entries)) checkStored(collection, name, entry, kinds);
  }
  for (const [name, entry] of Object.entries(value.featureViews as Record<string, Record<string, unknown>>)) {
    if (!Array.isArray(entry.materializationIntervals)) fail(`featureViews['${name}'].materializationIntervals`, 'an array', entry.materializationIntervals);
  }
  for (const [name, entry] of Object.entries(value.onDemandFeatureViews as Record<string, { spec: Record<string, unknown> }>)) {
    if (typeof entry.spec.transformHash !== 'string') fail(`onDemandFeatureViews['${name}'].spec.transformHash`, 'a string', entry.spec.transformHash);
  }
  for (const [name, entry] of Object.entries((value.streamFeatureViews ?? {}) as Record<string, { spec: Record<string, unknown> }>)) {
    if (entry.spec.transformSource !== undefined && typeof entry.spec.transformHash !== 'string') {
      fail(`streamFeatureViews['${name}'].spec.transformHash`, 'a string (the view has a transform)', entry.spec.transformHash);
    }
  }
  const doc = value as unknown as RegistryDocument;
  try {
    validateRegistry(doc);
  } catch (error) {
    // A spec missing a nested field fails inside the reference checks as a TypeError.
    if (error instanceof TypeError) throw new InvalidDefinitionError(`registry document: an object lacks a field the registry needs (${error.message})`);
    throw error;
  }
  return doc;
}
