import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { FeastEdgeError } from '../../definitions/errors.js';
import type { NodeEngineChoice } from './engine.js';

/** `feature_store.yaml`, with Feast's keys where they apply. */
export interface RepoConfig {
  repoPath: string;
  project: string;
  provider: 'local';
  /** Absolute path of the registry file. */
  registryPath: string;
  registryCacheTtlSeconds: number;
  offlineStore: { type: NodeEngineChoice };
  onlineStore: { type: string; [key: string]: unknown };
  entityKeySerializationVersion: number;
}

export class RepoConfigError extends FeastEdgeError {
  constructor(message: string) { super('FeastConfigError', message); }
}

const KNOWN_KEYS = ['project', 'provider', 'registry', 'offline_store', 'online_store', 'entity_key_serialization_version', 'batch_engine', 'feature_server', 'coerce_tz_aware'];
const OFFLINE_TYPES: Record<string, NodeEngineChoice> = { duckdb: 'auto', file: 'auto', 'duckdb-native': 'duckdb-native', 'duckdb-wasm': 'duckdb-wasm' };
const ONLINE_TYPES = ['lmdb', 'memory', 'redis', 'sqlite'];

/** Reads and validates `<repoPath>/feature_store.yaml`; errors name the field and what was expected. */
export async function loadRepoConfig(repoPath: string): Promise<RepoConfig> {
  const file = join(repoPath, 'feature_store.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new RepoConfigError(`no feature_store.yaml in ${resolve(repoPath)}; run 'feast-edge init' or pass --repo`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new RepoConfigError(`feature_store.yaml is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return parseRepoConfig(raw, resolve(repoPath));
}

export function parseRepoConfig(raw: unknown, repoPath: string): RepoConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new RepoConfigError('feature_store.yaml: expected a mapping of keys');
  const doc = raw as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!KNOWN_KEYS.includes(key)) throw new RepoConfigError(`feature_store.yaml: unknown key '${key}'; known keys: ${KNOWN_KEYS.join(', ')}`);
  }
  const project = doc.project;
  if (typeof project !== 'string' || !/^[A-Za-z0-9_]+$/.test(project)) {
    throw new RepoConfigError(`feature_store.yaml: project: expected a name of letters, digits and '_', got ${JSON.stringify(project)}`);
  }
  if (doc.provider !== undefined && doc.provider !== 'local') {
    throw new RepoConfigError(`feature_store.yaml: provider: only 'local' is supported, got ${JSON.stringify(doc.provider)}`);
  }
  let registry = 'data/registry.json';
  let cacheTtl = 0;
  if (typeof doc.registry === 'string') registry = doc.registry;
  else if (doc.registry && typeof doc.registry === 'object') {
    const r = doc.registry as Record<string, unknown>;
    if (typeof r.path !== 'string') throw new RepoConfigError('feature_store.yaml: registry.path: expected a file path');
    registry = r.path;
    if (r.cache_ttl_seconds !== undefined) {
      if (typeof r.cache_ttl_seconds !== 'number' || r.cache_ttl_seconds < 0) throw new RepoConfigError('feature_store.yaml: registry.cache_ttl_seconds: expected a non-negative number');
      cacheTtl = r.cache_ttl_seconds;
    }
  } else if (doc.registry !== undefined) {
    throw new RepoConfigError('feature_store.yaml: registry: expected a path or { path, cache_ttl_seconds }');
  }
  const offlineType = typeOf(doc.offline_store, 'offline_store', 'duckdb');
  if (!(offlineType in OFFLINE_TYPES)) {
    throw new RepoConfigError(`feature_store.yaml: offline_store.type: expected one of ${Object.keys(OFFLINE_TYPES).join(', ')}, got '${offlineType}'`);
  }
  const onlineType = typeOf(doc.online_store, 'online_store', 'lmdb');
  if (!ONLINE_TYPES.includes(onlineType)) {
    throw new RepoConfigError(`feature_store.yaml: online_store.type: expected one of ${ONLINE_TYPES.join(', ')}, got '${onlineType}'`);
  }
  const version = doc.entity_key_serialization_version ?? 3;
  if (version !== 3) throw new RepoConfigError(`feature_store.yaml: entity_key_serialization_version: only 3 is supported, got ${JSON.stringify(version)}`);
  return {
    repoPath, project, provider: 'local',
    registryPath: resolve(repoPath, registry.replace(/\.db$/, '.json')),
    registryCacheTtlSeconds: cacheTtl,
    offlineStore: { type: OFFLINE_TYPES[offlineType] },
    onlineStore: { ...(typeof doc.online_store === 'object' && doc.online_store ? doc.online_store as object : {}), type: onlineType },
    entityKeySerializationVersion: 3,
  };
}

function typeOf(value: unknown, key: string, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const type = (value as Record<string, unknown>).type ?? fallback;
    if (typeof type !== 'string') throw new RepoConfigError(`feature_store.yaml: ${key}.type: expected a string`);
    return type;
  }
  throw new RepoConfigError(`feature_store.yaml: ${key}: expected a type name or { type, ... }`);
}
