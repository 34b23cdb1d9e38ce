import { resolve } from 'node:path';
import { FeastConfigError } from '../../errors.js';
import type { OnlineStore } from '../../online/online-store.js';
import { CloudflareKvBulkStore } from './cloudflare-kv-bulk-store.js';
import { DenoKvNodeStore, denoBinary } from './deno-kv-node-store.js';
import { CLOUDFLARE_API, DEFAULT_DENO_KV_PATH, DEFAULT_KV_BULK_FILE } from './repo-config-kv.js';
import type { RepoConfig } from './repo-config.js';

/**
 * The edge's online stores opened from Node (online_store type cloudflare_kv or deno_kv,
 * as repo-config-kv.ts checked them): materialization writes what the Worker or the Deno
 * server reads. Undefined for any other type.
 */
export function openEdgeKvStore(config: RepoConfig, env: Record<string, string | undefined> = process.env): OnlineStore | undefined {
  const online = config.onlineStore;
  if (online.type === 'cloudflare_kv') {
    const text = (key: string) => (typeof online[key] === 'string' ? (online[key] as string) : undefined);
    const bulkFile = resolve(config.repoPath, text('bulk_file') ?? DEFAULT_KV_BULK_FILE);
    const accountId = text('account_id');
    const namespaceId = text('namespace_id');
    if (!accountId || !namespaceId) return new CloudflareKvBulkStore({ bulkFile });
    const tokenEnv = text('api_token_env') ?? 'CLOUDFLARE_API_TOKEN';
    const apiToken = env[tokenEnv]?.trim();
    if (!apiToken) {
      throw new FeastConfigError(
        `feature_store.yaml: online_store.api_token_env: account_id and namespace_id are set, so the API token is read from $${tokenEnv}, which is not set; set it (a token with Workers KV Storage: Edit), or remove account_id and namespace_id to write only the bulk file`,
      );
    }
    return new CloudflareKvBulkStore({ bulkFile, rest: { baseUrl: text('api_base_url') ?? CLOUDFLARE_API, accountId, namespaceId, apiToken } });
  }
  if (online.type === 'deno_kv') {
    const path = online.path ?? resolve(config.repoPath, DEFAULT_DENO_KV_PATH);
    const deno = typeof online.deno_path === 'string' ? resolve(config.repoPath, online.deno_path) : denoBinary(config.repoPath);
    return new DenoKvNodeStore({ path, deno });
  }
  return undefined;
}
