/**
 * Issue 14's bounded fuzz of `feast-edge serve` (in-process, on loopback, LMDB), route by
 * route, over the repo `feast-edge init` makes plus the typed view: bodies made from a valid
 * one by replacing, removing or adding members (numeric, string, timestamp and name edges,
 * nests up to 1,000 deep, any JSON), or replaced whole. For every answer: no 5xx; an error
 * is JSON; after a refused request the stored rows (online, and the offline parts) are
 * unchanged; after an accepted one every entity still reads (no poisoned entity). Seeded:
 * the same cases every run. test/reliability/fuzz/malformed-requests.test.ts sends the
 * malformed-request classes (wrong types, missing fields, bad JSON, over-limit bodies).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWellFormedText } from '../../../src/online/entity-key.js';
import { MAX_ENTITY_KEY_BYTES } from '../../../src/online/online-write.js';
import { startFeatureServer, type RunningFeatureServer } from '../../../src/runtime/node/serve.js';
import { openTypedRepo, TYPED_FEATURES, typedEvent, typedRow, type TypedRepo } from '../typed-repo.js';
import { jsonEdge, jsonText, mutatedBody, SEED, STRING_EDGES, TIMESTAMP_EDGES } from './generators.js';

/** Entities the bodies are written for: the materialized u1, and names a lookup could confuse. */
const USERS = ['u1', 'fz1', 'fz2', '', '\ufffd', '__proto__', 'constructor', 'toString', 'x\u0000y', '𝄞'];
/** Every entity whose stored row is compared: the bodies' users and every string edge that is a valid key. */
const WATCHED = [...new Set([...USERS, ...STRING_EDGES])].filter((u) => isWellFormedText(u) && new TextEncoder().encode(u).length < MAX_ENTITY_KEY_BYTES);

const users = fc.array(fc.constantFrom(...USERS), { minLength: 1, maxLength: 3 });
const columns = (rows: Record<string, unknown>[]) => Object.fromEntries(Object.keys(rows[0]).map((n) => [n, rows.map((r) => r[n])]));
const times = fc.constantFrom('2021-01-02T00:00:00Z', '2021-06-01T12:00:00.123456Z', '2030-01-01T00:00:00+02:00');

const templates: Record<string, fc.Arbitrary<unknown>> = {
  '/get-online-features': fc.record({
    features: fc.subarray(
      TYPED_FEATURES.map((f) => `typed:${f}`),
      { minLength: 1 },
    ),
    entities: users.map((user_id) => ({ user_id })),
    full_feature_names: fc.boolean(),
  }),
  '/write-to-online-store': fc.oneof(
    fc.tuple(users, times).map(([ids, at]) => ({ feature_view_name: 'typed', df: columns(ids.map((id) => typedRow(id, { event_timestamp: at }))) })),
    fc.tuple(users, times).map(([ids, at]) => ({ feature_view_name: 'typed_stream', df: columns(ids.map((id) => typedEvent(id, { event_timestamp: at }))) })),
  ),
  '/push': fc.tuple(users, times, fc.constantFrom('online', 'offline', 'online_and_offline')).map(([ids, at, to]) => ({
    push_source_name: 'typed_push',
    df: columns(ids.map((id) => typedRow(id, { event_timestamp: at }))),
    to,
  })),
  '/materialize': fc.record({
    start_ts: fc.constantFrom('2020-12-01T00:00:00Z', '2021-01-01T00:00:00'),
    end_ts: fc.constantFrom('2021-01-03T00:00:00Z', '2021-02-01T00:00:00'),
    feature_views: fc.constant(['typed']),
  }),
  '/materialize-incremental': fc.record({ end_ts: fc.constantFrom('2021-01-03T00:00:00Z', '2021-02-01T00:00:00'), feature_views: fc.constant(['typed']) }),
};
/** Cases per route; bounded so the whole file runs in well under a minute. */
const RUNS: Record<string, number> = {
  '/get-online-features': 300,
  '/write-to-online-store': 300,
  '/push': 250,
  '/materialize': 150,
  '/materialize-incremental': 150,
};

let repo: TypedRepo;
let server: RunningFeatureServer;

/** What is stored: the watched entities' typed and stream rows online (with event times), and the offline parts. */
async function stored(): Promise<unknown> {
  const { store } = repo;
  const typed = await store.getOnlineFeatures({ features: TYPED_FEATURES.map((f) => `typed:${f}`), entityRows: { user_id: WATCHED } });
  const stream = await store.getOnlineFeatures({ features: ['typed_stream:sum_f_int32_1h'], entityRows: { user_id: WATCHED } });
  const parts = await readdir(join(repo.repo, 'data', 'typed.parquet.pushed')).catch(() => []);
  return { typed: typed.toWire(), stream: stream.toWire(), parts: parts.sort() };
}

async function send(method: string, path: string, body?: string): Promise<{ status: number; text: string; type: string | null }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

/** Checks one answer; `shown` names the case in a failure. */
function checkAnswer(answer: { status: number; text: string; type: string | null }, shown: string): void {
  expect(answer.status, shown).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.type, shown).toMatch(/^application\/json/);
    expect(() => JSON.parse(answer.text), shown).not.toThrow();
  }
}

beforeAll(async () => {
  repo = await openTypedRepo('lmdb');
  server = await startFeatureServer(repo.store, { port: 0, onServerError: () => {} });
});
afterAll(async () => {
  await server?.close();
  await repo?.remove();
});

describe('fuzzing each route of feast-edge serve (LMDB, the init repo plus the typed view)', () => {
  for (const [path, template] of Object.entries(templates)) {
    it(`${path}: ${RUNS[path]} generated bodies, no 5xx, JSON errors, a refused body changes nothing stored`, async () => {
      const bodies = fc.sample(mutatedBody(template), { seed: SEED, numRuns: RUNS[path] });
      let refused = 0;
      let before = await stored();
      for (const body of bodies) {
        const shown = `POST ${path} ${body.length > 300 ? `${body.slice(0, 300)}... (${body.length} chars)` : body}`;
        const answer = await send('POST', path, body);
        checkAnswer(answer, shown);
        // Refused: nothing changed. Accepted: every entity still reads (stored() throws on a poisoned one).
        const after = await stored();
        if (answer.status >= 400) {
          refused++;
          expect(after, shown).toEqual(before);
        }
        before = after;
      }
      // The generators aim at the checks: most bodies must be refused, and some accepted.
      expect(refused).toBeGreaterThan(bodies.length / 2);
      expect(refused).toBeLessThan(bodies.length);
    });
  }

  it('/health: 100 requests with generated query strings, bodies and methods, each 200 or a 4xx JSON error', async () => {
    const cases = fc.sample(
      fc.tuple(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        fc.oneof(
          fc.constant(''),
          jsonEdge.map((v) => `?q=${encodeURIComponent(jsonText(v).slice(0, 200))}`),
        ),
      ),
      { seed: SEED, numRuns: 100 },
    );
    const before = await stored();
    for (const [method, query] of cases) {
      const answer = await send(method, `/health${query}`, method === 'GET' ? undefined : '{}');
      checkAnswer(answer, `${method} /health${query}`);
      if (method === 'GET') expect(answer.status, query).toBe(200);
    }
    expect(await stored()).toEqual(before);
  });

  it('pins the timestamp edges on /write-to-online-store: in years 1-9999 accepted, outside refused, each naming the row', async () => {
    // The edges that are real instants in years 1-9999, written as Feast reads them; every other one is refused.
    const ACCEPTED: unknown[] = ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999999Z', '2021-01-01'];
    for (const at of TIMESTAMP_EDGES) {
      const body = jsonText({
        feature_view_name: 'typed',
        df: columns([typedRow('fz1', { event_timestamp: '2021-01-01T00:00:00Z' }), typedRow('fz2', { event_timestamp: at })]),
      });
      const answer = await send('POST', '/write-to-online-store', body);
      checkAnswer(answer, body);
      if (ACCEPTED.includes(at)) expect(answer.status, body).toBe(200);
      else expect([answer.status, JSON.parse(answer.text)], body).toEqual([422, expect.stringMatching(/event_timestamp\[1\]/)]);
    }
  });
});
