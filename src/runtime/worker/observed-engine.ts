import type { Table } from 'apache-arrow';
import type { FileFormat } from '../../definitions/index.js';
import type { SqlEngine } from '../../sql/sql-engine.js';

/** One finished engine step of a job: what was loaded or queried, counted from 1. */
export interface EngineStep {
  readonly step: string;
  readonly done: number;
}

/** Internal view names as a person reads them: `__src_3_driver_stats` is the source 'driver_stats'. */
function label(name: string): string {
  if (/^__entity_\d+$/.test(name)) return 'entity rows';
  const source = /^__(?:src_\d+|mat)_(.+?)(?:__base|__part\d+)?$/.exec(name);
  return source ? `source ${source[1]}` : name.replace(/^__/, '');
}

/**
 * An engine that reports each load and query it finishes to the job running now (the
 * host runs one engine job at a time), and that a store cannot close: the worker keeps
 * one DuckDB for every store it opens.
 */
export class ObservedEngine implements SqlEngine {
  readonly name: string;
  readonly #inner: SqlEngine;
  #observer?: (step: EngineStep) => void;
  #done = 0;

  constructor(inner: SqlEngine) {
    this.#inner = inner;
    this.name = inner.name;
  }

  /** Reports the steps of `work` to `observer`, counting from 1. */
  async observe<T>(observer: ((step: EngineStep) => void) | undefined, work: () => Promise<T>): Promise<T> {
    this.#observer = observer;
    this.#done = 0;
    try {
      return await work();
    } finally {
      this.#observer = undefined;
    }
  }

  async #step<T>(step: string, work: Promise<T>): Promise<T> {
    const result = await work;
    this.#observer?.({ step, done: ++this.#done });
    return result;
  }

  query(sql: string): Promise<Table> {
    return this.#step(stepOf(sql), this.#inner.query(sql));
  }
  exec(sql: string): Promise<void> {
    return this.#step('querying', this.#inner.exec(sql));
  }
  registerArrow(name: string, table: Table): Promise<void> {
    return this.#step(`loading ${label(name)}`, this.#inner.registerArrow(name, table));
  }
  registerFile(name: string, path: string, format: FileFormat, columns?: readonly string[]): Promise<void> {
    return this.#step(`loading ${label(name)}`, this.#inner.registerFile(name, path, format, columns));
  }
  registerQuery(name: string, sql: string): Promise<void> {
    return this.#step(`loading ${label(name)}`, this.#inner.registerQuery(name, sql));
  }
  registerBytes(name: string, bytes: Uint8Array, format: FileFormat, columns?: readonly string[]): Promise<void> {
    return this.#step(`loading ${label(name)}`, this.#inner.registerBytes(name, bytes, format, columns));
  }
  // Cleanup is not progress.
  unregister(name: string): Promise<void> {
    return this.#inner.unregister(name);
  }
  export(sql: string, format: FileFormat): Promise<Uint8Array> {
    return this.#step(`writing ${format}`, this.#inner.export(sql, format));
  }
  async close(): Promise<void> {
    /* the host closes the inner engine */
  }
}

/** A query's step as progress names it: looking at a table's shape or size, or the work itself. */
function stepOf(sql: string): string {
  if (/^\s*DESCRIBE\b/i.test(sql)) return 'describing columns';
  // A plain row count (the partitioned join sizes its inputs this way) is not the query the user waits for.
  if (/^\s*SELECT count\(\*\)(::\w+)? AS "?\w+"? FROM "[^"]+"\s*$/i.test(sql)) return 'counting rows';
  if (/^\s*SELECT current_setting\(/i.test(sql)) return 'reading settings';
  return 'querying';
}
