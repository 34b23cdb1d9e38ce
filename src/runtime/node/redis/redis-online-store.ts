import { InvalidOnlineStoreConfig, OnlineStoreRowError } from '../../../errors.js';
import { entityKeyToString } from '../../../online/entity-key.js';
import { newestRows } from '../../../online/newest-rows.js';
import { assertValidBatch, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../../../online/online-store.js';
import { decodeOnlineRow, type StoredOnlineRow } from '../../../online/row-codec.js';
import { RedisConnector, type RedisConnectionOptions } from './redis-connection.js';
import { isWrongType, rowConnectionFor, type RowConnection } from './redis-row-connection.js';
import { decodeRedisRowInto, encodeRedisRow, eventOf, isRedisRow, schemaIdOf } from './redis-row-format.js';
import { RedisSchemas } from './redis-schemas.js';

export type { RedisTarget } from './redis-connection.js';

export type RedisOnlineStoreOptions = RedisConnectionOptions & {
  /** Put before every key, to share one Redis between repos or apps. Default: none. */
  readonly keyPrefix?: string;
  /** Feast's `key_ttl_seconds`: a written row expires this long after its last write. Default: never. */
  readonly keyTtlSeconds?: number;
};

/** Commands in flight per await: node-redis pipelines a tick's commands; this bounds the memory of a huge batch. */
const CHUNK = 5000;

/** MATCH treats * ? [ ] \ as pattern syntax; a key prefix must match itself. */
const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * The online store in Redis, for serving from more than one machine. Keys are
 * `<keyPrefix><project>:<view>:<hex entity key>`, one string each: a row of
 * redis-row-format.ts, its values in the order of a schema (the view's feature names,
 * kept once per view at `<keyPrefix><project>:<view>` and named by an id in the row),
 * so a read decodes positions, not a map of 50 names per row. A read is one MGET (with
 * an EXISTS of the same keys in the same round trip, which tells a missing row from a
 * row of the layout before schema ids); a write is a single-key Lua script per key.
 * On Redis Cluster a read sends an MGET per slot. A batch is atomic per key, not as a
 * whole: a connection lost mid-batch can leave some keys written, and writing the batch
 * again is safe because the event-time rule makes it idempotent.
 * Rows of the layout before schema ids (a hash per key, MessagePack with the names) are
 * read by name and rewritten in this layout by that read, keeping their expiry.
 * Connects on first use; an unreachable server is an OnlineStoreConnectionError naming it.
 * @example const store = new RedisOnlineStore({ url: 'redis://localhost:6379/0', keyTtlSeconds: 86_400 });
 */
export class RedisOnlineStore implements OnlineStore {
  readonly name = 'redis';
  /** The server or root nodes, without credentials: what error messages name. */
  readonly address: string;
  readonly #prefix: string;
  readonly #ttl: string;
  readonly #connector: RedisConnector<RowConnection>;
  readonly #schemas: RedisSchemas;

  constructor(options: RedisOnlineStoreOptions) {
    const ttl = options.keyTtlSeconds ?? 0;
    if (!Number.isInteger(ttl) || ttl < 0) throw new InvalidOnlineStoreConfig(`redis keyTtlSeconds: expected a whole number of seconds >= 0, got ${ttl}`);
    this.#prefix = options.keyPrefix ?? '';
    this.#ttl = String(ttl);
    this.#connector = new RedisConnector(options, (socket, onError) => rowConnectionFor(options, socket, onError));
    this.address = this.#connector.address;
    const run = async <T>(operation: string, command: (connection: RowConnection) => Promise<T>) => {
      const connection = await this.#connector.connection();
      return this.#connector.run(operation, connection, () => command(connection));
    };
    this.#schemas = new RedisSchemas({
      load: (registryKey) => run('read schemas', (c) => c.schemas(registryKey)),
      register: (registryKey, schema) => run('register schema', (c) => c.registerSchema(registryKey, schema)),
    });
  }

  #key(project: string, view: string, key: Uint8Array): string {
    // Project and view names cannot contain ':', so one view's keys never match another's prefix.
    return `${this.#prefix}${project}:${view}:${entityKeyToString(key)}`;
  }

  /** Where a view's schemas are: outside its rows' `<project>:<view>:*`, so deleteView keeps them (ids never change meaning). */
  #registryKey(project: string, view: string): string {
    return `${this.#prefix}${project}:${view}`;
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    // One script call per key: duplicates in the batch go in as their newest row only,
    // since concurrent calls on one key could otherwise land in any order.
    const newest = newestRows(batch, (key) => this.#key(project, batch.view, key));
    if (newest.size === 0) return { written: 0, skipped: batch.keys.length };
    const names = Object.keys(batch.features);
    const columns = names.map((name) => batch.features[name]);
    const schemaId = await this.#schemas.idOf(this.#registryKey(project, batch.view), names);
    // Every row is encoded before the first row is sent, so a value the codec refuses writes no row.
    const values = new Array<unknown>(names.length);
    const rows = [...newest].map(([redisKey, i]) => {
      for (let f = 0; f < columns.length; f++) values[f] = columns[f][i] ?? null;
      return { redisKey, row: encodeRedisRow(batch.eventTimestamps[i], batch.createdTimestamps?.[i] ?? null, schemaId, values) };
    });
    const connection = await this.#connector.connection();
    let written = 0;
    for (let start = 0; start < rows.length; start += CHUNK) {
      const replies = await this.#connector.run('write', connection, () =>
        Promise.all(rows.slice(start, start + CHUNK).map((row) => connection.writeRow(row.redisKey, row.row, this.#ttl))),
      );
      for (const reply of replies) written += Number(reply);
    }
    return { written, skipped: batch.keys.length - written };
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const connection = await this.#connector.connection();
    const redisKeys = keys.map((key) => this.#key(project, view, key));
    const rows: (Buffer | null)[] = [];
    const suspects: number[] = [];
    for (let start = 0; start < redisKeys.length; start += CHUNK) {
      const read = await this.#connector.run('read', connection, () => connection.getRows(redisKeys.slice(start, start + CHUNK)));
      rows.push(...read.rows);
      for (const at of read.suspects) suspects.push(start + at);
    }
    const registryKey = this.#registryKey(project, view);
    const eventTimestamps = new Array<bigint | null>(keys.length).fill(null);
    const columns = features.map(() => new Array<unknown>(keys.length).fill(null));
    if (suspects.length > 0) await this.#readOldRows(connection, registryKey, redisKeys, suspects, rows, features, eventTimestamps, columns);
    const ids = new Set<number>();
    rows.forEach((row, i) => {
      if (!row || eventTimestamps[i] !== null) return;
      if (!isRedisRow(row)) throw unreadable(redisKeys[i], `${row.length} bytes are not a row`);
      ids.add(schemaIdOf(row));
    });
    if (ids.size > 0 && !(await this.#schemas.ensure(registryKey, ids))) {
      throw unreadable(registryKey, `the view's list of schemas lacks an id its rows name (${[...ids].join(', ')})`);
    }
    const positions = new Map<number, number[]>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!row || eventTimestamps[i] !== null) continue;
      const id = schemaIdOf(row);
      let at = positions.get(id);
      if (!at) positions.set(id, (at = this.#schemas.positions(registryKey, id, features)));
      if (!decodeWhole(() => decodeRedisRowInto(row, this.#schemas.names(registryKey, id).length, at, columns, i))) {
        throw unreadable(redisKeys[i], `its values do not match schema ${id} of ${registryKey}`);
      }
      eventTimestamps[i] = eventOf(row);
    }
    const values: Record<string, unknown[]> = {};
    features.forEach((f, p) => {
      values[f] = columns[p];
    });
    return { eventTimestamps, values };
  }

  /**
   * Keys MGET answered null for that exist: rows of the layout before schema ids, read by
   * name and rewritten in this layout, or rows written since the MGET, read again.
   */
  async #readOldRows(
    connection: RowConnection,
    registryKey: string,
    redisKeys: readonly string[],
    suspects: readonly number[],
    rows: (Buffer | null)[],
    features: readonly string[],
    eventTimestamps: (bigint | null)[],
    columns: unknown[][],
  ): Promise<void> {
    const found = await this.#connector.run('read', connection, () =>
      Promise.all(
        suspects.map((i) =>
          connection.hGetPayload(redisKeys[i]).then(
            (old) => ({ old }),
            async (error) => {
              if (!isWrongType(error)) throw error;
              return { row: await connection.get(redisKeys[i]) };
            },
          ),
        ),
      ),
    );
    const migrations: { key: string; row: Buffer; old: Buffer }[] = [];
    for (let s = 0; s < suspects.length; s++) {
      const i = suspects[s];
      const result = found[s];
      if ('row' in result) {
        rows[i] = result.row;
        continue;
      }
      if (!result.old) continue;
      const old = decodeOldRow(result.old);
      if (!old) throw unreadable(redisKeys[i], 'its hash holds no row of the layout before schema ids');
      eventTimestamps[i] = old.event;
      features.forEach((f, p) => {
        columns[p][i] = old.values[f] ?? null;
      });
      const names = Object.keys(old.values);
      const id = await this.#schemas.idOf(registryKey, names);
      const row = encodeRedisRow(
        old.event,
        old.created,
        id,
        names.map((name) => old.values[name] ?? null),
      );
      migrations.push({ key: redisKeys[i], row, old: result.old });
    }
    await this.#connector.run('migrate rows', connection, () => Promise.all(migrations.map((m) => connection.migrateRow(m.key, m.row, m.old))));
  }

  async deleteView(project: string, view: string): Promise<void> {
    const connection = await this.#connector.connection();
    const match = `${escapeGlob(`${this.#prefix}${project}:${view}:`)}*`;
    const pages = connection.scan(match)[Symbol.asyncIterator]();
    for (;;) {
      const page = await this.#connector.run('deleteView', connection, () => pages.next());
      if (page.done) break;
      // UNLINK one key per command (pipelined): a multi-key UNLINK fails across slots on a cluster.
      await this.#connector.run('deleteView', connection, () => Promise.all(page.value.map((key) => connection.unlink(key))));
    }
  }

  /** For /health: resolves when Redis answers now, fails fast while it is down. */
  checkHealth(): Promise<void> {
    return this.#connector.checkHealth();
  }

  close(): Promise<void> {
    return this.#connector.close();
  }
}

const unreadable = (key: string, why: string) =>
  new OnlineStoreRowError(`Redis key ${key} cannot be read as an online row: ${why}; materialize the view again to rewrite it`);

/** Whether decoding succeeded: bytes that do not parse are refused as a row, never passed on as a MessagePack error. */
function decodeWhole(decode: () => boolean): boolean {
  try {
    return decode();
  } catch {
    return false;
  }
}

function decodeOldRow(bytes: Buffer): StoredOnlineRow | undefined {
  try {
    const row = decodeOnlineRow(bytes);
    return typeof row.values === 'object' && row.values !== null ? row : undefined;
  } catch {
    return undefined;
  }
}
