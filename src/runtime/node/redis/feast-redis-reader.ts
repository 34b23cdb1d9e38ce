import { ErrorReply } from 'redis';
import { feastTimestampField } from '../../../feast/redis-layout.js';
import type { DecodeValueOptions } from '../../../feast/value-proto.js';
import type { OnlineReadResult } from '../../../online/online-store.js';
import type { FeastRedisConnection } from './feast-redis-connection.js';
import { FeastDumpRowReader } from './feast-redis-dump-row.js';
import { decodeFeastRows, type FeastRowsTarget } from './feast-redis-reply.js';
import { keySlot } from './key-slot.js';
import type { RedisConnector } from './redis-connection.js';

/** How reads fetch hashes: see FeastRedisOnlineStoreOptions.reads. */
export type FeastRedisReads = 'dump' | 'script';

/** Commands in flight per await: bounds the memory of a huge read (node-redis pipelines what one tick sends). */
const CHUNK = 5000;
/** Values (keys x fields) one read script returns at most: Redis serves no one else while a script runs. */
const VALUES_PER_SCRIPT = 25_000;
/** Read plans kept per store (see #plan). */
const READ_PLANS = 1024;
/** Hashes holding more than this many fields per field read are read by script: DUMP would fetch mostly other views' fields. */
const WIDE = 8;
/** Keys one DUMP_KEYS call reads at most: Redis serves no one else while a script runs (about 2 µs a key). */
const DUMPS_PER_CALL = 100;

/** One view and feature list: its fields (`_ts:<view>` first), and how a DUMP read finds them. */
interface ReadPlan {
  readonly fields: Buffer[];
  readonly dumpReader: FeastDumpRowReader;
  /** Its hashes hold mostly other views' fields: read by script. */
  wide: boolean;
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const isCrossSlot = (error: unknown) => error instanceof Error && error.message.includes('CROSSSLOT');

/**
 * The Feast-layout store's reads. Each hash is asked for whole with DUMP (a few µs of
 * Redis' time a key, one bulk string back) and the requested fields are found in it
 * here (redis-dump.ts, feast-redis-dump-row.ts). On one server DUMP_KEYS dumps up to
 * DUMPS_PER_CALL keys in one call, since node-redis spends more per command than the
 * whole DUMP costs; on a cluster each key is its own DUMP (keys of many slots). Rows
 * whose DUMP comes back in a form not read here (Redis 6's ziplist, say) or is refused
 * go to READ_FEAST_ROWS, a script that HMGETs many keys and answers one packed string,
 * and so does every later read of that store; so do views whose hashes mostly hold
 * other views' fields. Either way each key is read by one command, atomically.
 */
export class FeastRedisReader {
  readonly #connector: RedisConnector<FeastRedisConnection>;
  readonly #decode: DecodeValueOptions;
  readonly #field: (view: string, feature: string) => Buffer;
  readonly #plans = new Map<string, ReadPlan>();
  #reads: FeastRedisReads;
  /** The server refused keys of several slots in one call (CROSSSLOT): a proxy in front of a sharded Redis. */
  #crossSlot = false;

  constructor(
    connector: RedisConnector<FeastRedisConnection>,
    options: { reads: FeastRedisReads; decode: DecodeValueOptions; field: (view: string, feature: string) => Buffer },
  ) {
    this.#connector = connector;
    this.#reads = options.reads;
    this.#decode = options.decode;
    this.#field = options.field;
  }

  /** How reads fetch hashes now: 'script' from the first DUMP the server refused or answered in a form not read here. */
  get reads(): FeastRedisReads {
    return this.#reads;
  }

  /** What a read of these features of this view needs, computed once per view and feature list. */
  #plan(view: string, features: readonly string[]): ReadPlan {
    const id = `${view}\u0000${features.join('\u0000')}`;
    let plan = this.#plans.get(id);
    if (!plan) {
      // A server asks for a few lists over and over; a caller that asks for endless new ones does not grow this without bound.
      if (this.#plans.size >= READ_PLANS) this.#plans.clear();
      const fields = [asBuffer(feastTimestampField(view)), ...features.map((f) => this.#field(view, f))];
      plan = { fields, dumpReader: new FeastDumpRowReader(fields), wide: false };
      this.#plans.set(id, plan);
    }
    return plan;
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const plan = this.#plan(view, features);
    const target: FeastRowsTarget = {
      eventTimestamps: new Array<bigint | null>(keys.length).fill(null),
      columns: features.map(() => new Array<unknown>(keys.length).fill(null)),
    };
    if (keys.length > 0) {
      const connection = await this.#connector.connection();
      const redisKeys = feastRedisKeys(keys, project);
      try {
        await this.#readAll(connection, plan, redisKeys, target);
      } catch (error) {
        // One endpoint in front of shards takes a call's keys only from one slot: read again a slot per call.
        if (this.#bySlot(connection) || !isCrossSlot(error)) throw error;
        this.#crossSlot = true;
        await this.#readAll(connection, plan, redisKeys, target);
      }
    }
    const values: Record<string, unknown[]> = {};
    features.forEach((f, index) => {
      values[f] = target.columns[index];
    });
    return { eventTimestamps: target.eventTimestamps, values };
  }

  async #readAll(connection: FeastRedisConnection, plan: ReadPlan, redisKeys: readonly Buffer[], target: FeastRowsTarget): Promise<void> {
    const rest = this.#reads === 'dump' && !plan.wide ? await this.#readDumps(connection, plan, redisKeys, target) : redisKeys.map((_, row) => row);
    if (rest.length > 0) await this.#readScripts(connection, plan.fields, redisKeys, rest, target);
  }

  /** Reads rows by DUMP; answers the rows left for the script. */
  async #readDumps(connection: FeastRedisConnection, plan: ReadPlan, redisKeys: readonly Buffer[], target: FeastRowsTarget): Promise<number[]> {
    const rest: number[] = [];
    let pairs = 0;
    const decode = (payload: Buffer | null | ErrorReply, row: number) => {
      // No key at all: NOT_FOUND, as HMGET's nulls are.
      if (payload === null) return;
      // A server that refuses DUMP (renamed, or an ACL without it) answers an error: that row goes to the script.
      const count = payload instanceof ErrorReply ? undefined : plan.dumpReader.read(payload, target, row, this.#decode);
      if (count === undefined) rest.push(row);
      else pairs += count;
    };
    const bySlot = this.#bySlot(connection);
    for (let start = 0; start < redisKeys.length; start += CHUNK) {
      const end = Math.min(start + CHUNK, redisKeys.length);
      const calls: Promise<void>[] = [];
      // Each call's rows are decoded as soon as its reply is in, while Redis works on the next call.
      for (let first = start; first < end; first += bySlot ? 1 : DUMPS_PER_CALL) {
        const keys = redisKeys.slice(first, bySlot ? first + 1 : Math.min(first + DUMPS_PER_CALL, end));
        const call = bySlot ? connection.dump(keys[0]).then((payload) => [payload]) : connection.dumpKeys(keys);
        calls.push(
          call.then(
            (payloads) => payloads.forEach((payload, i) => decode(payload, first + i)),
            // CROSSSLOT is not a refusal: read() reads again a slot per call.
            (error) => (error instanceof ErrorReply && !isCrossSlot(error) ? keys.forEach((_, i) => decode(error, first + i)) : Promise.reject(error)),
          ),
        );
      }
      await this.#connector.run('read', connection, () => Promise.all(calls));
    }
    if (rest.length > 0) this.#reads = 'script';
    if (pairs > WIDE * plan.fields.length * redisKeys.length) plan.wide = true;
    return rest;
  }

  /** Keys go one slot per call on a cluster, and on a server that answered CROSSSLOT (a proxy in front of shards). */
  #bySlot(connection: FeastRedisConnection): boolean {
    return connection.cluster || this.#crossSlot;
  }

  /** Reads the given rows with READ_FEAST_ROWS: one call per slot and VALUES_PER_SCRIPT values. */
  async #readScripts(
    connection: FeastRedisConnection,
    fields: readonly Buffer[],
    redisKeys: readonly Buffer[],
    rows: readonly number[],
    target: FeastRowsTarget,
  ): Promise<void> {
    const calls = scriptCalls(redisKeys, rows, this.#bySlot(connection), Math.max(1, Math.floor(VALUES_PER_SCRIPT / fields.length)));
    for (let start = 0; start < calls.length; ) {
      // A round is up to CHUNK keys in flight, as for writes.
      let end = start;
      for (let size = 0; end < calls.length && (end === start || size + calls[end].keys.length <= CHUNK); end++) size += calls[end].keys.length;
      const round = calls.slice(start, end);
      const replies = await this.#connector.run('read', connection, () => Promise.all(round.map((call) => connection.readRows(call.keys, fields))));
      round.forEach((call, i) => {
        decodeFeastRows(replies[i], call.rows, fields.length, target, this.#decode);
      });
      start = end;
    }
  }
}

/**
 * feastRedisKey of every key (`<serialized entity key><project>`), as Buffers over one
 * allocation: a read builds a hundred keys, and an array, an encoding of the project
 * and a Buffer wrapper each cost more than copying their bytes.
 */
export function feastRedisKeys(keys: readonly Uint8Array[], project: string): Buffer[] {
  const suffix = Buffer.from(project);
  let total = 0;
  for (const key of keys) total += key.length + suffix.length;
  const all = Buffer.allocUnsafeSlow(total);
  const out = new Array<Buffer>(keys.length);
  let at = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    all.set(key, at);
    all.set(suffix, at + key.length);
    const end = at + key.length + suffix.length;
    out[i] = all.subarray(at, end);
    at = end;
  }
  return out;
}

/** The script calls that read `rows`: in order (one server) or by slot (a cluster, where one call may only name one slot's keys), at most `perCall` keys each. */
function scriptCalls(keys: readonly Buffer[], rows: readonly number[], cluster: boolean, perCall: number): { keys: Buffer[]; rows: number[] }[] {
  const calls: { keys: Buffer[]; rows: number[] }[] = [];
  if (!cluster) {
    for (let start = 0; start < rows.length; start += perCall) {
      const part = rows.slice(start, start + perCall);
      calls.push({ keys: part.map((row) => keys[row]), rows: part });
    }
    return calls;
  }
  const open = new Map<number, { keys: Buffer[]; rows: number[] }>();
  for (const row of rows) {
    const slot = keySlot(keys[row]);
    let call = open.get(slot);
    if (!call || call.keys.length >= perCall) {
      call = { keys: [], rows: [] };
      open.set(slot, call);
      calls.push(call);
    }
    call.keys.push(keys[row]);
    call.rows.push(row);
  }
  return calls;
}
