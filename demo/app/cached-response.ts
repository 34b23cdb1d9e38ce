/**
 * The answer a cached full response gives to a request for it: the whole body for GET,
 * headers only for HEAD, and a 206 slice for a `Range: bytes=a-b` request (a Parquet
 * reader asks for footers and column chunks; the cache keeps whole files). Undefined
 * when the range cannot be served from the cached body.
 */
export async function answerFromCache(cached: Response, request: Request): Promise<Response | undefined> {
  if (request.method === 'HEAD') return new Response(null, { status: cached.status, headers: cached.headers });
  const range = request.headers.get('range');
  if (!range) return cached;
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const body = new Uint8Array(await cached.arrayBuffer());
  const size = body.byteLength;
  // 'bytes=-n' is the last n bytes; 'bytes=a-' runs to the end.
  const start = match[1] === '' ? Math.max(0, size - Number(match[2])) : Number(match[1]);
  const end = match[1] === '' || match[2] === '' ? size - 1 : Math.min(size - 1, Number(match[2]));
  if (start > end || start >= size) {
    return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}` } });
  }
  const headers = new Headers(cached.headers);
  headers.set('content-range', `bytes ${start}-${end}/${size}`);
  headers.set('content-length', String(end - start + 1));
  return new Response(body.slice(start, end + 1), { status: 206, headers });
}
