/**
 * Long work a store runs against its stores (materializations): what `close()` must stop
 * and wait for, so that no store is closed under a run that is still writing to it.
 * A run is told through the signal it is given (checked between batches: what it wrote
 * stays whole), and stop() resolves once every run has settled.
 */
export class RunningWork {
  readonly #closing = new AbortController();
  readonly #running = new Set<Promise<unknown>>();

  /** Runs `work` with the signal that aborts when the store closes. */
  run<T>(work: (closing: AbortSignal) => Promise<T>): Promise<T> {
    const job = work(this.#closing.signal);
    this.#running.add(job);
    const settled = () => this.#running.delete(job);
    job.then(settled, settled);
    return job;
  }

  /** Aborts every run and resolves when all have settled (each caller still sees its own outcome). */
  async stop(): Promise<void> {
    this.#closing.abort();
    await Promise.allSettled([...this.#running]);
  }
}
