import { FeastEdgeError } from '../errors.js';
import type { FeatureStore } from '../store/feature-store.js';

/** An online store that can say whether its server answers (Redis); stores in a file or in memory need not. */
export interface HealthCheckedStore {
  /** Resolves when the store can serve now; rejects, quickly, when it cannot. */
  checkHealth(): Promise<void>;
}

const hasHealthCheck = (store: unknown): store is HealthCheckedStore => typeof (store as Partial<HealthCheckedStore>).checkHealth === 'function';

/**
 * Only the error's class: /health needs no token, so it shows no message (a message
 * names paths, addresses and the registry's content).
 */
const classOf = (error: unknown) => (error instanceof FeastEdgeError ? error.name : 'an unexpected error');

/**
 * What GET /health answers: 200 with no body when the registry reads as a valid document
 * and the online store answers; else 503 with `{"status": "unhealthy", ...}` naming the
 * part that failed and its error class, the details going to `report` (the server log).
 */
export async function healthAnswer(store: FeatureStore, report: (error: unknown) => void): Promise<Response> {
  const failed: Record<string, string> = {};
  const check = async (part: string, probe: () => Promise<unknown>) => {
    try {
      await probe();
    } catch (error) {
      report(error);
      failed[part] = `cannot be used (${classOf(error)}); see the server's log`;
    }
  };
  const online = store.onlineStore;
  await Promise.all([
    check('registry', () => store.registry.document()),
    hasHealthCheck(online) ? check('online_store', () => online.checkHealth()) : undefined,
  ]);
  if (Object.keys(failed).length === 0) return new Response(null, { status: 200 });
  return new Response(JSON.stringify({ status: 'unhealthy', ...failed }), {
    status: 503,
    headers: { 'content-type': 'application/json', 'x-feast-edge-error': 'Unhealthy' },
  });
}
