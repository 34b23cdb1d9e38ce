import { describe, expect, it } from 'vitest';
import {
  Array,
  Float32,
  Int64,
  Json,
  Map,
  String,
  Struct,
  duckdbType,
  entity,
  feastValueTypeNumber,
  field,
  formatValueType,
} from '../../src/definitions/index.js';
import { arrowType, vectorOfType } from '../../src/arrow/arrow-types.js';
import { checkValue } from '../../src/online/online-write.js';

describe('Map, Json and Struct value types', () => {
  it("carry Feast's ValueType numbers (value_type.py: MAP 20, MAP_LIST 21, JSON 32, JSON_LIST 33, STRUCT 34, STRUCT_LIST 35)", () => {
    const profile = Struct({ name: String, age: String });
    expect([Map, Array(Map), Json, Array(Json), profile, Array(profile)].map(feastValueTypeNumber)).toEqual([20, 21, 32, 33, 34, 35]);
    expect(feastValueTypeNumber(Array(Float32))).toBe(16);
  });

  it('are plain frozen data that structuredClone keeps', () => {
    const t = Struct({ name: String, scores: Array(Int64) });
    expect(Object.isFrozen(t) && Object.isFrozen(t.fields) && Object.isFrozen(t.fields[0])).toBe(true);
    expect(structuredClone(field('profile', t))).toEqual({ name: 'profile', dtype: t });
    expect(formatValueType(t)).toBe('Struct({name: String, scores: Array(Int64)})');
  });

  it('map to DuckDB: Map and Json as JSON text (VARCHAR), Struct as a STRUCT of its members', () => {
    expect(duckdbType(Map)).toBe('VARCHAR');
    expect(duckdbType(Json)).toBe('VARCHAR');
    expect(duckdbType(Struct({ name: String, 'a"b': Int64 }))).toBe('STRUCT("name" VARCHAR, "a""b" BIGINT)');
    expect(`${arrowType(Struct({ name: String }))}`).toContain('Struct');
    expect(vectorOfType([{ a: 1 }, null], Map, 'm').toArray()).toEqual(['{"a":1}', null]);
  });

  it('check online values: a Map is an object, Json is JSON text, a Struct has only its members', () => {
    expect(checkValue({ k: 'v' }, Map, 'm')).toEqual({ k: 'v' });
    expect(checkValue('{"a":1}', Json, 'j')).toBe('{"a":1}');
    expect(() => checkValue({ a: 1 }, Json, 'row 0.j')).toThrow(/row 0\.j: expected JSON text/);
    const t = Struct({ name: String, age: Int64 });
    expect(checkValue({ name: 'a', age: 3 }, t, 's')).toEqual({ name: 'a', age: 3 });
    expect(() => checkValue({ name: 'a', other: 1 }, t, 's')).toThrow(/unknown: other/);
    expect(() => checkValue({ name: 1 }, t, 's')).toThrow(/s\.name: expected a string/);
  });

  it('refuses them as join keys and refuses an empty Struct', () => {
    expect(() => entity({ name: 'e', valueType: Map as never })).toThrow(/entity 'e'\.valueType: a join key must be a scalar type/);
    expect(() => Struct({})).toThrow(/Struct: expected an object of member types/);
  });
});
