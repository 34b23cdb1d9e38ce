import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../../src/runtime/node/duckdb/engine.js';
import { FileRegistryStore } from '../../../src/runtime/node/file-registry-store.js';
import { LmdbOnlineStore } from '../../../src/runtime/node/lmdb/lmdb-online-store.js';
import { nodeSourceLoader } from '../../../src/runtime/node/node-source-loader.js';
import { startFeatureServer, type RunningFeatureServer } from '../../../src/runtime/node/serve.js';
import { createFeatureStore, type FeatureStore } from '../../../src/store/feature-store.js';
import { FIXTURE_PROJECT, fixtureObjects } from '../../server/fixture-definitions.js';
import { createDuckDbOfflineStore } from '../../../src/offline/duckdb/duckdb-offline-store.js';
import { SEED } from './generators.js';

/*
 * A barrage of malformed requests against the Node server on LMDB. Each generator makes
 * requests that are wrong by construction (no valid request can come out of it), so every
 * answer must be a 4xx JSON error, and nothing stored may change. Part of issue 14's fuzz
 * suite (seeded: the same requests every run); routes.test.ts beside it fuzzes the values
 * inside otherwise well-formed bodies, sdk-writes.test.ts the SDK's write methods.
 */

const LIMIT = 1_048_576; // the server's default body limit
const POST_ROUTES = ['/get-online-features', '/push', '/write-to-online-store', '/materialize', '/materialize-incremental'];
const GET_ROUTES = ['/health', '/registry', '/metrics'];
const KNOWN_NAMES = new Set([
  'driver',
  'driver_id',
  'driver_stats_source',
  'driver_stats_push_source',
  'driver_hourly_stats',
  'vals_to_add',
  'transformed_conv_rate',
  'driver_activity',
  'conv_rate',
  'acc_rate',
  'avg_daily_trips',
  'label',
  'conv_rate_plus_val',
  'val_to_add',
]);
const FEATURES = ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate', 'driver_hourly_stats:avg_daily_trips', 'driver_hourly_stats:label'];
const STORED = {
  driver_id: [1, 2, 3],
  event_timestamp: ['2021-04-12T10:00:00Z', '2021-04-12T11:00:00Z', '2021-04-12T12:00:00Z'],
  conv_rate: [0.5, 0.25, null],
  acc_rate: [0.9, 0.8, 0.7],
  avg_daily_trips: [10, 20, 30],
  label: ['a', 'b', 'c'],
};

interface Attempt {
  method: string;
  path: string;
  body?: string | Uint8Array;
  /** Send the body without a Content-Length (chunked). */
  stream?: boolean;
  /** The body's Content-Type; default application/json, as Feast's clients send. */
  contentType?: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };

let dir: string;
let store: FeatureStore;
let server: RunningFeatureServer;
let sent = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-bad-input-'));
  store = createFeatureStore({
    project: FIXTURE_PROJECT,
    registry: new FileRegistryStore(join(dir, 'registry.json')),
    onlineStore: new LmdbOnlineStore(join(dir, 'online.lmdb')),
    offlineStore: createDuckDbOfflineStore({ engine: () => createNodeEngine(), sources: nodeSourceLoader(dir) }),
    definitions: fixtureObjects,
  });
  await store.apply(fixtureObjects);
  server = await startFeatureServer(store, { port: 0, onServerError: () => {} });
  const written = await fetch(`${server.url}/write-to-online-store`, {
    method: 'POST',
    headers: JSON_TYPE,
    body: JSON.stringify({ feature_view_name: 'driver_hourly_stats', df: STORED }),
  });
  expect(written.status).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

async function readStored(): Promise<unknown> {
  const response = await fetch(`${server.url}/get-online-features`, {
    method: 'POST',
    headers: JSON_TYPE,
    body: JSON.stringify({ features: FEATURES, entities: { driver_id: [1, 2, 3, 4] } }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  const chunk = 64 * 1024;
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, (offset += chunk)));
    },
  });
}

/**
 * Sends one request and checks the answer is a 4xx JSON error in one of the shapes Feast's
 * server answers with: FastAPI's `{"detail": [...]}` for a body that fails the route's
 * model, `{"detail": "..."}` for a route that does not exist or a method it does not take,
 * or a JSON string (Feast's error detail, or the message) with feast-edge's error class in
 * X-Feast-Edge-Error. Resolves with its status.
 */
async function expectRefused(attempt: Attempt): Promise<number> {
  sent++;
  const body =
    attempt.body === undefined
      ? undefined
      : attempt.stream
        ? streamOf(typeof attempt.body === 'string' ? new TextEncoder().encode(attempt.body) : attempt.body)
        : attempt.body;
  const headers = body === undefined ? {} : { 'content-type': attempt.contentType ?? 'application/json' };
  const response = await fetch(`${server.url}${attempt.path}`, {
    method: attempt.method,
    body,
    headers,
    ...(attempt.stream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await response.text();
  const shown = `${attempt.method} ${attempt.path} ${String(attempt.body ?? '').slice(0, 120)} -> ${response.status} ${text.slice(0, 200)}`;
  expect(response.status, shown).toBeGreaterThanOrEqual(400);
  expect(response.status, shown).toBeLessThan(500);
  expect(response.headers.get('content-type'), shown).toMatch(/^application\/json/);
  const json: unknown = JSON.parse(text);
  if (typeof json === 'string') {
    expect(json, shown).toMatch(/\S/);
    expect(response.headers.get('x-feast-edge-error'), shown).toMatch(/^\w+$/);
  } else if (response.status === 404 || response.status === 405 || response.status === 401) {
    expect(json, shown).toEqual({ detail: expect.stringMatching(/\S/) });
  } else {
    expect(response.status, shown).toBe(422);
    const { detail } = json as { detail: Record<string, unknown>[] };
    expect(detail.length, shown).toBeGreaterThan(0);
    for (const entry of detail) {
      expect(entry, shown).toMatchObject({ type: expect.stringMatching(/^[a-z_]+$/), loc: expect.arrayContaining(['body']), msg: expect.stringMatching(/\S/) });
      expect('input' in entry, shown).toBe(true);
    }
  }
  return response.status;
}

// ---- generators: each yields only requests that cannot be valid ----

const json = (value: unknown) => JSON.stringify(value);
const post = (path: string, body: unknown): Attempt => ({ method: 'POST', path, body: json(body) });

/** Any JSON value except those `valid` accepts (undefined never: JSON would drop the key). */
const anyBut = (valid: (value: unknown) => boolean) => fc.jsonValue().filter((value) => !valid(value));
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isColumns = (value: unknown) => isRecord(value) && Object.keys(value).length > 0 && Object.values(value).every(Array.isArray);
const isName = (value: unknown) => typeof value === 'string' && value.length > 0;
const isTimestamp = (value: unknown) => typeof value === 'string';
/** Not an int64 in any spelling the server might accept (numbers, numeric strings). */
const notInteger = fc
  .jsonValue()
  .filter(
    (value) =>
      !(typeof value === 'number' && Number.isInteger(value)) && !(typeof value === 'string' && /^\s*[-+]?\d/.test(value)) && typeof value !== 'boolean',
  );
const unknownName = fc.string({ minLength: 1, maxLength: 40 }).filter((name) => !KNOWN_NAMES.has(name) && !name.includes(':'));

const LAX_BOOLEANS = new Set(['0', '1', 'f', 't', 'n', 'y', 'no', 'yes', 'on', 'off', 'true', 'false']);
const validGet = { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } };
const validWrite = { feature_view_name: 'driver_hourly_stats', df: { ...STORED } };
const validPush = { push_source_name: 'driver_stats_push_source', df: { ...STORED }, to: 'online' };
const validMaterialize = { start_ts: '2021-04-12T00:00:00Z', end_ts: '2021-04-13T00:00:00Z', feature_views: ['driver_hourly_stats'] };

/** One field of a valid body replaced by a value of the wrong type. */
const wrongTypes: fc.Arbitrary<Attempt> = fc.oneof(
  anyBut((v) => Array.isArray(v) && v.every((f) => typeof f === 'string' && /^[^:]+:[^:]+$/.test(f))).map((features) =>
    post('/get-online-features', { ...validGet, features }),
  ),
  anyBut(isColumns).map((entities) => post('/get-online-features', { ...validGet, entities })),
  // pydantic's lax booleans are valid: true/false, 0/1, 'yes', 'off', ...
  anyBut((v) => typeof v === 'boolean' || v === 0 || v === 1 || (typeof v === 'string' && LAX_BOOLEANS.has(v.toLowerCase()))).map((full) =>
    post('/get-online-features', { ...validGet, full_feature_names: full }),
  ),
  anyBut(isName).map((name) => post('/get-online-features', { feature_service: name, entities: validGet.entities })),
  fc.tuple(fc.array(fc.integer(), { maxLength: 3 }), notInteger, fc.nat()).map(([good, bad, at]) => {
    const ids: unknown[] = [...good];
    ids.splice(at % (ids.length + 1), 0, bad);
    return post('/get-online-features', { ...validGet, entities: { driver_id: ids } });
  }),
  anyBut(isName).map((name) => post('/write-to-online-store', { ...validWrite, feature_view_name: name })),
  anyBut(isColumns).map((df) => post('/write-to-online-store', { ...validWrite, df })),
  fc
    .tuple(
      fc.constantFrom('conv_rate', 'acc_rate', 'avg_daily_trips'),
      fc.oneof(
        fc.string().filter((s) => !/^\s*[-+.\d]/.test(s) && s.trim() !== ''),
        fc.dictionary(fc.string(), fc.integer()),
        fc.array(fc.integer()),
      ),
    )
    .map(([column, bad]) => post('/write-to-online-store', { ...validWrite, df: { ...STORED, [column]: [bad, ...STORED[column].slice(1)] } })),
  anyBut(isName).map((name) => post('/push', { ...validPush, push_source_name: name })),
  anyBut((v) => v === 'online' || v === 'offline' || v === 'online_and_offline').map((to) => post('/push', { ...validPush, to })),
  anyBut(isTimestamp).map((start) => post('/materialize', { ...validMaterialize, start_ts: start })),
  anyBut((v) => v === null || (Array.isArray(v) && v.every(isName))).map((views) => post('/materialize', { ...validMaterialize, feature_views: views })),
  fc
    .string()
    .filter((s) => Number.isNaN(Date.parse(s)) && !/^\s*[-+]?\d/.test(s))
    .map((end) => post('/materialize-incremental', { end_ts: end, feature_views: ['driver_hourly_stats'] })),
);

/** A required field left out (and unknown fields added, which cannot stand in for it). */
const missingFields: fc.Arbitrary<Attempt> = fc
  .tuple(
    fc.constantFrom<[string, Record<string, unknown>]>(
      ['/get-online-features', validGet],
      ['/write-to-online-store', validWrite],
      ['/push', validPush],
      ['/materialize', validMaterialize],
      ['/materialize-incremental', { end_ts: validMaterialize.end_ts }],
    ),
    fc.nat(),
    fc.dictionary(unknownName, fc.jsonValue(), { maxKeys: 3 }),
  )
  .map(([[path, valid], pick, extra]) => {
    const required = Object.keys(valid).filter((key) => !['to', 'feature_views', 'full_feature_names'].includes(key));
    const { [required[pick % required.length]]: _dropped, ...rest } = valid;
    return post(path, { ...extra, ...rest });
  });

/** Names of things that do not exist: feature views, features, services, push sources, columns, join keys. */
const unknownNames: fc.Arbitrary<Attempt> = fc.oneof(
  unknownName.map((view) => post('/get-online-features', { ...validGet, features: [`${view}:conv_rate`] })),
  unknownName.map((feature) => post('/get-online-features', { ...validGet, features: [`driver_hourly_stats:${feature}`] })),
  unknownName.map((service) => post('/get-online-features', { feature_service: service, entities: validGet.entities })),
  unknownName.map((key) => post('/get-online-features', { ...validGet, entities: { [key]: [1] } })),
  unknownName.map((view) => post('/write-to-online-store', { ...validWrite, feature_view_name: view })),
  unknownName.map((column) => post('/write-to-online-store', { ...validWrite, df: { ...STORED, [column]: [1, 2, 3] } })),
  unknownName.map((source) => post('/push', { ...validPush, push_source_name: source })),
  unknownName.map((view) => post('/materialize', { ...validMaterialize, feature_views: [view] })),
);

/** Text that is not JSON, or JSON cut short, to any POST route. */
const malformedJson: fc.Arbitrary<Attempt> = fc
  .tuple(
    fc.constantFrom(...POST_ROUTES),
    fc
      .oneof(
        fc.string({ unit: 'binary' }),
        fc
          .tuple(fc.constantFrom(json(validGet), json(validWrite), json(validPush), json(validMaterialize)), fc.nat())
          .map(([text, cut]) => text.slice(0, cut % text.length)),
      )
      .filter((text) => {
        try {
          JSON.parse(text);
          return false;
        } catch {
          return true;
        }
      }),
  )
  .map(([path, body]) => ({ method: 'POST', path, body }));

/**
 * Valid-looking bodies whose arrays take them over the body limit, with and without a
 * Content-Length. Built when sent, so a failure report shows the recipe, not megabytes.
 */
const overLimit: fc.Arbitrary<Attempt> = fc
  .record({
    path: fc.constantFrom('/get-online-features', '/write-to-online-store', '/push'),
    times: fc.integer({ min: 1, max: 4 }),
    id: fc.integer({ min: 1_000_000, max: 9_999_999 }),
    stream: fc.boolean(),
  })
  .map(({ path, times, id, stream }) => ({
    method: 'POST',
    path,
    stream,
    get body() {
      // Each id is 8 bytes with its comma: enough of them to pass the limit `times` over.
      const ids = new Array<number>(Math.ceil((LIMIT * times) / 8) + 1).fill(id);
      return json(
        path === '/get-online-features'
          ? { ...validGet, entities: { driver_id: ids } }
          : path === '/push'
            ? { ...validPush, df: { driver_id: ids } }
            : { ...validWrite, df: { driver_id: ids } },
      );
    },
    [fc.toStringMethod]: () => `POST ${path} with ${times} MiB of driver ids ${id}${stream ? ', chunked' : ''}`,
  }));

/** Routes asked with a method they do not take, and paths that are no route. */
const wrongMethods: fc.Arbitrary<Attempt> = fc.oneof(
  fc
    .tuple(fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), fc.constantFrom(...POST_ROUTES))
    .map(([method, path]) => ({ method, path, ...(method === 'GET' ? {} : { body: json(validGet) }) })),
  fc
    .tuple(fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), fc.constantFrom(...GET_ROUTES))
    .map(([method, path]) => ({ method, path, body: '{}' })),
  fc
    .tuple(fc.constantFrom('GET', 'POST'), fc.webPath())
    .filter(([, path]) => ![...POST_ROUTES, ...GET_ROUTES].includes(path.replace(/\/+$/, '') || '/x'))
    .map(([method, path]) => ({ method, path: path.startsWith('/') ? path : `/${path}`, ...(method === 'POST' ? { body: json(validGet) } : {}) })),
);

/** Valid bodies sent without a JSON content type: FastAPI reads them as text, which no route accepts. */
const notSentAsJson: fc.Arbitrary<Attempt> = fc
  .tuple(
    fc.constantFrom<[string, unknown]>(
      ['/get-online-features', validGet],
      ['/write-to-online-store', validWrite],
      ['/push', validPush],
      ['/materialize', validMaterialize],
    ),
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/json', 'application/jsonx'),
  )
  .map(([[path, valid], contentType]) => ({ ...post(path, valid), contentType }));

/** Random bytes as the body of any POST route. */
const randomBodies: fc.Arbitrary<Attempt> = fc
  .tuple(fc.constantFrom(...POST_ROUTES), fc.uint8Array({ minLength: 1, maxLength: 2048 }))
  .filter(([, bytes]) => {
    try {
      JSON.parse(new TextDecoder().decode(bytes));
      return false;
    } catch {
      return true;
    }
  })
  .map(([path, body]) => ({ method: 'POST', path, body }));

/** Writes raw bytes on a new connection and resolves with everything the server answers. */
function rawExchange(bytes: Uint8Array): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket
      .setEncoding('latin1')
      .on('data', (chunk: string) => {
        answer += chunk;
      })
      .on('end', () => resolve(answer))
      .on('error', reject);
    // Half-close after the bytes: an incomplete request then fails instead of waiting.
    socket.end(bytes);
  });
}

describe('the Node server under malformed requests (LMDB store)', () => {
  let before: unknown;
  beforeAll(async () => {
    before = await readStored();
    const EPOCH = '1970-01-01T00:00:00Z';
    expect(before).toEqual({
      metadata: { feature_names: ['driver_id', 'conv_rate', 'acc_rate', 'avg_daily_trips', 'label'] },
      results: [
        { values: [1, 2, 3, 4], statuses: ['PRESENT', 'PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: [EPOCH, EPOCH, EPOCH, EPOCH] },
        ...[
          [0.5, 0.25, null],
          [0.9, 0.8, 0.7],
          [10, 20, 30],
          ['a', 'b', 'c'],
        ].map((values) => ({
          values: [...values, null],
          statuses: [...values.map((v) => (v === null ? 'NULL_VALUE' : 'PRESENT')), 'NOT_FOUND'],
          event_timestamps: [...STORED.event_timestamp, EPOCH],
        })),
      ],
    });
  });

  const categories: [string, fc.Arbitrary<Attempt>, number][] = [
    ['fields of the wrong type', wrongTypes, 80],
    ['required fields missing, unknown fields added', missingFields, 30],
    ['unknown features, views, services, push sources, columns and join keys', unknownNames, 40],
    ['malformed JSON text', malformedJson, 40],
    ['bodies over the 1 MiB limit, with and without Content-Length', overLimit, 12],
    ['wrong HTTP methods and unknown routes', wrongMethods, 40],
    ['random bytes as the body', randomBodies, 30],
    ['valid bodies not sent as JSON', notSentAsJson, 20],
  ];
  for (const [name, arbitrary, numRuns] of categories) {
    it(`answers ${name} with a 4xx JSON error`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (attempt) => {
          await expectRefused(attempt);
        }),
        { numRuns, seed: SEED },
      );
    });
  }

  // A JSON schema library's record leaves these keys out; fast-check's unknown names only sometimes draw them.
  it("answers columns named '__proto__', 'constructor' and 'prototype' with a 4xx JSON error, not by dropping them", async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      // JSON text, not an object literal: `{ __proto__: ... }` would set the prototype instead of a key.
      const extra = `,${JSON.stringify(key)}:[1,2,3]}`;
      const df = JSON.stringify(STORED).slice(0, -1) + extra;
      for (const body of [
        `{"feature_view_name":"driver_hourly_stats","df":${df}}`,
        `{"push_source_name":"driver_stats_push_source","df":${df}}`,
        `{"features":${JSON.stringify(FEATURES)},"entities":{"driver_id":[1,2,3]${extra}}`,
      ]) {
        const path = body.includes('feature_view_name') ? '/write-to-online-store' : body.includes('push_source_name') ? '/push' : '/get-online-features';
        expect(await expectRefused({ method: 'POST', path, body })).toBe(422);
      }
    }
  });

  it('answers bytes that are not HTTP at all with a 400 JSON error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 512 }).filter((b) => b[0] !== 13 && b[0] !== 10),
        async (bytes) => {
          sent++;
          const answer = await rawExchange(bytes);
          const [head, body] = answer.split('\r\n\r\n');
          expect(head, answer).toMatch(/^HTTP\/1\.1 4\d\d /);
          expect(head, answer).toMatch(/\r\nContent-Type: application\/json/i);
          expect(head, answer).toMatch(/\r\nX-Feast-Edge-Error: BadRequest\r\n/i);
          expect(JSON.parse(body)).toMatch(/^request: not valid HTTP/);
        },
      ),
      { numRuns: 30, seed: SEED },
    );
  });

  it('still serves afterwards: health is 200 and the stored rows are unchanged', async () => {
    expect(sent).toBeGreaterThanOrEqual(200);
    const health = await fetch(`${server.url}/health`);
    expect([health.status, await health.text()]).toEqual([200, '']);
    expect(await readStored()).toEqual(before);
  });
});
