import type { RepoConfigFile } from './repo-config-schema.js';

/**
 * One line for each key of feature_store.yaml that feast-edge accepts (so a Feast repo
 * opens) but treats its own way: what it does instead. The CLI prints them on stderr
 * (`note: ...`); the library returns them in `RepoConfig.notes`.
 */
export function feastKeyNotes(file: RepoConfigFile): string[] {
  const notes: string[] = [];
  const offline = file.offline_store?.type;
  if (offline === 'file' || offline === 'dask') {
    notes.push(`offline_store '${offline}' (Feast's dask store) runs on feast-edge's DuckDB engine (native, else WebAssembly) over the same file sources`);
  }
  const online = file.online_store;
  if (online?.type === 'sqlite' && (online.vector_enabled || online.text_search_enabled || online.enable_openai_compatible_store)) {
    notes.push('online_store: vector and text search settings are ignored; feast-edge serves no search routes');
  }
  if (online?.type === 'redis' && online.sentinel_master !== undefined) notes.push('online_store.sentinel_master is ignored (Redis Sentinel is not supported)');
  const auth = file.auth?.type;
  if (auth && auth !== 'no_auth') {
    notes.push(
      `auth type '${auth}' is not checked by feast-edge: \`feast-edge serve\` takes bearer tokens from FEAST_EDGE_READ_TOKEN / FEAST_EDGE_WRITE_TOKEN and refuses to start without one`,
    );
  }
  const engine = file.batch_engine;
  const engineType = typeof engine === 'string' ? engine : (engine as { type?: unknown } | null | undefined)?.type;
  if (engine !== undefined && engine !== null && engineType !== 'local') {
    notes.push(`batch_engine ${JSON.stringify(engineType ?? engine)} is not used: feast-edge materializes in-process with DuckDB`);
  }
  if (file.feature_server !== undefined && file.feature_server !== null) {
    notes.push('feature_server is not read: `feast-edge serve` takes its options on the command line');
  }
  if (file.coerce_tz_aware === false) notes.push('coerce_tz_aware: false is not followed: feast-edge reads zone-less entity timestamps as UTC');
  const batchSize = file.materialization?.online_write_batch_size ?? file.materialization_config?.online_write_batch_size;
  if (batchSize) notes.push(`online_write_batch_size ${batchSize} is not used: feast-edge writes materialized rows in batches of 10,000`);
  if (file.flags !== undefined) notes.push('flags is ignored (deprecated in Feast too)');
  for (const key of ['openlineage', 'mlflow', 'data_quality_monitoring', 'embedding_model'] as const) {
    if (file[key] !== undefined && file[key] !== null) notes.push(`${key} is not used by feast-edge (ignored)`);
  }
  return notes;
}
