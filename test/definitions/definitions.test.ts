import { describe, expect, it } from 'vitest';
import {
  Array as ArrayOf,
  entity,
  featureService,
  featureView,
  field,
  fileSource,
  Float32,
  Int64,
  onDemandFeatureView,
  parseDuration,
  projection,
  pushSource,
  requestSource,
  String as Str,
} from '../../src/definitions/index.js';

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const source = fileSource({ name: 'src', path: 'data/x.parquet', createdTimestampColumn: 'created', fieldMapping: { raw: 'conv_rate' } });

describe('definitions', () => {
  it('are frozen, structured-cloneable plain data', () => {
    const view = featureView({ name: 'v', entities: [driver], schema: [field('conv_rate', Float32), field('tags', ArrayOf(Str))], source, ttl: '1d' });
    expect(Object.isFrozen(view)).toBe(true);
    expect(Object.isFrozen(view.features)).toBe(true);
    expect(structuredClone(view)).toEqual(view);
    expect(view.entityColumns).toEqual([{ name: 'driver_id', dtype: Int64 }]);
    expect(view.ttlSeconds).toBe(86400);
  });

  it('parses ttl durations and refuses ones that do not parse, naming the field', () => {
    expect(parseDuration('2h', 'x')).toBe(7200);
    expect(parseDuration('1h30m', 'x')).toBe(5400);
    expect(parseDuration('1w', 'x')).toBe(604800);
    expect(parseDuration(90, 'x')).toBe(90);
    expect(parseDuration(undefined, 'x')).toBe(0);
    expect(() => featureView({ name: 'v', entities: [driver], schema: [field('a', Int64)], source, ttl: 'two hours' })).toThrow(
      /featureView 'v'.ttl: cannot parse duration "two hours"/,
    );
    expect(() => featureView({ name: 'v', entities: [driver], schema: [field('a', Int64)], source, ttl: -1 })).toThrow(/non-negative/);
  });

  it('refuses a view with no source, a join key of the wrong type, and a field that fieldMapping renames', () => {
    expect(() => featureView({ name: 'v', schema: [field('a', Int64)] } as never)).toThrow(/featureView 'v'.source: expected a fileSource or pushSource/);
    expect(() => featureView({ name: 'v', entities: [driver], schema: [field('driver_id', Str), field('a', Int64)], source })).toThrow(
      /'driver_id' is the join key of entity 'driver' \(Int64\) but is declared String/,
    );
    expect(() => featureView({ name: 'v', entities: [driver], schema: [field('raw', Float32)], source })).toThrow(
      /field 'raw' is renamed to 'conv_rate' by fieldMapping of source 'src'; declare 'conv_rate' instead/,
    );
    expect(() => featureView({ name: 'v', entities: [driver], schema: [field('created', Float32)], source })).toThrow(/timestamp column, not a feature/);
  });

  it('refuses duplicate names, unknown value types and bad names', () => {
    expect(() => featureView({ name: 'v', entities: [driver], schema: [field('a', Int64), field('a', Int64)], source })).toThrow(/duplicate name 'a'/);
    expect(() => field('a', { kind: 'Decimal' } as never)).toThrow(/field 'a'.dtype: unknown value type.*expected one of Int32, Int64/);
    expect(() => entity({ name: 'bad name' })).toThrow(/entity.name: expected a name/);
    // @ts-expect-error: two join keys do not compile; the run-time check is for JavaScript callers
    expect(() => entity({ name: 'e', joinKeys: ['a', 'b'] })).toThrow(/exactly one join key/);
    expect(() => fileSource({ name: 's', path: 'data/x.json' })).toThrow(/cannot infer the format/);
  });

  it('checks projections, services and on-demand views at definition time', () => {
    const view = featureView({ name: 'v', entities: [driver], schema: [field('conv_rate', Float32)], source });
    // @ts-expect-error: an unknown feature does not compile; the run-time check is for JavaScript callers
    expect(() => projection(view, { features: ['nope'] })).toThrow(/'nope' is not a feature of 'v'; valid: conv_rate/);
    // @ts-expect-error: an unknown join key does not compile; the run-time check is for JavaScript callers
    expect(() => projection(view, { joinKeyMap: { customer_id: 'c' } })).toThrow(/'customer_id' is not a join key of 'v'/);
    expect(() => featureService({ name: 's', features: [view, view] })).toThrow(/alias.*duplicate name 'v'/);
    const req = requestSource({ name: 'r', schema: [field('x', Int64)] });
    expect(() => onDemandFeatureView({ name: 'o', sources: [view, req], schema: [field('y', Int64)] })).toThrow(/exactly one of transform/);
    const odfv = onDemandFeatureView({ name: 'o', sources: [view, req], schema: [field('y', Int64)], transform: (r) => ({ y: r.x }) });
    expect(odfv.sources[0]).toMatchObject({ kind: 'projection', viewName: 'v', features: ['conv_rate'] });
    expect(odfv.transformSource).toContain('r.x');
    expect(() => pushSource({ name: 'p', batchSource: req as never })).toThrow(/batchSource: expected a fileSource/);
  });
});
