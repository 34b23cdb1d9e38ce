import * as v from 'valibot';
import { expected, object, record, whole, type Shown } from '../definitions/schema-issue.js';
import { KINDS_BY_COLLECTION } from './serialize.js';

/*
 * The shape of a registry.json (formatVersion 1) as valibot checks it. Only what the
 * registry itself relies on is checked here; what objects reference is checked after,
 * by validateRegistry.
 */

/** Nothing when absent, else JSON cut at 80 characters: a document's values can be long. */
const shown: Shown = (got) => (got === undefined ? 'nothing' : (JSON.stringify(got)?.slice(0, 80) ?? String(got)));
const expect = (what: string) => expected(what, shown);

const ISO = expect('an ISO 8601 timestamp');
const timestamp = v.pipe(
  v.string(ISO),
  v.check((text) => !Number.isNaN(Date.parse(text)), ISO),
);

/** A stored object: its spec (of one of `kinds`) and when it was created and last updated. */
function stored<const S extends v.ObjectEntries = {}, const E extends v.ObjectEntries = {}>(kinds: readonly string[], spec = {} as S, entry = {} as E) {
  return object(
    {
      spec: object(
        {
          kind: v.picklist(kinds, expect(kinds.map((k) => `'${k}'`).join(' or '))),
          // Compared with the entry's key by collection.
          name: v.optional(v.unknown()),
          ...spec,
        },
        expect('an object'),
      ),
      createdAt: timestamp,
      lastUpdatedAt: timestamp,
      ...entry,
    },
    expect('an object { spec, createdAt, lastUpdatedAt }'),
  );
}

/** A collection: objects keyed by name, each filed under its own spec's name. */
function collection(entry: v.GenericSchema<unknown, { spec: { name?: unknown } }>) {
  return v.pipe(
    record(v.string(), entry, expect('an object keyed by name')),
    v.rawCheck<Record<string, { spec: { name?: unknown } }>>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      for (const [name, { spec }] of Object.entries(dataset.value)) {
        if (spec.name === name) continue;
        addIssue({
          input: spec.name,
          message: expect(`'${name}' (its key)`),
          path: [
            { type: 'map', origin: 'value', input: new Map(Object.entries(dataset.value)), key: name, value: dataset.value[name] },
            { type: 'object', origin: 'value', input: dataset.value[name], key: 'spec', value: spec },
            { type: 'object', origin: 'value', input: spec, key: 'name', value: spec.name },
          ],
        });
        return;
      }
    }),
  );
}

/** A stream view with a transform keeps the transform's hash. */
const storedStreamView = v.pipe(
  stored(KINDS_BY_COLLECTION.streamFeatureViews, { transformSource: v.optional(v.unknown()), transformHash: v.optional(v.unknown()) }),
  v.forward(
    v.check(
      ({ spec }) => spec.transformSource === undefined || typeof spec.transformHash === 'string',
      (issue) => `expected a string (the view has a transform), got ${shown((issue.input as { spec: { transformHash?: unknown } }).spec.transformHash)}`,
    ),
    ['spec', 'transformHash'],
  ),
);

const VERSION = expect('a non-negative integer');

/** A feast-edge registry document, formatVersion 1. */
export const registryDocument = object(
  {
    formatVersion: v.literal(1, expect('1')),
    project: whole(v.object({ kind: v.literal('project'), name: v.pipe(v.string(), v.minLength(1)) }), expect("{ kind: 'project', name: <non-empty string> }")),
    version: v.pipe(v.number(VERSION), v.integer(VERSION), v.minValue(0, VERSION)),
    lastUpdatedAt: v.string(ISO),
    entities: collection(stored(KINDS_BY_COLLECTION.entities)),
    dataSources: collection(stored(KINDS_BY_COLLECTION.dataSources)),
    featureViews: collection(stored(KINDS_BY_COLLECTION.featureViews, {}, { materializationIntervals: v.array(v.unknown(), expect('an array')) })),
    onDemandFeatureViews: collection(stored(KINDS_BY_COLLECTION.onDemandFeatureViews, { transformHash: v.string(expect('a string')) })),
    // Documents written before stream views existed lack the collection.
    streamFeatureViews: v.optional(collection(storedStreamView)),
    featureServices: collection(stored(KINDS_BY_COLLECTION.featureServices)),
    savedDatasets: collection(stored(['savedDataset'])),
  },
  expect('a JSON object'),
);
