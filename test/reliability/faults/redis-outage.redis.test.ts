/**
 * Issue 14, finding 11 (the Redis part) and the fault suite's Redis outage: redis-server
 * is SIGKILLed under load and started again on the same port (append-only file, fsync on
 * every write, so what it acknowledged survives). While it is down, every request must
 * answer a JSON 503 fast (well under the 10 s command timeout, which requests waited out
 * before) and /health must answer 503; once it is back, /health answers 200 and requests
 * succeed with the right values, without restarting the server. Both Redis layouts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OnlineStore } from '../../../src/online/online-store.js';
import { MemoryRegistryStore } from '../../../src/registry/memory-store.js';
import { FeastRedisOnlineStore } from '../../../src/runtime/node/redis/feast-redis-online-store.js';
import { RedisOnlineStore } from '../../../src/runtime/node/redis/redis-online-store.js';
import { startFeatureServer } from '../../../src/runtime/node/serve.js';
import { createFeatureStore } from '../../../src/store/feature-store.js';
import { freePort, redisCommand } from '../../support/redis-server.js';
import { systemBinary } from '../../support/system-binary.js';
import { FIXTURE_PROJECT, fixtureObjects } from '../../server/fixture-definitions.js';

const REDIS = systemBinary('redis-server', 'redis-server');
const DRIVERS = Array.from({ length: 8 }, (_, i) => i + 1);
/** Far below the 10 s command timeout: a request during the outage must not wait for Redis. */
const FAST_MS = 1500;
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A redis-server on `port` that keeps its data in `dir` (appendonly, fsync always): it comes back with what it acknowledged. */
async function startRedisAt(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(REDIS!, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if ((await redisCommand(port, ['PING']).catch(() => '')) === 'PONG') return child;
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const kill = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

interface Outcome {
  status: number;
  ms: number;
  json: boolean;
  type: string | null;
}

describe.skipIf(!REDIS)('Redis killed and restarted under load (issue 14, finding 11; fault suite)', () => {
  for (const [layout, open] of [
    ['feast-edge', (url: string): OnlineStore => new RedisOnlineStore({ url })],
    ['feast', (url: string): OnlineStore => new FeastRedisOnlineStore({ url })],
  ] as const) {
    it(`answers 503 fast while Redis is down, /health follows it, and values are right after the restart (${layout} layout)`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'feast-edge-redis-outage-'));
      dirs.push(dir);
      const port = await freePort();
      let redis = await startRedisAt(port, dir);
      const onlineStore = open(`redis://127.0.0.1:${port}`);
      const store = createFeatureStore({ project: FIXTURE_PROJECT, registry: new MemoryRegistryStore(), onlineStore });
      await store.apply(fixtureObjects);
      const server = await startFeatureServer(store, { port: 0, onServerError: () => {} });
      try {
        const send = async (path: string, body: unknown): Promise<Outcome & { body: unknown }> => {
          const started = performance.now();
          const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          const text = await response.text();
          const ms = performance.now() - started;
          const json = /^application\/json/.test(response.headers.get('content-type') ?? '');
          return { status: response.status, ms, json, type: response.headers.get('x-feast-edge-error'), body: text ? JSON.parse(text) : null };
        };
        /** The value each driver's last acknowledged write gave, and every value tried since (a write cut off mid-reply may have landed). */
        const acked = new Map<number, number>();
        const triedSince = new Map<number, Set<number>>();
        let counter = 0;
        const write = async (driver: number) => {
          const value = ++counter;
          triedSince.get(driver)?.add(value) ?? triedSince.set(driver, new Set([value]));
          const at = new Date(Date.UTC(2021, 0, 1) + value * 1000).toISOString();
          const answer = await send('/write-to-online-store', {
            feature_view_name: 'driver_hourly_stats',
            df: { driver_id: [driver], event_timestamp: [at], conv_rate: [value], acc_rate: [0.5], avg_daily_trips: [value], label: [`v${value}`] },
          });
          if (answer.status === 200) {
            acked.set(driver, value);
            triedSince.set(driver, new Set());
          }
          return answer;
        };
        const read = () => send('/get-online-features', { features: ['driver_hourly_stats:avg_daily_trips'], entities: { driver_id: DRIVERS } });
        const health = async () => (await fetch(`${server.url}/health`)).status;

        for (const driver of DRIVERS) expect((await write(driver)).status).toBe(200);
        expect(await health()).toBe(200);

        // Load: two writers and two readers, until told to stop.
        // 'restarting': from the restart until /health says 200, a request may meet Redis either way.
        type Phase = 'up' | 'down' | 'restarting' | 'back';
        let phase = 'up' as Phase;
        const outcomes: Record<Phase, Outcome[]> = { up: [], down: [], restarting: [], back: [] };
        let stop = false;
        const worker = async (kind: 'read' | 'write', offset: number) => {
          for (let i = offset; !stop; i++) {
            const current = phase;
            const outcome = kind === 'read' ? await read() : await write(DRIVERS[i % DRIVERS.length]);
            // Requests started in one phase and ended in another say nothing about either.
            if (phase === current) outcomes[current].push(outcome);
          }
        };
        const load = Promise.all([worker('write', 0), worker('write', 4), worker('read', 0), worker('read', 1)]);
        await new Promise((resolve) => setTimeout(resolve, 500));

        phase = 'down';
        await kill(redis);
        await new Promise((resolve) => setTimeout(resolve, 2500));
        const healthDown = await health();

        phase = 'restarting';
        redis = await startRedisAt(port, dir);
        // Back without a restart of the server: /health turns 200 once the client reconnects.
        const deadline = Date.now() + 15_000;
        while ((await health()) !== 200) {
          expect(Date.now(), 'health did not come back within 15 s').toBeLessThan(deadline);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        phase = 'back';
        await new Promise((resolve) => setTimeout(resolve, 1000));
        stop = true;
        await load;

        expect(healthDown).toBe(503);
        expect(outcomes.up.length).toBeGreaterThan(0);
        expect(outcomes.up.every((o) => o.status === 200)).toBe(true);
        // During the outage: JSON 503s naming the store's fault, each fast.
        const down = outcomes.down;
        expect(down.length).toBeGreaterThan(4);
        for (const o of down) {
          expect(o.status, JSON.stringify(o)).toBe(503);
          expect(o.json, JSON.stringify(o)).toBe(true);
          expect(o.type, JSON.stringify(o)).toBe('OnlineStoreConnectionError');
          expect(o.ms, JSON.stringify(o)).toBeLessThan(FAST_MS);
        }
        expect(outcomes.back.length).toBeGreaterThan(0);
        expect(outcomes.back.every((o) => o.status === 200)).toBe(true);

        // The values: each driver's last acknowledged write, or one tried after it whose reply was lost.
        const final = (await read()).body as { results: { values: unknown[] }[] };
        DRIVERS.forEach((driver, i) => {
          const value = final.results[1].values[i] as number;
          const allowed = new Set([acked.get(driver), ...(triedSince.get(driver) ?? [])]);
          expect(allowed.has(value), `driver ${driver}: ${value}, acked ${acked.get(driver)}`).toBe(true);
        });
      } finally {
        await server.close();
        await store.close();
        await kill(redis);
      }
    });
  }
});
