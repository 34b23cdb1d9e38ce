import { describe, expect, it } from 'vitest';
import {
  Array as ArrayOf,
  entity,
  featureService,
  featureView,
  field,
  fileSource,
  Float64,
  Int64,
  onDemandFeatureView,
  project,
  projection,
  pushSource,
  requestSource,
  streamFeatureView,
} from '../../src/definitions/index.js';

// Every message a definition constructor gives for a malformed spec, word for word: the
// checks are valibot schemas now, and these are the texts they had as hand-written checks.
const NAME = "expected a name of letters, digits, '_', '-' or '.', starting with a letter or '_'";
const TYPES = 'expected one of Int32, Int64, Float32, Float64, String, Bool, Bytes, UnixTimestamp, Map, Json, Struct({...}) or Array(T)';

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const src = fileSource({ name: 'src', path: 'data/x.parquet' });
const push = pushSource({ name: 'push', batchSource: src });
const req = requestSource({ name: 'req', schema: [field('x', Int64)] });
const view = featureView({ name: 'v', entities: [driver], source: src, schema: [field('a', Float64)] });
const spec = (extra: object) => ({ name: 'v', entities: [driver], source: src, schema: [field('a', Float64)], ...extra }) as never;
const stream = (extra: object) =>
  ({
    name: 's',
    source: push,
    entities: [driver],
    schema: [field('a', Float64)],
    aggregations: [{ column: 'a', fn: 'sum', window: '1h' }],
    ...extra,
  }) as never;
const odfv = (extra: object) => ({ name: 'o', sources: [view], schema: [field('y', Float64)], transform: () => ({}), ...extra }) as never;

const cases: [string, () => unknown, string][] = [
  ['a name that is not one', () => entity({ name: 'bad name' }), `entity.name: ${NAME}, got "bad name"`],
  ['no spec at all', () => entity(undefined as never), `entity.name: ${NAME}, got undefined`],

  [
    'two join keys',
    // @ts-expect-error two join keys do not compile (typed references); the run-time check is for JavaScript callers
    () => entity({ name: 'e', joinKeys: ['a', 'b'] }),
    'entity \'e\'.joinKeys: expected exactly one join key (compose keys by giving a view several entities), got ["a","b"]',
  ],
  [
    'join keys as a string',
    () => entity({ name: 'e', joinKeys: 'a' as never }),
    'entity \'e\'.joinKeys: expected exactly one join key (compose keys by giving a view several entities), got "a"',
  ],
  ['a join key that is not a name', () => entity({ name: 'e', joinKeys: ['1a'] }), `entity 'e'.joinKeys[0]: ${NAME}, got "1a"`],
  [
    'an unknown value type',
    () => entity({ name: 'e', valueType: { kind: 'Decimal' } as never }),
    `entity 'e'.valueType: unknown value type {"kind":"Decimal"}; ${TYPES}`,
  ],
  ['an Array join key', () => entity({ name: 'e', valueType: ArrayOf(Int64) as never }), "entity 'e'.valueType: a join key must be a scalar type, got Array"],
  ['a description that is not a string', () => entity({ name: 'e', description: 5 as never }), "entity 'e'.description: expected a string, got 5"],
  ['an owner of null', () => entity({ name: 'e', owner: null as never }), "entity 'e'.owner: expected a string, got null"],
  [
    'a tag that is not a string',
    () => entity({ name: 'e', tags: { team: 1 } as never }),
    'entity \'e\'.tags: expected an object of string tags, got {"team":1}',
  ],
  ['tags as an array', () => entity({ name: 'e', tags: ['x'] as never }), 'entity \'e\'.tags: expected an object of string tags, got ["x"]'],

  ['a field name that is not one', () => field('1a', Int64), `field.name: ${NAME}, got "1a"`],
  ['an unknown field type', () => field('a', { kind: 'Decimal' } as never), `field 'a'.dtype: unknown value type {"kind":"Decimal"}; ${TYPES}`],
  [
    'an unknown Array element type',
    () => field('a', { kind: 'Array', of: { kind: 'Decimal' } } as never),
    `field 'a'.dtype (Array element): unknown value type {"kind":"Decimal"}; ${TYPES}`,
  ],
  ['field metadata', () => field('a', Int64, { owner: 3 as never }), "field 'a'.owner: expected a string, got 3"],
  ['an Array of an unknown type', () => ArrayOf({ kind: 'Decimal' } as never), `Array element type: unknown value type {"kind":"Decimal"}; ${TYPES}`],

  ['an empty path', () => fileSource({ name: 's', path: '' }), 'fileSource \'s\'.path: expected a file path or URL, got ""'],
  ['no path', () => fileSource({ name: 's' } as never), "fileSource 's'.path: expected a file path or URL, got undefined"],
  [
    'a format that is not one',
    () => fileSource({ name: 's', path: 'x.parquet', format: 'json' as never }),
    "fileSource 's'.format: expected 'parquet' or 'csv', got \"json\"",
  ],
  [
    'a path with no known extension',
    () => fileSource({ name: 's', path: 'data/x.json' }),
    "fileSource 's'.format: cannot infer the format of 'data/x.json'; set format: 'parquet' or 'csv'",
  ],
  [
    'a timestamp field that is not a name',
    () => fileSource({ name: 's', path: 'x.csv', timestampField: 'event time' }),
    `fileSource 's'.timestampField: ${NAME}, got "event time"`,
  ],
  [
    'a created column that is not a string',
    () => fileSource({ name: 's', path: 'x.csv', createdTimestampColumn: 5 as never }),
    "fileSource 's'.createdTimestampColumn: expected a string, got 5",
  ],
  [
    'a created column that is not a name',
    () => fileSource({ name: 's', path: 'x.csv', createdTimestampColumn: 'a b' }),
    `fileSource 's'.createdTimestampColumn: ${NAME}, got "a b"`,
  ],
  [
    'a mapped column that is not a name',
    () => fileSource({ name: 's', path: 'x.csv', fieldMapping: { 'a b': 'x' } }),
    `fileSource 's'.fieldMapping key: ${NAME}, got "a b"`,
  ],
  [
    'a mapping target that is not a name',
    () => fileSource({ name: 's', path: 'x.csv', fieldMapping: { raw: 'x y' } }),
    `fileSource 's'.fieldMapping['raw']: ${NAME}, got "x y"`,
  ],

  [
    'a push source over a request source',
    () => pushSource({ name: 'p', batchSource: req as never }),
    'pushSource \'p\'.batchSource: expected a fileSource, got "requestSource"',
  ],
  ['a push source with no batch source', () => pushSource({ name: 'p' } as never), "pushSource 'p'.batchSource: expected a fileSource, got undefined"],
  ['a request source with no fields', () => requestSource({ name: 'r', schema: [] }), "requestSource 'r'.schema: expected a non-empty array of fields"],

  [
    'a view over a request source',
    () => featureView(spec({ source: req })),
    'featureView \'v\'.source: expected a fileSource or pushSource, got "requestSource"',
  ],
  ['a view with no source', () => featureView(spec({ source: undefined })), "featureView 'v'.source: expected a fileSource or pushSource, got undefined"],
  ['a view with an entity that is not one', () => featureView(spec({ entities: [src] })), "featureView 'v'.entities: expected an array of entity definitions"],
  ['a view with one entity twice', () => featureView(spec({ entities: [driver, driver] })), "featureView 'v'.entities: duplicate name 'driver'"],
  ['a view with no schema', () => featureView(spec({ schema: undefined })), "featureView 'v'.schema: expected an array of fields"],
  ['a view with no features', () => featureView(spec({ schema: [field('driver_id', Int64)] })), "featureView 'v'.schema: declares no features"],
  ['a view whose online flag is not a boolean', () => featureView(spec({ online: 'yes' })), "featureView 'v'.online: expected a boolean"],
  ['a view whose offline flag is not a boolean', () => featureView(spec({ offline: 1 })), "featureView 'v'.offline: expected a boolean"],
  ['a view with a negative ttl', () => featureView(spec({ ttl: -1 })), "featureView 'v'.ttl: expected a non-negative number of seconds, got -1"],

  [
    'an on-demand view with two transforms',
    () => onDemandFeatureView(odfv({ transformColumns: () => ({}) })),
    "onDemandFeatureView 'o': expected exactly one of transform (rows) or transformColumns (columns)",
  ],
  [
    'an on-demand view with no sources',
    () => onDemandFeatureView(odfv({ sources: [] })),
    "onDemandFeatureView 'o'.sources: expected a non-empty array of feature views, projections or request sources",
  ],
  [
    'an on-demand view over a push source',
    () => onDemandFeatureView(odfv({ sources: [push] })),
    'onDemandFeatureView \'o\'.sources: unsupported source "pushSource"',
  ],
  [
    'an on-demand view with no output',
    () => onDemandFeatureView(odfv({ schema: [] })),
    "onDemandFeatureView 'o'.schema: expected a non-empty array of output fields",
  ],

  [
    'a stream view over a file source',
    () => streamFeatureView(stream({ source: src })),
    'streamFeatureView \'s\'.source: expected a pushSource, got "fileSource"',
  ],
  [
    'a stream view with no entities',
    () => streamFeatureView(stream({ entities: [] })),
    "streamFeatureView 's'.entities: expected a non-empty array of entity definitions",
  ],
  ['a stream view with no schema', () => streamFeatureView(stream({ schema: 'a' })), "streamFeatureView 's'.schema: expected an array of fields"],
  [
    'a stream view timestamp that is not a name',
    () => streamFeatureView(stream({ timestampField: 'a b' })),
    `streamFeatureView 's'.timestampField: ${NAME}, got "a b"`,
  ],
  [
    'a stream view with no aggregations',
    () => streamFeatureView(stream({ aggregations: [] })),
    "streamFeatureView 's'.aggregations: expected a non-empty array of { column, fn, window, slide? }",
  ],
  [
    'an aggregation that is not an object',
    () => streamFeatureView(stream({ aggregations: [5] })),
    "streamFeatureView 's'.aggregations[0]: expected { column, fn, window, slide? }",
  ],
  [
    'an unknown aggregation',
    () => streamFeatureView(stream({ aggregations: [{ column: 'a', fn: 'median', window: '1h' }] })),
    'streamFeatureView \'s\'.aggregations[0].fn: expected one of sum, count, mean, min, max, last, got "median"',
  ],
  [
    'an aggregation with no window',
    () => streamFeatureView(stream({ aggregations: [{ column: 'a', fn: 'sum' }] })),
    "streamFeatureView 's'.aggregations[0].window: expected a duration such as '1h' or whole seconds, got nothing",
  ],
  [
    'an aggregation name that is not one',
    () => streamFeatureView(stream({ aggregations: [{ column: 'a', fn: 'sum', window: '1h', name: 'a b' }] })),
    `streamFeatureView 's'.aggregations[0].name: ${NAME}, got "a b"`,
  ],
  [
    'a fractional allowed lateness',
    () => streamFeatureView(stream({ allowedLateness: 1.5 })),
    "streamFeatureView 's'.allowedLateness: expected whole seconds, got 1.5",
  ],
  [
    'a transform that is not a function',
    () => streamFeatureView(stream({ transform: 'x' })),
    "streamFeatureView 's'.transform: expected a function (row) => row",
  ],

  [
    'a service with no features',
    () => featureService({ name: 'svc', features: [] }),
    "featureService 'svc'.features: expected a non-empty array of views or projections",
  ],
  [
    'a service over a source',
    () => featureService({ name: 'svc', features: [src as never] }),
    'projection: expected a featureView, onDemandFeatureView, streamFeatureView or projection, got "fileSource"',
  ],
  [
    'a service with one view twice',
    () => featureService({ name: 'svc', features: [view, view] }),
    "featureService 'svc'.features (use projection(view, { alias }) to use one view twice): duplicate name 'v'",
  ],
  [
    'a service description that is not a string',
    () => featureService({ name: 'svc', features: [view], description: [] as never }),
    "featureService 'svc'.description: expected a string, got []",
  ],

  ['a projection with no features', () => projection(view, { features: [] }), "projection of 'v'.features: expected a non-empty array of feature names"],

  [
    'a projection of a feature the view lacks',
    // @ts-expect-error an unknown feature does not compile; the run-time check is for JavaScript callers
    () => projection(view, { features: ['b'] }),
    "projection of 'v'.features: 'b' is not a feature of 'v'; valid: a",
  ],
  ['an alias that is not a name', () => projection(view, { alias: 'a b' }), `projection of 'v'.alias: ${NAME}, got "a b"`],

  [
    'a join-key map of a key the view lacks',
    // @ts-expect-error an unknown join key does not compile; the run-time check is for JavaScript callers
    () => projection(view, { joinKeyMap: { rider_id: 'x' } }),
    "projection of 'v'.joinKeyMap: 'rider_id' is not a join key of 'v'; valid: driver_id",
  ],
  [
    'a join-key map to a column that is not a name',
    () => projection(view, { joinKeyMap: { driver_id: 'a b' } }),
    `projection of 'v'.joinKeyMap['driver_id']: ${NAME}, got "a b"`,
  ],

  ['a project name that is not one', () => project({ name: '' }), `project.name: ${NAME}, got ""`],
  ['project tags that are not an object', () => project({ name: 'p', tags: 'x' as never }), 'project \'p\'.tags: expected an object of string tags, got "x"'],
];

describe('definition messages name the object, the field, what was expected and what was given', () => {
  it.each(cases)('%s', (_, define, message) => {
    expect(define).toThrow(expect.objectContaining({ name: 'InvalidDefinitionError', message }));
  });
});
