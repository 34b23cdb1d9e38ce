/**
 * Issue 14, "one input-validation path for every write": every write entry point (the SDK's
 * writeToOnlineStore, writeToOfflineStore, push to online / offline / both, ingest; HTTP
 * /push and /write-to-online-store of `feast-edge serve`; the same routes of the edge app)
 * refuses the same bad batches with the same error class, and stores nothing: the good row
 * that comes first in each batch is not written either, online or offline. On the memory
 * store and on LMDB, in the repo `feast-edge init` makes plus the typed view.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { project } from '../../../src/definitions/index.js';
import { MemoryOnlineStore } from '../../../src/online/memory-online-store.js';
import { startFeatureServer, type RunningFeatureServer } from '../../../src/runtime/node/serve.js';
import { createEdgeApp } from '../../../src/server/edge-app.js';
import { BAD_BATCHES as BAD, badBatch } from './bad-batches.js';
import { openTypedRepo, TYPED_FEATURES, typedDefinitions, typedEvent, typedRow, typedStreamDefinitions, type TypedRepo } from '../typed-repo.js';

const columns = (rows: readonly Record<string, unknown>[]): Record<string, unknown[]> =>
  Object.fromEntries(Object.keys(rows[0]).map((name) => [name, rows.map((r) => r[name])]));

/** One way into the store: resolves with the error class name it was refused with. */
type EntryPoint = (rows: Record<string, unknown>[]) => Promise<string>;

const refusedBy = async (write: Promise<unknown>): Promise<string> => {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('the write was accepted');
  return error.name;
};

/** An HTTP answer's error class, checked to be a 422 with a JSON body. */
async function refusedOverHttp(response: Response): Promise<string> {
  const text = await response.text();
  expect(response.status, text).toBe(422);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(typeof JSON.parse(text)).toBe('string');
  return response.headers.get('x-feast-edge-error') ?? 'none';
}

const post = (path: string, body: unknown): [string, RequestInit] => [
  path,
  { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
];

describe.each(['memory', 'lmdb'] as const)('every write entry point refuses the same bad batch and stores nothing (%s online store)', (online) => {
  let repo: TypedRepo;
  let server: RunningFeatureServer;

  /** What the store holds: the typed and stream views' rows online for the users written, and the offline parts. */
  async function stored(): Promise<unknown> {
    const { store } = repo;
    const users = ['u1', 'good', 'bad'];
    const typed = await store.getOnlineFeatures({ features: TYPED_FEATURES.map((f) => `typed:${f}`), entityRows: { user_id: users } });
    const stream = await store.getOnlineFeatures({ features: ['typed_stream:sum_f_int32_1h'], entityRows: { user_id: users } });
    const parts = await readdir(join(repo.repo, 'data', 'typed.parquet.pushed')).catch(() => []);
    return { typed: typed.toWire(), stream: stream.toWire(), parts };
  }

  const http =
    (path: string, body: (rows: Record<string, unknown>[]) => unknown): EntryPoint =>
    async (rows) =>
      refusedOverHttp(await fetch(...post(`${server.url}${path}`, body(rows))));

  const viewEntryPoints: [string, EntryPoint][] = [
    ['FeatureStore.writeToOnlineStore', (rows) => refusedBy(repo.store.writeToOnlineStore('typed', rows))],
    ['FeatureStore.writeToOfflineStore', (rows) => refusedBy(repo.store.writeToOfflineStore('typed', rows))],
    ...(['online', 'offline', 'online_and_offline'] as const).map((to): [string, EntryPoint] => [
      `FeatureStore.push to ${to}`,
      (rows) => refusedBy(repo.store.push('typed_push', rows, { to })),
    ]),
    ['HTTP /write-to-online-store', http('/write-to-online-store', (rows) => ({ feature_view_name: 'typed', df: columns(rows) }))],
    ...(['online', 'offline', 'online_and_offline'] as const).map((to): [string, EntryPoint] => [
      `HTTP /push to ${to}`,
      http('/push', (rows) => ({ push_source_name: 'typed_push', df: columns(rows), to })),
    ]),
  ];
  const streamEntryPoints: [string, EntryPoint][] = [
    ['FeatureStore.ingest', (rows) => refusedBy(repo.store.ingest('typed_stream', rows, { batchSize: 1 }))],
    ['FeatureStore.push to a stream view', (rows) => refusedBy(repo.store.push('typed_events_push', rows))],
    ['HTTP /write-to-online-store of a stream view', http('/write-to-online-store', (rows) => ({ feature_view_name: 'typed_stream', df: columns(rows) }))],
    ['HTTP /push to a stream view', http('/push', (rows) => ({ push_source_name: 'typed_events_push', df: columns(rows) }))],
  ];

  let before: unknown;
  beforeAll(async () => {
    repo = await openTypedRepo(online);
    server = await startFeatureServer(repo.store, { port: 0, onServerError: () => {} });
    before = await stored();
  });
  afterAll(async () => {
    await server?.close();
    await repo?.remove();
  });

  it('starts from the materialized source row of u1 and nothing else', async () => {
    const wire = before as { typed: { results: { statuses: string[] }[] }; parts: string[] };
    expect(wire.typed.results[1].statuses).toEqual(['PRESENT', 'NOT_FOUND', 'NOT_FOUND']);
    expect(wire.parts).toEqual([]);
  });

  for (const bad of BAD) {
    it(`refuses a batch with ${bad.what} at every entry point, storing nothing`, async () => {
      for (const [name, write] of viewEntryPoints) {
        expect(await write(badBatch(typedRow, bad)), name).toBe(bad.error);
        expect(await stored(), name).toEqual(before);
      }
      // The stream view's columns are a subset of the typed view's: the same change makes its bad event.
      for (const [name, write] of streamEntryPoints) {
        expect(await write(badBatch(typedEvent, bad)), name).toBe(bad.error);
        expect(await stored(), name).toEqual(before);
      }
    });
  }

  it('names the bad row (the second) in every refusal of the SDK', async () => {
    for (const bad of BAD) {
      for (const write of [
        () => repo.store.writeToOnlineStore('typed', badBatch(typedRow, bad)),
        () => repo.store.writeToOfflineStore('typed', badBatch(typedRow, bad)),
        () => repo.store.push('typed_push', badBatch(typedRow, bad), { to: 'online_and_offline' }),
        () => repo.store.ingest('typed_stream', badBatch(typedEvent, bad)),
      ]) {
        await expect(write(), bad.what).rejects.toThrow(/\[1\]|row 1\b/);
      }
    }
  });

  it('still takes a good batch at every entry point afterwards (the checks refuse only what is wrong)', async () => {
    const good = [typedRow('good', { f_int32: 2 ** 31 - 1, event_timestamp: '9999-12-31T23:59:59Z' })];
    await repo.store.writeToOnlineStore('typed', good);
    await repo.store.push('typed_push', good, { to: 'online_and_offline' });
    const answer = await fetch(...post(`${server.url}/write-to-online-store`, { feature_view_name: 'typed', df: columns(good) }));
    expect(answer.status).toBe(200);
    const read = await repo.store.getOnlineFeatures({ features: ['typed:f_int32'], entityRows: { user_id: ['good'] } });
    expect(read.toDict().f_int32).toEqual([2 ** 31 - 1]);
  });
});

describe('the edge app (workerd and Deno entries) refuses the same bad batches over a memory store', () => {
  const typed = typedDefinitions('typed.parquet');
  const stream = typedStreamDefinitions(typed);
  const { user, source, push, typed: view } = typed;
  const module = { project: project({ name: 'typed_edge' }), user, source, push, view, events: stream.events, stream: stream.stream };
  let app: Awaited<ReturnType<typeof createEdgeApp>>;
  const onlineStore = new MemoryOnlineStore();
  const read = async () => {
    const [path, init] = post('/get-online-features', { features: ['typed:f_int32', 'typed:f_string'], entities: { user_id: ['good', 'bad'] } });
    return (await app.request(path, init)).json();
  };

  beforeAll(async () => {
    app = await createEdgeApp(module, onlineStore, {});
  });

  for (const bad of BAD) {
    it(`refuses a batch with ${bad.what} on /push and /write-to-online-store, storing nothing`, async () => {
      const before = await read();
      const rows = badBatch(typedRow, bad);
      const events = badBatch(typedEvent, bad);
      for (const [path, body] of [
        post('/push', { push_source_name: 'typed_push', df: columns(rows), to: 'online' }),
        post('/write-to-online-store', { feature_view_name: 'typed', df: columns(rows) }),
        post('/write-to-online-store', { feature_view_name: 'typed_stream', df: columns(events) }),
      ]) {
        expect(await refusedOverHttp(await app.request(path, body)), `${path} ${String(body.body).slice(0, 60)}`).toBe(bad.error);
      }
      expect(await read()).toEqual(before);
    });
  }
});
