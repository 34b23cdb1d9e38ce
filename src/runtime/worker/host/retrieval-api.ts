import { transfer } from 'comlink';
import type { Table } from 'apache-arrow';
import type { HistoricalFeaturesRequest } from '../../../retrieval/types.js';
import { throwIfAborted } from '../../browser/abort.js';
import { toEntityDf } from '../worker-entity-df.js';
import type { ArrowIpcResult, FeatureStoreWorkerApi, FeatureViewPreview, WorkerHistoricalRequest } from '../feature-store-api.js';
import type { HostContext } from './context.js';
import type { Opened } from './stores.js';
import { tableToIpcStream } from '../../../arrow/ipc.js';

const arrowResult = (table: Table, started: number): ArrowIpcResult => {
  const ipc = tableToIpcStream(table);
  return { ipc, numRows: table.numRows, columns: table.schema.fields.map((f) => f.name), elapsedMs: performance.now() - started };
};

async function historicalRequest(request: WorkerHistoricalRequest, o: Opened): Promise<HistoricalFeaturesRequest> {
  return { ...request, entityDf: await toEntityDf(request.entityDf, o.sources.resolve('.')) };
}

type RetrievalApi = Pick<
  FeatureStoreWorkerApi,
  'previewFeatureView' | 'getHistoricalFeatures' | 'exportHistoricalFeatures' | 'saveDataset' | 'readSavedDataset'
>;

/** Offline reads, each an engine job whose tables cross as transferred Arrow IPC: preview, training sets, saved datasets. */
export function retrievalApi({ engineJob }: HostContext): RetrievalApi {
  return {
    previewFeatureView: (viewName, previewOptions = {}) =>
      engineJob('preview', undefined, false, async (o) => {
        const started = performance.now();
        const { rowCount, features, firstRows } = await o.store.previewFeatureView(viewName, previewOptions);
        const preview: FeatureViewPreview = { view: viewName, rowCount, features: [...features], firstRows: arrowResult(firstRows, started) };
        return transfer(preview, [preview.firstRows.ipc.buffer as ArrayBuffer]);
      }),

    getHistoricalFeatures: (request, work) =>
      engineJob('historical retrieval', work, true, async (o) => {
        const started = performance.now();
        const table = await o.store.getHistoricalFeatures(await historicalRequest(request, o)).toArrow();
        throwIfAborted(work?.signal, 'historical retrieval');
        const result = arrowResult(table, started);
        return transfer(result, [result.ipc.buffer as ArrayBuffer]);
      }),

    exportHistoricalFeatures: (request, format, work) =>
      engineJob('historical export', work, true, async (o) => {
        const job = o.store.getHistoricalFeatures(await historicalRequest(request, o));
        const bytes = format === 'parquet' ? await job.toParquet() : await job.toCSV();
        return transfer(bytes, [bytes.buffer as ArrayBuffer]);
      }),

    saveDataset: (request, name, saveOptions = {}) =>
      engineJob('save dataset', undefined, false, async (o) =>
        o.store
          .getHistoricalFeatures(await historicalRequest(request, o))
          .persist(name, { ...saveOptions, tags: saveOptions.tags ? { ...saveOptions.tags } : undefined }),
      ),

    readSavedDataset: (name) =>
      engineJob('read saved dataset', undefined, false, async (o) => {
        const started = performance.now();
        const result = arrowResult(await o.store.readSavedDataset(name), started);
        return transfer(result, [result.ipc.buffer as ArrayBuffer]);
      }),
  };
}
