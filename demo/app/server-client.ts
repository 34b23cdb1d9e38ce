import type { OnlineWireResponse } from '../../src/online/online-response.js';
import type { RegistryDocument } from '../../src/registry/document.js';
import { ANSWER_FROM_HEADER } from './served-by.js';

const SERVER_KEY = 'feast-edge-demo:server';

/**
 * The feature server the page reads when told to: the origin set on the Online page, else
 * the page's own (`feast-edge serve --ui` serves the app and Feast's API together).
 */
export function serverOrigin(): string {
  return localStorage.getItem(SERVER_KEY) ?? location.origin;
}

/** Sets the server's origin (a URL; only its origin is kept); empty means the page's own. */
export function setServerOrigin(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') {
    localStorage.removeItem(SERVER_KEY);
    return location.origin;
  }
  let origin: string;
  try {
    origin = new URL(trimmed).origin;
  } catch {
    throw new Error(`Server: '${trimmed}' is not a URL; expected one such as http://127.0.0.1:6566`);
  }
  if (origin === location.origin) localStorage.removeItem(SERVER_KEY);
  else localStorage.setItem(SERVER_KEY, origin);
  return origin;
}

/** The words every panel uses for the server. */
export const serverLabel = (origin = serverOrigin()): string => `the server at ${origin}`;

/** A request to the server's route, past this page's Service Worker (which would answer from this browser's IndexedDB). */
export function serverFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(path, serverOrigin());
  const headers = new Headers(init.headers);
  // Only on the page's origin: another origin's request never reaches the Service Worker, and a custom header would need CORS.
  if (url.origin === location.origin) headers.set(ANSWER_FROM_HEADER, 'network');
  return fetch(url, { ...init, headers, cache: 'no-store' });
}

/** What a server answered: its body, or why there is none (unreachable, not a feast-edge server, an error status). */
export type ServerAnswer<T> =
  | { readonly ok: true; readonly status: number; readonly body: T; readonly ms: number }
  | { readonly ok: false; readonly problem: string };

async function answer<T>(path: string, init?: RequestInit): Promise<ServerAnswer<T>> {
  const started = performance.now();
  let response: Response;
  try {
    response = await serverFetch(path, init);
  } catch (error) {
    return { ok: false, problem: `no answer from ${serverLabel()} (${error instanceof Error ? error.message : String(error)})` };
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    return { ok: false, problem: `${serverLabel()} answered ${path} with HTTP ${response.status} and no JSON: not a feast-edge feature server` };
  }
  if (!response.ok) {
    const message = typeof body === 'string' ? body : ((body as { message?: string; detail?: unknown } | null)?.message ?? JSON.stringify(body));
    return { ok: false, problem: `${serverLabel()} answered HTTP ${response.status}: ${message}` };
  }
  return { ok: true, status: response.status, body: body as T, ms: performance.now() - started };
}

/** The server's registry (GET /registry): its project and each view's materialized intervals. */
export function serverRegistry(): Promise<ServerAnswer<RegistryDocument>> {
  return answer<RegistryDocument>('/registry');
}

/** Feast's POST /get-online-features on the server. */
export function serverOnlineFeatures(body: unknown): Promise<ServerAnswer<OnlineWireResponse>> {
  return answer<OnlineWireResponse>('/get-online-features', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Feast's POST /write-to-online-store on the server: `df` is column-major, as Feast's server takes it. */
export function serverWriteToOnlineStore(featureViewName: string, df: Record<string, unknown[]>): Promise<ServerAnswer<unknown>> {
  return answer('/write-to-online-store', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ feature_view_name: featureViewName, df }),
  });
}
