import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Packr } from 'msgpackr/pack';
import { ConfigurationError, InvalidOnlineWriteError, OnlineStoreConnectionError } from '../../errors.js';
import { assertValidBatch, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../../online/online-store.js';

const packr = new Packr({ useRecords: false, int64AsType: 'bigint', mapsAsObjects: true });

/** The deno binary: the `deno` npm package's (beside the repo or feast-edge), else `deno` on PATH. */
export function denoBinary(repoPath: string): string {
  for (const from of [join(repoPath, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      const exe = join(dirname(createRequire(from).resolve('deno/package.json')), process.platform === 'win32' ? 'deno.exe' : 'deno');
      if (existsSync(exe)) return exe;
    } catch {
      // Not installed there.
    }
  }
  return 'deno';
}

/** The Deno half (targets/deno-kv-writer.ts): built into dist in a package, the source in a clone. */
function writerScript(): { path: string; flags: string[] } {
  const here = fileURLToPath(import.meta.url);
  for (let dir = dirname(here); dirname(dir) !== dir; dir = dirname(dir)) {
    const built = join(dir, 'dist', 'deno-kv-writer.js');
    if (here.startsWith(join(dir, 'dist') + sep) && existsSync(built)) return { path: built, flags: [] };
    const source = join(dir, 'targets', 'deno-kv-writer.ts');
    if (existsSync(source)) return { path: source, flags: ['--unstable-sloppy-imports'] };
  }
  throw new ConfigurationError('online_store type deno_kv: cannot find deno-kv-writer.js in the feast-edge package');
}

/**
 * The online store `type: deno_kv` from Node: a Deno KV file (SQLite) written and read
 * through the deno binary, by the same DenoKvOnlineStore the Deno server reads with, so
 * `feast-edge materialize` fills the file that `deno task serve-edge` serves. One deno
 * process is started on first use and kept until close; calls go one at a time.
 */
export class DenoKvNodeStore implements OnlineStore {
  readonly name = 'deno-kv';
  readonly #path: string;
  readonly #deno: string;
  #child: ChildProcess | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #buffer = Buffer.alloc(0);
  #waiting: ((frame: Buffer) => void) | undefined;
  #stderr = '';
  #exited: string | undefined;

  constructor(options: { path: string; deno: string }) {
    this.#path = options.path;
    this.#deno = options.deno;
  }

  #start(): ChildProcess {
    if (this.#child) return this.#child;
    const dir = dirname(this.#path);
    mkdirSync(dir, { recursive: true });
    const script = writerScript();
    const child = spawn(
      this.#deno,
      ['run', '--quiet', '--unstable-kv', '--node-modules-dir=manual', ...script.flags, `--allow-read=${dir}`, `--allow-write=${dir}`, script.path, this.#path],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } },
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#deliver();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    const failed = (why: string) => {
      this.#exited = why;
      this.#child = undefined;
      this.#waiting?.(Buffer.alloc(0));
    };
    child.on('error', (error) => failed(`cannot run ${this.#deno}: ${error.message}`));
    child.on('exit', (code) => failed(`deno exited (${code})`));
    this.#child = child;
    this.#exited = undefined;
    return child;
  }

  #deliver(): void {
    if (!this.#waiting || this.#buffer.length < 4) return;
    const size = this.#buffer.readUInt32BE(0);
    if (this.#buffer.length < 4 + size) return;
    const frame = this.#buffer.subarray(4, 4 + size);
    this.#buffer = this.#buffer.subarray(4 + size);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting(frame);
  }

  /** One request to the deno process and its answer; calls are queued so frames never interleave. */
  #call<T>(request: unknown): Promise<T> {
    const run = async (): Promise<T> => {
      const child = this.#start();
      const body = packr.pack(request);
      const header = Buffer.alloc(4);
      header.writeUInt32BE(body.length);
      const frame = new Promise<Buffer>((resolve) => {
        this.#waiting = resolve;
      });
      child.stdin!.write(Buffer.concat([header, body]));
      this.#deliver();
      const bytes = await frame;
      if (bytes.length === 0)
        throw new OnlineStoreConnectionError(`Deno KV ${this.#path}: ${this.#exited ?? 'deno stopped'}: ${this.#stderr.trim().split('\n').at(-1) ?? ''}`);
      const answer = packr.unpack(bytes) as { ok: true; result: T } | { ok: false; name: string; message: string };
      if (answer.ok) return answer.result;
      // The store's own refusals keep their class; anything else is the store failing.
      if (answer.name === 'InvalidOnlineWriteError') throw new InvalidOnlineWriteError(answer.message);
      throw new OnlineStoreConnectionError(`Deno KV ${this.#path}: ${answer.name}: ${answer.message}`);
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => {});
    return next;
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    const { featureTypes: _types, ...sent } = batch;
    return this.#call({ op: 'write', project, batch: sent });
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const result = await this.#call<OnlineReadResult>({ op: 'read', project, view, keys, features });
    return { ...result, eventTimestamps: result.eventTimestamps.map((t) => (t === null ? null : BigInt(t))) };
  }

  async deleteView(project: string, view: string): Promise<void> {
    await this.#call({ op: 'deleteView', project, view });
  }

  /** Ends the deno process: it closes the KV file when its input ends. */
  async close(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    await this.#queue;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin!.end();
    await exited;
  }
}
