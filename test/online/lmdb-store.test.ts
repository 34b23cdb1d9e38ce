import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { LmdbOnlineStore } from '../../src/runtime/node/lmdb-online-store.js';
import { runOnlineStoreContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'feast-edge-lmdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runOnlineStoreContract('LMDB', async () => new LmdbOnlineStore(join(dir, 'online.lmdb')));
