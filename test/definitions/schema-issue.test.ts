import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { asJson, expected, issueMessage, issuePath, keyMessage, mapping, note, object, record, whole } from '../../src/definitions/schema-issue.js';

/** The message of the first issue of `value` against `schema`, after `root`. */
function messageOf(schema: v.GenericSchema, value: unknown, root = 'spec', whole?: string): string {
  const result = v.safeParse(schema, value);
  if (result.success) throw new Error(`${JSON.stringify(value)} passed`);
  return issueMessage(result.issues, root, whole);
}

const name = v.pipe(v.string(expected('a name')), v.regex(/^[a-z_]+$/, expected('a name')));

describe('the shared schema issue helper writes what feast-edge messages say', () => {
  it("names the field by its path: .field, [item], ['entry'], entry key and (note)", () => {
    const schema = object(
      {
        view: object({ features: v.array(object({ name }, expected('a feature'))) }, expected('a view')),
        mapping: record(name, name, expected('an object of renames')),
      },
      expected('a spec'),
    );
    const ok = { features: [{ name: 'a' }] };
    expect(messageOf(schema, { view: { features: [{ name: 'a' }, { name: 'B' }] }, mapping: {} })).toBe('spec.view.features[1].name: expected a name, got "B"');
    expect(messageOf(schema, { view: ok, mapping: { raw: 'Bad' } })).toBe('spec.mapping[\'raw\']: expected a name, got "Bad"');
    expect(messageOf(schema, { view: ok, mapping: { 'Bad key': 'x' } })).toBe('spec.mapping key: expected a name, got "Bad key"');
    const noted = v.pipe(
      v.unknown(),
      v.rawCheck(({ dataset, addIssue }) => {
        addIssue({ input: 5, message: expected('a type'), path: [note('Array element', dataset.value, 5)] });
      }),
    );
    expect(messageOf(noted, {}, "field 'a'.dtype")).toBe("field 'a'.dtype (Array element): expected a type, got 5");
  });

  it('starts at the first key when there is no root, and names the whole input when the issue is about it', () => {
    const schema = object({ registry: object({ path: v.string(expected('a file path')) }, expected('a mapping')) }, expected('a mapping'));
    expect(messageOf(schema, { registry: { path: 7 } }, '', '(top level)')).toBe('registry.path: expected a file path, got 7');
    expect(messageOf(schema, ['registry'], '', '(top level)')).toBe('(top level): expected a mapping, got ["registry"]');
    expect(messageOf(schema, null, "entity 'e'")).toBe("entity 'e': expected a mapping, got null");
  });

  it("reports an absent required key with its own field's message, as if it were undefined", () => {
    const schema = object({ name, path: v.string(expected('a file path')), format: v.optional(v.string()) }, 'expected an object');
    expect(messageOf(schema, { name: 'a' })).toBe('spec.path: expected a file path, got undefined');
    expect(messageOf(schema, {})).toBe('spec.name: expected a name, got undefined');
    expect(v.is(schema, { name: 'a', path: 'p' })).toBe(true);
  });

  it('names a key a strict object does not know with the message it is given', () => {
    const entries = { type: v.string() };
    const strict = v.pipe(mapping('expected a mapping'), v.strictObject(entries, keyMessage(entries, 'known keys: type')));
    const result = v.safeParse(strict, { type: 'x', threads: 4 });
    expect(result.success).toBe(false);
    expect(issuePath(result.issues![0], 'offline_store')).toBe('offline_store.threads');
    expect(result.issues![0].message).toBe('known keys: type');
  });

  it("refuses arrays where an object is expected, which valibot's object and record take", () => {
    expect(messageOf(object({}, expected('an object { spec }')), [])).toBe('spec: expected an object { spec }, got []');
    expect(messageOf(record(v.string(), v.string(), expected('an object keyed by name')), ['x'])).toBe('spec: expected an object keyed by name, got ["x"]');
  });

  it("checks the '__proto__', 'constructor' and 'prototype' entries of a record, which valibot's record skips", () => {
    const names = record(v.string(), name, 'expected an object');
    expect(messageOf(names, JSON.parse('{"__proto__": "Bad"}'))).toBe('spec[\'__proto__\']: expected a name, got "Bad"');
    expect(messageOf(names, { constructor: 'Bad' })).toBe('spec[\'constructor\']: expected a name, got "Bad"');
    const parsed = v.parse(names, { constructor: 'ok', prototype: 'fine' });
    expect(Object.entries(parsed)).toEqual([
      ['constructor', 'ok'],
      ['prototype', 'fine'],
    ]);
  });

  it('reports a problem inside a value checked whole on the value itself', () => {
    const source = whole(v.object({ kind: v.literal('fileSource') }), expected('a fileSource'));
    expect(messageOf(object({ source }, ''), { source: { kind: 'pushSource', name: 'p' } }, "pushSource 'p'")).toBe(
      'pushSource \'p\'.source: expected a fileSource, got {"kind":"pushSource","name":"p"}',
    );
  });

  it('shows what was given as JSON, and what JSON cannot show as text', () => {
    expect(asJson('a')).toBe('"a"');
    expect(asJson(undefined)).toBe('undefined');
    expect(asJson(() => 1)).toBe('undefined');
    expect(asJson(12n)).toBe('12');
    expect(expected('a string', (x) => `<${String(x)}>`)({ input: 3 } as v.BaseIssue<unknown>)).toBe('expected a string, got <3>');
  });
});
