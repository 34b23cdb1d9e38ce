import { createClient, createCluster, RESP_TYPES, type RedisArgument } from 'redis';
import { InvalidOnlineStoreConfig } from '../../../errors.js';
import {
  feastCreatedField,
  feastCreatedValue,
  feastFeatureField,
  feastRedisKey,
  feastTimestampField,
  splitFeastRedisKey,
} from '../../../feast/redis-layout.js';
import { decodeTimestamp, encodeTimestamp, timestampParts } from '../../../feast/timestamp-proto.js';
import { decodeValue, valueEncoder, type DecodeValueOptions } from '../../../feast/value-proto.js';
import { entityKeyId } from '../../../online/entity-key.js';
import { assertValidBatch, isNotOlder, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../../../online/online-store.js';
import { DELETE_FEAST_VIEW, WRITE_FEAST_ROW } from './feast-redis-scripts.js';
import { clientOptionsOf, RedisConnector, type RedisConnectionOptions, type SocketDefaults } from './redis-connection.js';

export type FeastRedisOnlineStoreOptions = RedisConnectionOptions & {
  /** Feast's `key_ttl_seconds`: an entity's hash expires this long after its last write. Default: never. */
  readonly keyTtlSeconds?: number;
  /** Json values as Feast's stored text (default) or parsed; see DecodeValueOptions. */
  readonly json?: DecodeValueOptions['json'];
};

const SCRIPTS = { writeFeastRow: WRITE_FEAST_ROW, deleteFeastView: DELETE_FEAST_VIEW };
const BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer };
/** Commands in flight per await: bounds the memory of a huge batch (node-redis pipelines what one tick sends). */
const CHUNK = 5000;
/** Per-command timeouts off: each round of CHUNK commands is bounded instead (see RedisOnlineStore). */
const NO_COMMAND_TIMEOUT = { timeout: undefined };

interface Connection {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  hmGet(key: Buffer, fields: readonly Buffer[]): Promise<(Buffer | null)[]>;
  writeRow(key: Buffer, args: readonly RedisArgument[]): Promise<number>;
  deleteView(key: Buffer, fields: readonly Buffer[]): Promise<number>;
  /** SCAN on every master: keys live on the node that owns their slot. */
  scan(match: string): AsyncIterable<Buffer[]>;
  destroy(): void;
  close(): Promise<void>;
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * The online store in Redis, in Feast's own layout, so Feast and feast-edge share one
 * Redis: what Feast materializes, feast-edge serves, and the other way round. One hash
 * per entity key and project (`<serialized entity key><project>`), shared by the views
 * keyed by the same entities; a feature's field is the MurmurHash3 of
 * `<view>:<feature>` holding a serialized feast.types.Value, and `_ts:<view>` the
 * event time as a google.protobuf.Timestamp (src/feast/redis-layout.ts).
 *
 * Writes keep feast-edge's event-time rule atomically per key (a Lua script): an older
 * event never replaces a newer, as in Feast's Redis store, and an equal event goes to
 * the newer created time, kept in one extra field `_created_ts:<view>` that Feast does
 * not read (Feast skips every equal event instead). A key whose `_ts:<view>` is absent
 * reads as NOT_FOUND (a null event time), where Feast answers PRESENT with nulls.
 * @example const store = new FeastRedisOnlineStore({ url: 'redis://localhost:6379', keyTtlSeconds: 86_400 });
 */
export class FeastRedisOnlineStore implements OnlineStore {
  readonly name = 'feast-redis';
  /** The server or root nodes, without credentials: what error messages name. */
  readonly address: string;
  readonly #ttl: string;
  readonly #decode: DecodeValueOptions;
  readonly #connector: RedisConnector<Connection>;
  /** Field names by view and feature: a hash per name is worth computing once. */
  readonly #fields = new Map<string, Buffer>();
  /** Features written per project and view: what deleteView removes from hashes other views share. */
  readonly #written = new Map<string, Set<string>>();

  constructor(options: FeastRedisOnlineStoreOptions) {
    const ttl = options.keyTtlSeconds ?? 0;
    if (!Number.isInteger(ttl) || ttl < 0) throw new InvalidOnlineStoreConfig(`redis keyTtlSeconds: expected a whole number of seconds >= 0, got ${ttl}`);
    this.#ttl = String(ttl);
    this.#decode = { json: options.json ?? 'text' };
    this.#connector = new RedisConnector(options, (socket, onError) => connectionFor(options, socket, onError));
    this.address = this.#connector.address;
  }

  #field(view: string, feature: string): Buffer {
    const id = `${view}\u0000${feature}`;
    let field = this.#fields.get(id);
    if (!field) this.#fields.set(id, (field = asBuffer(feastFeatureField(view, feature))));
    return field;
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    const { view } = batch;
    // One script call per key: duplicates in the batch go in as their newest row only.
    const newest = new Map<string, number>();
    batch.keys.forEach((key, i) => {
      const id = entityKeyId(key);
      const best = newest.get(id);
      if (
        best === undefined ||
        isNotOlder(batch.eventTimestamps[i], batch.createdTimestamps?.[i] ?? null, batch.eventTimestamps[best], batch.createdTimestamps?.[best] ?? null)
      )
        newest.set(id, i);
    });
    // Everything is encoded before the first command, so a value the encoder refuses writes nothing.
    const names = Object.keys(batch.features);
    const columns = names.map((name) => ({
      field: this.#field(view, name),
      values: batch.features[name],
      encode: valueEncoder(batch.featureTypes?.[name], `write to '${view}': ${name}`),
    }));
    const tsField = asBuffer(feastTimestampField(view));
    const createdField = asBuffer(feastCreatedField(view));
    const rows = [...newest.values()].map((i) => {
      const event = timestampParts(batch.eventTimestamps[i]);
      const eventBytes = encodeTimestamp(batch.eventTimestamps[i]);
      const created = batch.createdTimestamps?.[i] ?? null;
      const createdParts = created === null ? null : timestampParts(created);
      const args: RedisArgument[] = [
        tsField,
        createdField,
        String(event.seconds),
        String(event.nanos),
        createdParts ? String(createdParts.seconds) : '',
        createdParts ? String(createdParts.nanos) : '',
        asBuffer(eventBytes),
        created === null ? '' : asBuffer(feastCreatedValue(eventBytes, created)),
        this.#ttl,
      ];
      for (const column of columns) args.push(column.field, asBuffer(column.encode(column.values[i], i)));
      return { key: asBuffer(feastRedisKey(batch.keys[i], project)), args };
    });
    let seen = this.#written.get(`${project}\u0000${view}`);
    if (!seen) this.#written.set(`${project}\u0000${view}`, (seen = new Set()));
    for (const name of names) seen.add(name);
    if (rows.length === 0) return { written: 0, skipped: batch.keys.length };
    const connection = await this.#connector.connection();
    let written = 0;
    for (let start = 0; start < rows.length; start += CHUNK) {
      const replies = await this.#connector.run('write', connection, () =>
        Promise.all(rows.slice(start, start + CHUNK).map((row) => connection.writeRow(row.key, row.args))),
      );
      for (const reply of replies) written += Number(reply);
    }
    return { written, skipped: batch.keys.length - written };
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const fields = [asBuffer(feastTimestampField(view)), ...features.map((f) => this.#field(view, f))];
    const connection = await this.#connector.connection();
    const replies: (Buffer | null)[][] = [];
    for (let start = 0; start < keys.length; start += CHUNK) {
      replies.push(
        ...(await this.#connector.run('read', connection, () =>
          Promise.all(keys.slice(start, start + CHUNK).map((key) => connection.hmGet(asBuffer(feastRedisKey(key, project)), fields))),
        )),
      );
    }
    const eventTimestamps = new Array<bigint | null>(keys.length);
    const columns = features.map(() => new Array<unknown>(keys.length).fill(null));
    for (let i = 0; i < keys.length; i++) {
      const reply = replies[i];
      const ts = reply[0];
      // No `_ts:<view>`: the view never wrote this key (Feast would answer PRESENT with nulls).
      if (ts === null) {
        eventTimestamps[i] = null;
        continue;
      }
      eventTimestamps[i] = decodeTimestamp(ts);
      for (let f = 0; f < features.length; f++) {
        const bytes = reply[f + 1];
        if (bytes) columns[f][i] = decodeValue(bytes, this.#decode);
      }
    }
    const values: Record<string, unknown[]> = {};
    features.forEach((f, index) => {
      values[f] = columns[index];
    });
    return { eventTimestamps, values };
  }

  /**
   * Removes the view from every entity hash of the project, as Feast's delete_table:
   * a hash no other view uses goes whole; from a shared hash go `_ts:<view>`, the
   * created field and the features this store wrote to the view (fields of features it
   * never wrote stay, unread, since reads need `_ts:<view>`).
   */
  async deleteView(project: string, view: string): Promise<void> {
    const fields = [
      asBuffer(feastTimestampField(view)),
      asBuffer(feastCreatedField(view)),
      ...[...(this.#written.get(`${project}\u0000${view}`) ?? [])].map((f) => this.#field(view, f)),
    ];
    const connection = await this.#connector.connection();
    // Project names are letters, digits and '_': nothing in them is glob syntax.
    const pages = connection.scan(`*${project}`)[Symbol.asyncIterator]();
    for (;;) {
      const page = await this.#connector.run('deleteView', connection, () => pages.next());
      if (page.done) break;
      const ours = page.value.filter((key) => splitFeastRedisKey(key)?.project === project);
      await this.#connector.run('deleteView', connection, () => Promise.all(ours.map((key) => connection.deleteView(key, fields))));
    }
    this.#written.delete(`${project}\u0000${view}`);
  }

  close(): Promise<void> {
    return this.#connector.close();
  }
}

function connectionFor(options: FeastRedisOnlineStoreOptions, socket: SocketDefaults, onError: (error: Error) => void): Connection {
  const target = clientOptionsOf(options, socket);
  if (!target.cluster) {
    const client = createClient({ url: target.url, socket: target.socket, scripts: SCRIPTS, commandOptions: NO_COMMAND_TIMEOUT });
    // Without a listener an 'error' event (a refused or dropped connection) would crash the process.
    client.on('error', onError);
    const buffers = client.withTypeMapping(BUFFERS);
    return {
      get isOpen() {
        return client.isOpen;
      },
      get isReady() {
        return client.isReady;
      },
      connect: () => client.connect(),
      hmGet: (key, fields) => buffers.hmGet(key, fields as Buffer[]) as Promise<(Buffer | null)[]>,
      writeRow: (key, args) => client.writeFeastRow(key, args),
      deleteView: (key, fields) => client.deleteFeastView(key, fields),
      scan: (match) => buffers.scanIterator({ MATCH: match, COUNT: 1000 }) as AsyncIterable<Buffer[]>,
      destroy: () => client.destroy(),
      close: () => client.close(),
    };
  }
  const cluster = createCluster({ rootNodes: target.rootNodes, defaults: target.defaults, commandOptions: NO_COMMAND_TIMEOUT, scripts: SCRIPTS });
  cluster.on('error', onError);
  const buffers = cluster.withTypeMapping(BUFFERS);
  return {
    get isOpen() {
      return cluster.isOpen;
    },
    get isReady() {
      return cluster.isReady;
    },
    connect: () => cluster.connect(),
    hmGet: (key, fields) => buffers.hmGet(key, fields as Buffer[]) as Promise<(Buffer | null)[]>,
    writeRow: (key, args) => cluster.writeFeastRow(key, args),
    deleteView: (key, fields) => cluster.deleteFeastView(key, fields),
    async *scan(match) {
      for (const master of cluster.masters) {
        const client = (await cluster.nodeClient(master)).withTypeMapping(BUFFERS);
        yield* client.scanIterator({ MATCH: match, COUNT: 1000 }) as AsyncIterable<Buffer[]>;
      }
    },
    destroy: () => cluster.destroy(),
    close: () => cluster.close(),
  };
}
