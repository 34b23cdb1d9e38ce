import { Table, type RecordBatch, type Schema } from 'apache-arrow';
import type { WasmBackend } from '../../sql/duckdb-wasm/wasm-backend.js';
import { abortError } from './abort.js';

/** The calls used of duckdb-wasm's AsyncDuckDBConnection (the core does not import DuckDB; the worker entry instantiates it). */
export interface AsyncDuckDbConnectionLike {
  query(sql: string): Promise<Table>;
  send(sql: string): Promise<{ readonly schema: Schema; readAll(): Promise<RecordBatch[]> }>;
  cancelSent(): Promise<boolean>;
  insertArrowFromIPCStream(ipc: Uint8Array, options: { name: string; create: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** The calls used of duckdb-wasm's AsyncDuckDB. */
export interface AsyncDuckDbLike {
  connect(): Promise<AsyncDuckDbConnectionLike>;
  registerFileBuffer(name: string, bytes: Uint8Array): Promise<void>;
  dropFile(name: string): Promise<unknown>;
  terminate(): Promise<void>;
}

// Cleanup after a cancelled job still runs, so nothing it registered is left behind.
const CLEANUP = /^\s*DROP\s/i;

/**
 * DuckDB-WASM's AsyncDuckDB (DuckDB in its own worker) behind the engine's WasmBackend.
 * Operations run one at a time on one connection. Inside `withSignal`, queries go
 * through `send` (a pending query DuckDB executes in slices), so an abort cancels a
 * running query with `cancelSent`, and later statements of the job (but its DROPs) refuse.
 * @example const db = new AsyncDuckDB(new VoidLogger(), new Worker(duckdbWorkerUrl));
 *          await db.instantiate(duckdbWasmUrl);
 *          const engine = await WasmDuckDBEngine.open({ backend: await AsyncDuckDbBackend.connect(db), parquet: codec });
 */
export class AsyncDuckDbBackend implements WasmBackend {
  readonly #db: AsyncDuckDbLike;
  readonly #connection: AsyncDuckDbConnectionLike;
  #queue: Promise<unknown> = Promise.resolve();
  #signal?: AbortSignal;

  private constructor(db: AsyncDuckDbLike, connection: AsyncDuckDbConnectionLike) {
    this.#db = db;
    this.#connection = connection;
  }

  /** A backend over an instantiated database, on a connection of its own; closing it terminates the database. */
  static async connect(db: AsyncDuckDbLike): Promise<AsyncDuckDbBackend> {
    return new AsyncDuckDbBackend(db, await db.connect());
  }

  /** Runs `work` with every backend call it makes bound to `signal`; callers must not overlap jobs. */
  async withSignal<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    this.#signal = signal;
    try {
      return await work();
    } finally {
      this.#signal = undefined;
    }
  }

  query(sql: string): Promise<Table> {
    const signal = this.#signal;
    return this.#serial(async () => {
      if (signal?.aborted && !CLEANUP.test(sql)) throw abortError('query');
      if (!signal) return this.#connection.query(sql);
      return this.#cancellableQuery(sql, signal);
    });
  }

  insertArrowIPC(name: string, ipc: Uint8Array): Promise<void> {
    const signal = this.#signal;
    return this.#serial(async () => {
      if (signal?.aborted) throw abortError('loading data');
      await this.#connection.insertArrowFromIPCStream(ipc, { name, create: true });
    });
  }

  registerFileBuffer(name: string, bytes: Uint8Array): Promise<void> {
    const signal = this.#signal;
    return this.#serial(async () => {
      if (signal?.aborted) throw abortError('loading data');
      // The buffer is transferred to DuckDB's worker: give it a copy the caller does not own.
      await this.#db.registerFileBuffer(name, bytes.slice());
    });
  }

  dropFile(name: string): Promise<void> {
    return this.#serial(async () => {
      await this.#db.dropFile(name);
    });
  }

  close(): Promise<void> {
    return this.#serial(async () => {
      await this.#connection.close();
      await this.#db.terminate();
    });
  }

  async #cancellableQuery(sql: string, signal: AbortSignal): Promise<Table> {
    const cancel = () => {
      void this.#connection.cancelSent().catch(() => false);
    };
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const reader = await this.#connection.send(sql);
      const batches = await reader.readAll();
      return batches.length > 0 ? new Table(batches) : new Table(reader.schema);
    } catch (error) {
      if (signal.aborted) throw abortError('query');
      throw error;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  /** One operation at a time: a pending query owns the connection until it is fetched. */
  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
