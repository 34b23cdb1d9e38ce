import type { RedisArgument } from 'redis';
import { InvalidOnlineStoreConfig } from '../../../errors.js';
import {
  feastCreatedField,
  feastCreatedValue,
  feastFeatureField,
  feastRedisKey,
  feastTimestampField,
  splitFeastRedisKey,
} from '../../../feast/redis-layout.js';
import { encodeTimestamp, timestampParts } from '../../../feast/timestamp-proto.js';
import { valueEncoder, type DecodeValueOptions } from '../../../feast/value-proto.js';
import { newestRows } from '../../../online/newest-rows.js';
import { assertValidBatch, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../../../online/online-store.js';
import { type FeastRedisConnection, feastRedisConnection } from './feast-redis-connection.js';
import { FeastRedisReader, type FeastRedisReads } from './feast-redis-reader.js';
import { RedisConnector, type RedisConnectionOptions } from './redis-connection.js';

export type FeastRedisOnlineStoreOptions = RedisConnectionOptions & {
  /** Feast's `key_ttl_seconds`: an entity's hash expires this long after its last write. Default: never. */
  readonly keyTtlSeconds?: number;
  /** Json values as Feast's stored text (default) or parsed; see DecodeValueOptions. */
  readonly json?: DecodeValueOptions['json'];
  /**
   * How reads fetch hashes. 'dump' (default): DUMP asks for each hash whole, in Redis'
   * own serialization, read here; a server that answers in a form feast-edge does not
   * read (before Redis 7) or refuses DUMP is read by script from then on. 'script': a
   * Lua script HMGETs the requested fields of many keys and answers them packed.
   */
  readonly reads?: FeastRedisReads;
};

/** Commands in flight per await: bounds the memory of a huge batch (node-redis pipelines what one tick sends). */
const CHUNK = 5000;

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
  readonly #connector: RedisConnector<FeastRedisConnection>;
  readonly #reader: FeastRedisReader;
  /** Field names by view and feature: a hash per name is worth computing once. */
  readonly #fields = new Map<string, Buffer>();
  /** Features written per project and view: what deleteView removes from hashes other views share. */
  readonly #written = new Map<string, Set<string>>();

  constructor(options: FeastRedisOnlineStoreOptions) {
    const ttl = options.keyTtlSeconds ?? 0;
    if (!Number.isInteger(ttl) || ttl < 0) throw new InvalidOnlineStoreConfig(`redis keyTtlSeconds: expected a whole number of seconds >= 0, got ${ttl}`);
    this.#ttl = String(ttl);
    const reads = options.reads ?? 'dump';
    if (reads !== 'dump' && reads !== 'script') throw new InvalidOnlineStoreConfig(`redis reads: expected 'dump' or 'script', got ${JSON.stringify(reads)}`);
    this.#connector = new RedisConnector(options, (socket, onError) => feastRedisConnection(options, socket, onError));
    this.#reader = new FeastRedisReader(this.#connector, {
      reads,
      decode: { json: options.json ?? 'text' },
      field: (view, feature) => this.#field(view, feature),
    });
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
    const newest = newestRows(batch);
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

  /*
   * A plain HMGET per key costs a RESP item and a Buffer per field in node-redis, and
   * Redis searches a small hash once per field: that was the time of a wide read. How
   * reads go instead is FeastRedisReader's.
   */
  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    return this.#reader.read(project, view, keys, features);
  }

  /** How reads fetch hashes now (see FeastRedisOnlineStoreOptions.reads): 'script' once the server refused a DUMP or answered one in a form not read here. */
  get reads(): FeastRedisReads {
    return this.#reader.reads;
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

  /** For /health: resolves when Redis answers now, fails fast while it is down. */
  checkHealth(): Promise<void> {
    return this.#connector.checkHealth();
  }

  close(): Promise<void> {
    return this.#connector.close();
  }
}
