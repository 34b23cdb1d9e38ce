/** feast-edge/worker: the page's API to the feature store running in a Web Worker. */
export { connectFeatureStore } from './connect-feature-store.js';
export type {
  ArrowIpcResult,
  FeatureStatistics,
  FeatureStoreWorkerApi,
  FeatureViewPreview,
  KeptSource,
  LongWork,
  OpenOptions,
  OpenResult,
  Progress,
  SourceInput,
  WorkerEntityDf,
  WorkerHistoricalRequest,
  WorkerOnlineStore,
} from './feature-store-api.js';
