/**
 * Generators of hostile input for the fuzz suite: JSON bodies (as text, so they can hold
 * what JSON.stringify never writes: 1e999, -0, 2^53+1, NaN) and JS rows for the SDK. Every
 * draw is from fast-check with a fixed seed, so a run is the same run every time.
 */
import fc from 'fast-check';

/** The seed of every fuzz test: a failure reproduces by running the test again. FUZZ_SEED=n explores other cases. */
export const SEED = Number(process.env.FUZZ_SEED ?? 1414);

/** JSON text taken as it is (a number literal JSON.stringify cannot write, or a deep nest). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of `value`, RawJson parts verbatim; object members in insertion order (own keys, `__proto__` too). */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${jsonText((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Object member names that are Object.prototype's: a lookup by them must not find the prototype's. */
export const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'prototype', 'hasOwnProperty', 'valueOf'] as const;

/** 1,000,000 characters: one fits in a 1 MiB body, two do not. */
export const MEGABYTE = 'm'.repeat(1_000_000);

export const NUMBER_EDGES = [
  new RawJson('1e999'),
  new RawJson('-1e999'),
  new RawJson('9007199254740993'),
  new RawJson('-9007199254740993'),
  new RawJson('-0'),
  new RawJson('1e308'),
  new RawJson('-1e308'),
  new RawJson('5e-324'),
  new RawJson('2147483648'),
  new RawJson('-2147483649'),
  new RawJson('9223372036854775808'),
  new RawJson('3.5e38'),
  new RawJson('1e15'),
  new RawJson('9e12'),
  new RawJson('0.5'),
  new RawJson('1E+2'),
];
/** NaN and the infinities as text, as a client that cannot send them as numbers might. */
export const NUMBER_TEXT = ['NaN', 'nan', 'Infinity', '-Infinity', 'inf', '1e999', '0x10', ' 7 '];
export const STRING_EDGES = [
  '\ud800',
  '\udc00',
  'a\ud800b',
  '\udbff\udfff',
  '\u0000',
  'x\u0000y',
  '',
  ' ',
  '\ufffd',
  'é',
  '𝄞',
  '\u2028',
  '"',
  '\\',
  ...PROTO_NAMES,
];
export const TIMESTAMP_EDGES: unknown[] = [
  '10000-01-01T00:00:00Z',
  '0000-12-31T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999999Z',
  '2021-02-29T00:00:00Z',
  '2021-02-28T24:00:00Z',
  '2021-01-01T00:00:00+99:99',
  '2021-01-01T00:00:00.1234567891Z',
  '+002021-01-01T00:00:00Z',
  '2021-01-01',
  '1609459200',
  'now',
  253402300800,
  -62135596801,
  new RawJson('1e13'),
  new RawJson('-1e13'),
];
/** Nested arrays and objects `depth` deep, written as text (no recursion to build them). */
export const nestedArray = (depth: number) => new RawJson(`${'['.repeat(depth)}1${']'.repeat(depth)}`);
export const nestedObject = (depth: number) => new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
/**
 * Depths of nesting: up to 1,000. Deeper nests (finding 4: 5,000 deep) are another change's
 * (the server's body reading); this suite stays at depths every JSON reader here handles.
 */
export const DEPTHS = [2, 10, 100, 1000];

/** One hostile JSON value: a numeric, string or timestamp edge, a nest, a shape, or any JSON. */
export const jsonEdge: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NUMBER_EDGES) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBER_TEXT) },
  { weight: 3, arbitrary: fc.constantFrom(...STRING_EDGES) },
  { weight: 3, arbitrary: fc.constantFrom(...TIMESTAMP_EDGES) },
  { weight: 1, arbitrary: fc.constant(MEGABYTE) },
  { weight: 2, arbitrary: fc.constantFrom(...DEPTHS).chain((d) => fc.constantFrom(nestedArray(d), nestedObject(d))) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [[1, 2]], { a: 1 }, 0, -1, 'x') },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

type Path = readonly (string | number)[];

/** Every path in `value` (members and elements), the root (empty path) first. */
function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    for (const k of Object.keys(value)) pathsOf((value as Record<string, unknown>)[k], [...at, k], out);
  }
  return out;
}

/** A copy of `value` with `path` given `next` (undefined: the member removed); defineProperty, so '__proto__' is an own member. */
function setAt(value: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }) as Record<string | number, unknown>;
  if (rest.length === 0 && next === undefined) {
    if (Array.isArray(copy)) (copy as unknown[]).splice(head as number, 1);
    else delete copy[head];
    return copy;
  }
  Object.defineProperty(copy, head, { value: setAt(copy[head], rest, next), enumerable: true, writable: true, configurable: true });
  return copy;
}

type Mutation = { kind: 'replace' | 'remove' | 'add'; pick: number; key: string; edge: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('replace', 'replace', 'replace', 'remove', 'add'),
  pick: fc.nat(),
  key: fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.constantFrom(...STRING_EDGES), fc.string({ maxLength: 8 })),
  edge: jsonEdge,
});

function mutate(body: unknown, m: Mutation): unknown {
  const paths = pathsOf(body);
  if (m.kind === 'add') {
    const objects = paths.filter((p) => {
      const node = p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], body);
      return node !== null && typeof node === 'object' && !Array.isArray(node) && !(node instanceof RawJson);
    });
    if (objects.length === 0) return body;
    return setAt(body, [...objects[m.pick % objects.length], m.key], m.edge);
  }
  const path = paths[m.pick % paths.length];
  return setAt(body, path, m.kind === 'remove' && path.length > 0 ? undefined : m.edge);
}

/** A body made from a valid `template`: one to three members replaced, removed or added, or the whole body replaced. */
export function mutatedBody(template: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(template, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([body, ms]) => jsonText(ms.reduce(mutate, body))) },
    { weight: 1, arbitrary: jsonEdge.map(jsonText) },
    { weight: 1, arbitrary: template.map(jsonText) },
  );
}
