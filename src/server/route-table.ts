import type { Context } from 'hono';

/** Every route the feature server answers, with its method: what Starlette's router knows. */
const ROUTES: readonly { readonly pattern: RegExp; readonly method: 'GET' | 'POST' }[] = [
  ...['/get-online-features', '/push', '/write-to-online-store', '/materialize', '/materialize-incremental'].map((path) => ({
    pattern: new RegExp(`^${path}$`),
    method: 'POST' as const,
  })),
  ...['/health', '/registry', '/metrics', '/v1/vector_stores', '/v1/vector_stores/[^/]+'].map((path) => ({
    pattern: new RegExp(`^${path}$`),
    method: 'GET' as const,
  })),
];

/** The methods a path is served with; none for a path that is no route. */
export function allowedMethods(path: string): string[] {
  return ROUTES.filter((route) => route.pattern.test(path)).map((route) => route.method);
}

/**
 * What Starlette answers when no route takes the request: 405 with `Allow` for a known
 * path asked with another method, a 307 to the path without (or with) its trailing
 * slash when that one is a route, else 404. Bodies are FastAPI's `{"detail": ...}`.
 */
export function noRoute(c: Context): Response {
  const path = c.req.path;
  const allowed = allowedMethods(path);
  if (allowed.length > 0) {
    return c.json({ detail: 'Method Not Allowed' }, 405, { allow: allowed.join(', ') });
  }
  const other = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
  if (path !== '/' && allowedMethods(other).length > 0) {
    const url = new URL(c.req.url);
    url.pathname = other;
    return new Response(null, { status: 307, headers: { location: url.toString() } });
  }
  return c.json({ detail: 'Not Found' }, 404);
}
