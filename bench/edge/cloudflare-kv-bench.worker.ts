/**
 * The Cloudflare KV benchmark Worker: bench/edge-kv.ts bundles it and runs it in workerd
 * through miniflare, over a KV namespace binding. All timing happens in here.
 *   POST /write?mode=store|raw&from&to -> writes rows [from, to) as one batch: { ms, written }
 *        store: CloudflareKvOnlineStore.write; raw: env.KV.put of the same encoded rows
 *   GET  /read?entities&features&written&samples&target
 *        -> { store, raw }: latency percentiles (ms per call) of store.read and of the bulk
 *           env.KV.get of the same keys, sampled in turns
 *
 * workerd's performance.now() is Date.now(): whole milliseconds (and in production it moves
 * only across I/O). Every call here awaits KV I/O, so the clock spans each call's work, but
 * one call is below a tick: a sample is the mean of back-to-back calls over ~`target` ms.
 */
import { CloudflareKvOnlineStore, type KvNamespaceBinding } from '../../src/runtime/cloudflare/cloudflare-kv-online-store.js';
import { entityKeyToString } from '../../src/online/entity-key.js';
import type { OnlineWriteBatch } from '../../src/online/online-store.js';
import { encodeOnlineRow } from '../../src/online/row-codec.js';
import { FEATURE_NAMES, PROJECT, RAW_VIEW, VIEW, batchOf, entityKey, expectedValue, groupFor, readIds, sampleLatencyPair } from './edge-bench-core.js';

/** As the store: at most 100 keys per bulk get, 50 puts in flight. */
const BULK_GET_KEYS = 100;
const PUT_CONCURRENCY = 50;

interface Env {
  KV: KvNamespaceBinding & { get(key: string, type: 'text'): Promise<string | null> };
}

/** The store's value encoding: MessagePack bytes as base64 text. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

/** Raw put: each row's values encoded as the store encodes them, put with the store's concurrency; no read, no event-time check. */
async function rawWrite(kv: Env['KV'], batch: OnlineWriteBatch): Promise<number> {
  const puts: [string, string][] = batch.keys.map((key, i) => {
    const values: Record<string, unknown> = {};
    for (const name of FEATURE_NAMES) values[name] = batch.features[name][i];
    return [`${PROJECT}/${RAW_VIEW}/${entityKeyToString(key)}`, toBase64(encodeOnlineRow({ event: batch.eventTimestamps[i], created: null, values }))];
  });
  for (let start = 0; start < puts.length; start += PUT_CONCURRENCY) {
    await Promise.all(puts.slice(start, start + PUT_CONCURRENCY).map(([key, text]) => kv.put(key, text)));
  }
  return puts.length;
}

/** Raw get: the bulk get of the same KV keys, 100 per call, all in flight together, values left as text. */
async function rawRead(kv: Env['KV'], names: readonly string[]): Promise<number> {
  const chunks: string[][] = [];
  for (let start = 0; start < names.length; start += BULK_GET_KEYS) chunks.push(names.slice(start, start + BULK_GET_KEYS));
  const answers = await Promise.all(chunks.map((chunk) => kv.get(chunk, { type: 'text' })));
  let found = 0;
  for (const answer of answers) for (const text of answer.values()) if (text !== null) found++;
  return found;
}

const int = (url: URL, name: string): number => {
  const n = Number(url.searchParams.get(name));
  if (!Number.isInteger(n) || n < 0) throw new Error(`bad ${name}`);
  return n;
};

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const store = new CloudflareKvOnlineStore(env.KV);
    const mode = url.searchParams.get('mode');
    if (url.pathname === '/write' && request.method === 'POST') {
      if (mode !== 'store' && mode !== 'raw') return new Response(`bad mode ${mode}`, { status: 400 });
      const from = int(url, 'from');
      const to = int(url, 'to');
      // Built before the clock starts: the rows are the input, as materialization hands them over.
      const batch = batchOf(mode === 'store' ? VIEW : RAW_VIEW, from, to);
      await env.KV.get('clock', 'text'); // an I/O boundary, so the start time is now in production too
      const started = performance.now();
      const written = mode === 'store' ? (await store.write(PROJECT, batch)).written : await rawWrite(env.KV, batch);
      return Response.json({ ms: performance.now() - started, written });
    }
    if (url.pathname === '/read') {
      const ids = readIds(int(url, 'entities'), int(url, 'written'));
      const features = FEATURE_NAMES.slice(0, int(url, 'features'));
      const keys = ids.map(entityKey);
      const names = keys.map((k) => `${PROJECT}/${VIEW}/${entityKeyToString(k)}`);
      // Both must find every row: a read of missing keys would measure nothing.
      const check = await store.read(PROJECT, VIEW, keys, features);
      ids.forEach((id, i) =>
        features.forEach((f, j) => {
          if (check.values[f][i] !== expectedValue(id, j)) throw new Error(`store.read: driver ${id} ${f} = ${check.values[f][i]}`);
        }),
      );
      if ((await rawRead(env.KV, names)) !== new Set(names).size) throw new Error('raw get: missing rows');
      const ours = () => store.read(PROJECT, VIEW, keys, features);
      const raw = () => rawRead(env.KV, names);
      for (let i = 0; i < 50; i++) {
        await ours();
        await raw();
      }
      const target = int(url, 'target');
      // At least 2 calls per sample, so even the ~10 ms reads of 100 keys are timed to half a tick.
      const groups = { store: await groupFor(ours, target, 2), raw: await groupFor(raw, target, 2) };
      return Response.json(await sampleLatencyPair(ours, raw, int(url, 'samples'), groups, 0));
    }
    return new Response('not found', { status: 404 });
  },
};
