import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { afterAll, expect, it } from 'vitest';
import type { ContractOutcome } from './store-contract-cases.js';
import { reportForeignContract } from './store-contract.js';
import { bundleEntry } from './edge/bundle.js';

// The store runs where it will be deployed: inside workerd (through miniflare), bundled
// with the contract cases into one Worker module, over a real KV namespace binding.
const entry = fileURLToPath(new URL('./edge/cloudflare-kv-worker.ts', import.meta.url));
let script: Promise<string> | undefined;
const bundled = () => (script ??= bundleEntry(entry));

const dir = mkdtempSync(join(tmpdir(), 'feast-edge-cfkv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startWorker(kvPersist?: string): Promise<Miniflare> {
  const mf = new Miniflare({ modules: true, script: await bundled(), kvNamespaces: ['KV'], compatibilityDate: '2026-04-01', kvPersist });
  await mf.ready;
  return mf;
}

async function fetchJson(mf: Miniflare, path: string, method = 'GET'): Promise<unknown> {
  const response = await mf.dispatchFetch(`http://worker${path}`, { method });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

reportForeignContract('Cloudflare KV (workerd)', async () => {
  const mf = await startWorker();
  try {
    return (await fetchJson(mf, '/contract')) as ContractOutcome[];
  } finally {
    await mf.dispose();
  }
});

it('reads in a later request what an earlier request wrote, and again after workerd restarts on the same KV data', async () => {
  const persist = join(dir, 'kv');
  const first = await startWorker(persist);
  try {
    expect(await fetchJson(first, '/write?id=7&x=0.25', 'POST')).toEqual({ written: 1, skipped: 0 });
    expect(await fetchJson(first, '/read?id=7')).toEqual({ event: '1618221600000000', x: 0.25 });
    expect(await fetchJson(first, '/read?id=8')).toEqual({ event: null, x: null });
  } finally {
    await first.dispose();
  }
  const second = await startWorker(persist);
  try {
    expect(await fetchJson(second, '/read?id=7')).toEqual({ event: '1618221600000000', x: 0.25 });
  } finally {
    await second.dispose();
  }
});

it('refuses a whole batch when one key is longer than Workers KV allows, before any put', async () => {
  const mf = await startWorker();
  try {
    // 'x' * 300 hex-encodes to over 600 bytes; KV's limit is 512. The valid first row must not be written either.
    const { error, event } = (await fetchJson(mf, '/long-key', 'POST')) as { error: string | null; event: string | null };
    expect(error).toMatch(/keys\[1\]: the KV key is \d+ bytes, over Workers KV's 512/);
    expect(event).toBeNull();
  } finally {
    await mf.dispose();
  }
});
