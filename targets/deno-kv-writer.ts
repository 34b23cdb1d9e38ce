/**
 * The Deno half of `online_store: {type: deno_kv}` from Node: opens a Deno KV file and
 * serves DenoKvOnlineStore's write, read and deleteView to the Node process that spawned
 * it, over stdin/stdout as length-prefixed MessagePack frames (4 bytes big-endian, then
 * the frame). The Deno server (targets/deno.ts) reads the same keys and values.
 *   deno run --unstable-kv --allow-read=DIR --allow-write=DIR deno-kv-writer.js FILE
 */
import { Packr } from 'msgpackr/pack';
import { DenoKvOnlineStore, type DenoKvLike } from '../src/runtime/deno/deno-kv-online-store.js';
import type { OnlineWriteBatch } from '../src/online/online-store.js';

declare const Deno: {
  args: string[];
  openKv(path?: string): Promise<DenoKvLike>;
  stdin: { readable: AsyncIterable<Uint8Array> };
  stdout: { write(bytes: Uint8Array): Promise<number> };
};

type Request =
  | { op: 'write'; project: string; batch: OnlineWriteBatch }
  | { op: 'read'; project: string; view: string; keys: Uint8Array[]; features: string[] }
  | { op: 'deleteView'; project: string; view: string };

const packr = new Packr({ useRecords: false, int64AsType: 'bigint', mapsAsObjects: true });
const store = new DenoKvOnlineStore(await Deno.openKv(Deno.args[0]));

/** MessagePack gives small integers back as numbers; timestamps are bigint microseconds. */
const micros = (value: unknown) => (value === null || value === undefined ? null : BigInt(value as number | bigint));

async function answer(request: Request): Promise<unknown> {
  if (request.op === 'write') {
    const { batch } = request;
    return store.write(request.project, {
      ...batch,
      eventTimestamps: batch.eventTimestamps.map((t) => BigInt(t)),
      ...(batch.createdTimestamps ? { createdTimestamps: batch.createdTimestamps.map(micros) } : {}),
    });
  }
  if (request.op === 'read') return store.read(request.project, request.view, request.keys, request.features);
  if (request.op === 'deleteView') return store.deleteView(request.project, request.view).then(() => null);
  throw new Error(`unknown op ${JSON.stringify((request as { op: unknown }).op)}`);
}

async function send(message: unknown): Promise<void> {
  const body = packr.pack(message);
  const frame = new Uint8Array(4 + body.length);
  new DataView(frame.buffer).setUint32(0, body.length);
  frame.set(body, 4);
  for (let at = 0; at < frame.length; ) at += await Deno.stdout.write(frame.subarray(at));
}

/** Joins the chunks read so far once (not per chunk: a frame of 10,000 rows spans hundreds of chunks). */
function joined(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

let chunks: Uint8Array[] = [];
let total = 0;
let needed = 4;
for await (const chunk of Deno.stdin.readable) {
  chunks.push(chunk);
  total += chunk.length;
  while (total >= needed) {
    let pending = joined(chunks, total);
    const size = new DataView(pending.buffer, pending.byteOffset).getUint32(0);
    needed = 4 + size;
    chunks = [pending];
    if (total < needed) break;
    const request = packr.unpack(pending.subarray(4, needed)) as Request;
    pending = pending.slice(needed);
    chunks = pending.length > 0 ? [pending] : [];
    total = pending.length;
    needed = 4;
    try {
      await send({ ok: true, result: await answer(request) });
    } catch (error) {
      await send({ ok: false, name: (error as Error).name, message: (error as Error).message });
    }
  }
}
await store.close();
