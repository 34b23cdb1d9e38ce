import type { FeatureStoreWorkerApi, LongWork, Progress } from '../feature-store-api.js';
import type { HostContext } from './context.js';

/** Materialization's progress as the page's Progress, with the work's signal. */
const materializeProgress = (work: LongWork | undefined) => ({
  signal: work?.signal,
  onProgress: ({ view, rowsDone, rowsTotal }: { view: string; rowsDone: number; rowsTotal: number }) =>
    work?.onProgress?.({ step: `materialize ${view}`, done: rowsDone, total: rowsTotal } satisfies Progress),
});

/** Materialization, an engine job: offline rows into the IndexedDB online store. */
export function materializeApi({ engineJob }: HostContext): Pick<FeatureStoreWorkerApi, 'materialize' | 'materializeIncremental'> {
  return {
    materialize: (materializeOptions, work) =>
      engineJob('materialize', work, false, (o) => o.store.materialize({ ...materializeOptions, ...materializeProgress(work) })),

    materializeIncremental: (materializeOptions, work) =>
      engineJob('materialize-incremental', work, false, (o) => o.store.materializeIncremental({ ...materializeOptions, ...materializeProgress(work) })),
  };
}
