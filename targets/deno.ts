/**
 * The feature server on the deno binary, over the feature repo imported as
 * `feast-edge-definitions` (map it in deno.json `imports`); see serveDeno for the options.
 *   deno run --unstable-kv --config deno.json --allow-net --allow-read --allow-write --allow-env \
 *     targets/deno.ts [--kv ./online.kv] [--port 6566] [--hostname 127.0.0.1] [--registry registry.db]
 * `--registry` (or FEAST_REGISTRY_PATH) serves a registry file instead of applying the
 * definitions: Feast's registry.db, or the registry.json the edge build writes from it.
 */
import * as repo from 'feast-edge-definitions';
import { readRegistryFile } from '../src/runtime/deno/registry-file.js';
import { denoSetting, serveDeno } from '../src/runtime/deno/serve-deno.js';

declare const Deno: { env: { get(name: string): string | undefined } };

const registryPath = denoSetting('registry', 'FEAST_REGISTRY_PATH');
const registry = registryPath ? await readRegistryFile(registryPath, Deno.env.get('FEAST_PROJECT') || undefined) : undefined;
await serveDeno(repo as Record<string, unknown>, { registry });
