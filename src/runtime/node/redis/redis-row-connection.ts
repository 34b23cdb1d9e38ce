import { keySlot } from './key-slot.js';
import { connectionOver, openRedisClient } from './redis-client.js';
import type { RedisTarget, SocketDefaults } from './redis-connection.js';
import { ROW_SCRIPTS } from './redis-row-scripts.js';

/** What one read of row keys found. */
export interface RowsRead {
  /** Each key's row (a string of redis-row-format.ts), null where MGET found none. */
  readonly rows: (Buffer | null)[];
  /**
   * Keys that answered null but exist: rows of the layout before schema ids (hashes,
   * which MGET answers null for), or keys written between the two commands.
   */
  readonly suspects: number[];
}

/** The few commands the own-layout store needs, the same for one server and for a cluster. */
export interface RowConnection {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  getRows(keys: readonly string[]): Promise<RowsRead>;
  get(key: string): Promise<Buffer | null>;
  /** The payload `v` of a row in the layout before schema ids. */
  hGetPayload(key: string): Promise<Buffer | null>;
  writeRow(key: string, row: Buffer, ttl: string): Promise<number>;
  migrateRow(key: string, row: Buffer, old: Buffer): Promise<number>;
  schemas(registryKey: string): Promise<string[]>;
  registerSchema(registryKey: string, schema: string): Promise<number>;
  unlink(key: string): Promise<number>;
  /** SCAN on every master: keys live on the node that owns their slot. */
  scan(match: string): AsyncIterable<string[]>;
  destroy(): void;
  close(): Promise<void>;
}

/** A command refused because the key holds another type (a hash of the layout before schema ids). */
export const isWrongType = (error: unknown) => error instanceof Error && error.message.startsWith('WRONGTYPE');

/** One key: a GET, which refuses a hash outright (WRONGTYPE), so no EXISTS is needed. */
async function getOne(buffers: { get(key: string): Promise<unknown> }, key: string): Promise<RowsRead> {
  try {
    return { rows: [(await buffers.get(key)) as Buffer | null], suspects: [] };
  } catch (error) {
    if (!isWrongType(error)) throw error;
    return { rows: [null], suspects: [0] };
  }
}

/** MGET and EXISTS of the same keys, sent in one tick: one round trip. */
async function mGetChecked(
  mGet: (keys: string[]) => Promise<unknown>,
  exists: (keys: string[]) => Promise<number>,
  keys: string[],
): Promise<{ rows: (Buffer | null)[]; suspect: boolean }> {
  const [rows, present] = await Promise.all([mGet(keys) as Promise<(Buffer | null)[]>, exists(keys)]);
  let found = 0;
  for (const row of rows) if (row) found++;
  return { rows, suspect: present > found };
}

export function rowConnectionFor(target: RedisTarget, socket: SocketDefaults, onError: (error: Error) => void): RowConnection {
  const opened = openRedisClient(target, socket, ROW_SCRIPTS, onError);
  const { commands, buffers } = opened;
  const mGet = (keys: string[]) => buffers.mGet(keys);
  const exists = (keys: string[]) => commands.exists(keys);
  return connectionOver<RowConnection>(opened, {
    async getRows(keys) {
      if (!opened.cluster) {
        if (keys.length === 1) return getOne(buffers, keys[0]);
        // One server: every key in one MGET, whatever its slot.
        const { rows, suspect } = await mGetChecked(mGet, exists, [...keys]);
        return { rows, suspects: suspect ? nullsOf(rows) : [] };
      }
      // A multi-key command names one slot's keys: an MGET per slot, a GET for a slot's only key.
      const slots = new Map<number, number[]>();
      keys.forEach((key, i) => {
        const slot = keySlot(Buffer.from(key));
        const rows = slots.get(slot);
        if (rows) rows.push(i);
        else slots.set(slot, [i]);
      });
      const rows = new Array<Buffer | null>(keys.length).fill(null);
      const suspects: number[] = [];
      await Promise.all(
        [...slots.values()].map(async (at) => {
          if (at.length === 1) {
            const one = await getOne(buffers, keys[at[0]]);
            rows[at[0]] = one.rows[0];
            if (one.suspects.length > 0) suspects.push(at[0]);
            return;
          }
          const read = await mGetChecked(
            mGet,
            exists,
            at.map((i) => keys[i]),
          );
          read.rows.forEach((row, j) => {
            rows[at[j]] = row;
            if (read.suspect && !row) suspects.push(at[j]);
          });
        }),
      );
      return { rows, suspects };
    },
    get: (key) => buffers.get(key) as Promise<Buffer | null>,
    hGetPayload: (key) => buffers.hGet(key, 'v') as Promise<Buffer | null>,
    writeRow: (key, row, ttl) => commands.writeRow(key, row, ttl),
    migrateRow: (key, row, old) => commands.migrateRow(key, row, old),
    schemas: (registryKey) => commands.lRange(registryKey, 0, -1),
    registerSchema: (registryKey, schema) => commands.registerSchema(registryKey, schema),
    unlink: (key) => commands.unlink(key),
    // Keys decoded as node-redis decodes a string reply (UTF-8), as unlink takes them.
    async *scan(match) {
      for await (const page of opened.scan(match)) yield page.map((key) => key.toString());
    },
  });
}

function nullsOf(rows: readonly (Buffer | null)[]): number[] {
  const at: number[] = [];
  rows.forEach((row, i) => {
    if (!row) at.push(i);
  });
  return at;
}
