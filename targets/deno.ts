/**
 * The feature server on the deno binary, over the feature repo imported as
 * `feast-edge-definitions` (map it in deno.json `imports`); see serveDeno for the options.
 *   deno run --unstable-kv --config deno.json --allow-net --allow-read --allow-write --allow-env \
 *     targets/deno.ts [--kv ./online.kv] [--port 6566] [--hostname 127.0.0.1]
 */
import * as repo from 'feast-edge-definitions';
import { serveDeno } from '../src/runtime/deno/serve-deno.js';

await serveDeno(repo as Record<string, unknown>);
