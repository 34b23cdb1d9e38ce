import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadRepoConfig, type RepoConfig } from '../runtime/node/repo-config.js';
import { globalOptions } from './context.js';

/** The resolved configuration under Feast's key names, defaults filled in and paths absolute; passwords masked. */
export function resolvedConfig(config: RepoConfig): Record<string, unknown> {
  const online: Record<string, unknown> = { ...config.onlineStore };
  if (typeof online.connection_string === 'string') {
    online.connection_string = online.connection_string.replace(/(password=)[^,]*/gi, '$1***').replace(/(\/\/[^/@:]*:)[^@/]*@/, '$1***@');
  }
  return {
    project: config.project,
    provider: config.provider,
    registry: {
      registry_type: 'file',
      path: config.registryPath,
      // Not a Feast key: which of the two registry files this is.
      format: config.registryFormat,
      cache_ttl_seconds: config.registryCacheTtlSeconds,
    },
    online_store: online,
    offline_store: { type: 'duckdb', engine: config.offlineStore.type },
    entity_key_serialization_version: config.entityKeySerializationVersion,
    auth: { type: config.authType },
  };
}

/** `configuration`: Feast's command, printing the repo's configuration as YAML. */
export function registerConfigurationCommand(program: Command): void {
  program
    .command('configuration')
    .description("print the repo's resolved configuration (feature_store.yaml with defaults filled in) as YAML")
    .action(async () => {
      const config = await loadRepoConfig(globalOptions(program).repo);
      for (const note of config.notes) console.error(`note: ${note}`);
      process.stdout.write(stringify(resolvedConfig(config)));
    });
}
