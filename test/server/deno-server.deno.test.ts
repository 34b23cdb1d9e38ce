import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { killDenoServers, startDenoServer } from './deno-server-process.js';
import { runWireCases, wireCases } from './wire-cases.js';

// The Deno server (deno-server-process.ts) answering from Node over HTTP.
const dir = mkdtempSync(join(tmpdir(), 'feast-edge-deno-server-'));
afterAll(() => {
  killDenoServers();
  rmSync(dir, { recursive: true, force: true });
});

const startServer = (kvFile: string, registry?: string) => startDenoServer({ dir, kvFile, ...(registry ? { registry } : {}) });

it('answers every wire-format case as Feast does, served by Deno over Deno KV', async () => {
  const server = await startServer(join(dir, 'wire.kv'));
  try {
    const outcomes = await runWireCases((request) => fetch(request), server.origin);
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(outcomes).toHaveLength(wireCases.length);
  } finally {
    // SIGTERM: in-flight requests finish and the KV file is closed before the process exits.
    expect(await server.stop()).toBe(0);
  }
});

it('serves what an earlier server process wrote to the same KV file', async () => {
  const file = join(dir, 'persist.kv');
  const read = (origin: string) =>
    fetch(`${origin}/get-online-features`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ features: ['driver_hourly_stats:label'], entities: { driver_id: [7] } }),
    }).then((r) => r.json() as Promise<{ results: { values: unknown[] }[] }>);
  const first = await startServer(file);
  try {
    const written = await fetch(`${first.origin}/write-to-online-store`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        feature_view_name: 'driver_hourly_stats',
        df: {
          driver_id: [7],
          event_timestamp: ['2021-04-12T10:00:00Z'],
          conv_rate: [0.5],
          acc_rate: [0.5],
          avg_daily_trips: [3],
          label: ['kept'],
        },
      }),
    });
    expect(written.status).toBe(200);
    await written.arrayBuffer();
  } finally {
    await first.stop();
  }
  const second = await startServer(file);
  try {
    expect((await read(second.origin)).results[1].values).toEqual(['kept']);
  } finally {
    await second.stop();
  }
});

it("serves Feast's registry.db given as --registry (converted at startup): Feast's write case and the read after it", async () => {
  const fixture = fileURLToPath(new URL('../fixtures/feast/rich/', import.meta.url));
  const wire = readFileSync(join(fixture, 'wire.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { name: string; path: string; request_body: string; status: number; response_body: string });
  const feastCase = (name: string) => wire.find((c) => c.name === name)!;
  const server = await startServer(join(dir, 'feast-registry.kv'), join(fixture, 'registry.db'));
  try {
    const send = (c: { path: string; request_body: string }) =>
      fetch(`${server.origin}${c.path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: c.request_body });
    const write = feastCase('write_to_online_store');
    const written = await send(write);
    expect({ status: written.status, json: await written.json() }).toEqual({ status: write.status, json: JSON.parse(write.response_body) });
    const read = feastCase('get_after_write');
    const answer = (await (await send(read)).json()) as { metadata: { feature_names: string[] }; results: { values: unknown[] }[] };
    const feast = JSON.parse(read.response_body) as typeof answer;
    const values = (body: typeof answer) => Object.fromEntries(body.metadata.feature_names.map((name, i) => [name, body.results[i].values]));
    expect(values(answer)).toEqual(values(feast));
    const registry = (await (await fetch(`${server.origin}/registry`)).json()) as { project: { name: string } };
    expect(registry.project.name).toBe('rich');
  } finally {
    expect(await server.stop()).toBe(0);
  }
});
