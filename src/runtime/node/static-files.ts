import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  // WebAssembly.instantiateStreaming refuses any other type.
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.parquet': 'application/vnd.apache.parquet',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** Answers a GET or HEAD for a file under a folder, or undefined when there is no such file. */
export type StaticFiles = (request: Request) => Promise<Response | undefined>;

async function fileAt(path: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const found = await stat(path);
    if (found.isFile()) return { path, size: found.size };
    if (found.isDirectory()) return fileAt(join(path, 'index.html'));
  } catch {
    // Missing or unreadable: not ours to answer.
  }
  return undefined;
}

/**
 * Serves the files of `root` (a built web app): `/` is `index.html`, content types by
 * extension, nothing outside the folder (not through `..`, nor through a symbolic link). Hashed build output under `/assets/` may be
 * cached for good; everything else is revalidated, so a rebuilt app shows at once.
 * @example const files = staticFiles('demo/dist'); const answer = await files(request);
 */
export function staticFiles(root: string): StaticFiles {
  const base = resolve(root);
  // The folder's own real path, once: a symbolic link inside it must not lead out of it.
  const realBase = realpath(base).catch(() => base);
  const inside = (path: string, folder: string) => path === folder || path.startsWith(folder + sep);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return undefined;
    }
    const target = resolve(base, `.${pathname}`);
    if (!inside(target, base)) return undefined;
    const file = await fileAt(target);
    if (!file) return undefined;
    const real = await realpath(file.path).catch(() => undefined);
    if (!real || !inside(real, await realBase)) return undefined;
    const headers = {
      'content-type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(file.size),
      'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (request.method === 'HEAD') return new Response(null, { headers });
    return new Response(Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>, { headers });
  };
}
