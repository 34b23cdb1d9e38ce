import { abortError, throwIfAborted } from '../../browser/abort.js';
import { openBrowserEngine, type BrowserEngine, type BrowserEngineAssets } from '../../browser/browser-engine.js';
import { releaseLongWork } from '../long-work-transfer.js';
import { ObservedEngine } from '../observed-engine.js';
import type { LongWork } from '../feature-store-api.js';
import type { Opened } from './stores.js';

/**
 * DuckDB-WASM, opened on first use, and the queue of jobs on it. One engine job at a
 * time: a job's AbortSignal and progress are bound to the engine for its duration.
 * `current` gives the open stores a job works on (it throws before open()).
 */
export function createEngineJobs(assets: BrowserEngineAssets, current: () => Opened) {
  let duckdb: Promise<BrowserEngine> | undefined;
  let observed: ObservedEngine | undefined;
  const engine = () => {
    duckdb ??= openBrowserEngine(assets);
    duckdb.catch(() => {
      duckdb = undefined;
    });
    return duckdb;
  };
  let jobs: Promise<unknown> = Promise.resolve();

  /**
   * Runs one engine job after the ones before it, its queries bound to `work.signal`;
   * `engineSteps` reports each finished load and query as progress.
   */
  function engineJob<T>(what: string, work: LongWork | undefined, engineSteps: boolean, job: (o: Opened) => Promise<T>): Promise<T> {
    const onProgress = work?.onProgress;
    const run = jobs
      .then(async () => {
        throwIfAborted(work?.signal, what);
        const o = current();
        const { backend, engine: inner } = await engine();
        observed ??= new ObservedEngine(inner);
        const steps =
          engineSteps && onProgress ? ({ step, done }: { step: string; done: number }) => onProgress({ step: `${what}: ${step}`, done }) : undefined;
        return backend.withSignal(work?.signal, () => observed!.observe(steps, () => job(o)));
      })
      .catch((error: unknown) => {
        // Whichever statement noticed the abort, the caller hears which work was cancelled.
        throw work?.signal?.aborted && (error as Error)?.name === 'AbortError' && !(error as Error).message.startsWith(what) ? abortError(what) : error;
      })
      .finally(() => releaseLongWork(work));
    jobs = run.catch(() => undefined);
    return run;
  }

  return {
    engineJob,
    /** The engine the offline store queries: observed, so a job's loads and queries report progress. */
    observedEngine: async () => {
      const { engine: inner } = await engine();
      return (observed ??= new ObservedEngine(inner));
    },
    /** Settles once every job queued so far has. */
    idle: () => jobs,
    /** Closes the engine (after `idle`); the next job opens a new one. */
    async close() {
      const running = duckdb;
      duckdb = undefined;
      observed = undefined;
      if (running) await (await running).engine.close();
    },
  };
}

export type EngineJobs = ReturnType<typeof createEngineJobs>;
