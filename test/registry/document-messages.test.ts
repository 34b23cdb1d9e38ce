import { beforeAll, describe, expect, it } from 'vitest';
import { field, Float64, streamFeatureView } from '../../src/definitions/index.js';
import type { RegistryDocument } from '../../src/registry/document.js';
import { parseRegistryDocument } from '../../src/registry/document-shape.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { Registry } from '../../src/registry/registry.js';
import { driver, livePush, plusX, service, stats } from './fixtures/definitions.js';

// Every message parseRegistryDocument gives for a malformed registry.json, word for word.
type Doc = Record<string, any>;
let valid: RegistryDocument;
const withChange = (change: (doc: Doc) => void): Doc => {
  const doc = structuredClone(valid) as Doc;
  change(doc);
  return doc;
};

beforeAll(async () => {
  const registry = new Registry(new MemoryRegistryStore(), 'proj');
  const trips = streamFeatureView({
    name: 'trips',
    source: livePush,
    entities: [driver],
    schema: [field('fare', Float64)],
    aggregations: [{ column: 'fare', fn: 'sum', window: '1h' }],
    transform: (row) => row,
  });
  await registry.apply([driver, stats, plusX, service, trips]);
  valid = await registry.document();
});

describe('registry document messages name the field, what was expected and what was given', () => {
  it('accepts the document a registry wrote', () => {
    expect(parseRegistryDocument(structuredClone(valid))).toEqual(valid);
  });

  it.each([
    ['an array', [], 'registry document (root): expected a JSON object, got []'],
    ['null', null, 'registry document (root): expected a JSON object, got null'],
  ])('refuses a root that is %s', (_, doc, message) => {
    expect(() => parseRegistryDocument(doc)).toThrow(expect.objectContaining({ name: 'InvalidDefinitionError', message }));
  });

  it.each<[string, (doc: Doc) => void, string]>([
    [
      'another format version',
      (doc) => {
        doc.formatVersion = 2;
      },
      'registry document formatVersion: expected 1, got 2',
    ],
    [
      'no format version',
      (doc) => {
        delete doc.formatVersion;
      },
      'registry document formatVersion: expected 1, got nothing',
    ],
    [
      'a project with an empty name',
      (doc) => {
        doc.project.name = '';
      },
      'registry document project: expected { kind: \'project\', name: <non-empty string> }, got {"kind":"project","name":""}',
    ],
    [
      'a project of another kind',
      (doc) => {
        doc.project = { kind: 'entity', name: 'p' };
      },
      'registry document project: expected { kind: \'project\', name: <non-empty string> }, got {"kind":"entity","name":"p"}',
    ],
    [
      'a negative version',
      (doc) => {
        doc.version = -1;
      },
      'registry document version: expected a non-negative integer, got -1',
    ],
    [
      'a fractional version',
      (doc) => {
        doc.version = 1.5;
      },
      'registry document version: expected a non-negative integer, got 1.5',
    ],
    [
      'an update time that is not a string',
      (doc) => {
        doc.lastUpdatedAt = 5;
      },
      'registry document lastUpdatedAt: expected an ISO 8601 timestamp, got 5',
    ],
    [
      'a collection that is an array',
      (doc) => {
        doc.entities = [];
      },
      'registry document entities: expected an object keyed by name, got []',
    ],
    [
      'a collection that is missing',
      (doc) => {
        delete doc.featureServices;
      },
      'registry document featureServices: expected an object keyed by name, got nothing',
    ],
    [
      'an entry that is not an object',
      (doc) => {
        doc.entities.driver = 'x';
      },
      'registry document entities[\'driver\']: expected an object { spec, createdAt, lastUpdatedAt }, got "x"',
    ],
    [
      'an entry with no spec',
      (doc) => {
        delete doc.entities.driver.spec;
      },
      "registry document entities['driver'].spec: expected an object, got nothing",
    ],
    [
      'an entry filed under another name',
      (doc) => {
        doc.entities.driver.spec.name = 'rider';
      },
      "registry document entities['driver'].spec.name: expected 'driver' (its key), got \"rider\"",
    ],
    [
      "an entry named 'constructor', which valibot's record would skip",
      (doc) => {
        doc.entities.constructor = structuredClone(doc.entities.driver);
      },
      "registry document entities['constructor'].spec.name: expected 'constructor' (its key), got \"driver\"",
    ],
    [
      'a view of another kind',
      (doc) => {
        doc.featureViews.stats.spec.kind = 'view';
      },
      "registry document featureViews['stats'].spec.kind: expected 'featureView', got \"view\"",
    ],
    [
      'a source of an unknown kind',
      (doc) => {
        doc.dataSources.stats_src.spec.kind = 'kafkaSource';
      },
      "registry document dataSources['stats_src'].spec.kind: expected 'fileSource' or 'pushSource' or 'requestSource', got \"kafkaSource\"",
    ],
    [
      'a creation time that is not a timestamp',
      (doc) => {
        doc.entities.driver.createdAt = 'yesterday';
      },
      'registry document entities[\'driver\'].createdAt: expected an ISO 8601 timestamp, got "yesterday"',
    ],
    [
      'no update time',
      (doc) => {
        delete doc.featureServices.svc.lastUpdatedAt;
      },
      "registry document featureServices['svc'].lastUpdatedAt: expected an ISO 8601 timestamp, got nothing",
    ],
    [
      'a view without its intervals',
      (doc) => {
        doc.featureViews.stats.materializationIntervals = {};
      },
      "registry document featureViews['stats'].materializationIntervals: expected an array, got {}",
    ],
    [
      'an on-demand view without its hash',
      (doc) => {
        delete doc.onDemandFeatureViews.plus_x.spec.transformHash;
      },
      "registry document onDemandFeatureViews['plus_x'].spec.transformHash: expected a string, got nothing",
    ],
    [
      'a stream view with a transform but no hash',
      (doc) => {
        doc.streamFeatureViews.trips.spec.transformHash = 7;
      },
      "registry document streamFeatureViews['trips'].spec.transformHash: expected a string (the view has a transform), got 7",
    ],
  ])('refuses %s', (_, change, message) => {
    expect(() => parseRegistryDocument(withChange(change))).toThrow(expect.objectContaining({ name: 'InvalidDefinitionError', message }));
  });

  it('says which check failed on a spec lacking a nested field', () => {
    expect(() =>
      parseRegistryDocument(
        withChange((doc) => {
          delete doc.featureViews.stats.spec.entityColumns;
        }),
      ),
    ).toThrow(
      expect.objectContaining({
        name: 'InvalidDefinitionError',
        message: expect.stringMatching(/^registry document: an object lacks a field the registry needs \(/),
      }),
    );
  });

  it('shows at most 80 characters of what it was given', () => {
    const long = 'x'.repeat(100);
    expect(() =>
      parseRegistryDocument(
        withChange((doc) => {
          doc.lastUpdatedAt = [long];
        }),
      ),
    ).toThrow(`registry document lastUpdatedAt: expected an ISO 8601 timestamp, got ${JSON.stringify([long]).slice(0, 80)}`);
  });

  it('reads a document written before stream views existed', () => {
    expect(() =>
      parseRegistryDocument(
        withChange((doc) => {
          delete doc.streamFeatureViews;
        }),
      ),
    ).not.toThrow();
  });
});
