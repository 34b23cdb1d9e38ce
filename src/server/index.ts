/** feast-edge/server: Feast's HTTP feature-server API as a Hono app, for any runtime. */
export { createFeatureServer, type FeatureServerOptions } from './feature-server.js';
export { ServerMetrics } from './metrics.js';
export type { ErrorAnswer } from './http-errors.js';
