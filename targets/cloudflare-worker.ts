/**
 * The deployable Worker for Cloudflare Workers (workerd): the feature repo aliased as
 * `feast-edge-definitions`, or a registry converted at build time as `feast-edge-registry`
 * (see vite.edge.config.ts), served by `cloudflareWorker`.
 * Build: `npm run build:edge` -> dist-edge/edge.js.
 */
import * as repo from 'feast-edge-definitions';
import registry from 'feast-edge-registry';
import { cloudflareWorker } from '../src/runtime/cloudflare/cloudflare-worker.js';

export default cloudflareWorker(repo as Record<string, unknown>, { registry });
