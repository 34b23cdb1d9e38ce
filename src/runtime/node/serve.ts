import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { ServerStartError } from '../../errors.js';
import type { FeatureStore } from '../../store/feature-store.js';
import { createFeatureServer, type FeatureServerOptions } from '../../server/feature-server.js';
import { errorAnswer, errorResponse } from '../../server/http-errors.js';
import { staticFiles } from './static-files.js';

export interface StartFeatureServerOptions extends FeatureServerOptions {
  /** Interface to listen on. Default 127.0.0.1 (this machine only); 0.0.0.0 for every interface. */
  readonly host?: string;
  /** TCP port; 0 picks a free one (read it from `url`). Default 6566, Feast's. */
  readonly port?: number;
  /** How long `close()` waits for requests in flight before cutting their connections. Default 30 s. */
  readonly gracePeriodSeconds?: number;
  /**
   * A folder of static files (a built web app) served at the same origin for GET and HEAD.
   * The feature server's routes keep priority; a path with no file gets its JSON 404.
   */
  readonly staticDir?: string;
}

export interface RunningFeatureServer {
  /** Where the server answers, e.g. `http://127.0.0.1:6566`. */
  readonly url: string;
  /** The Node HTTP server, for callers that tune it (timeouts, keep-alive). */
  readonly server: Server;
  /**
   * Stops accepting connections, lets requests in flight finish (up to the grace period),
   * then resolves. The store stays open: it belongs to the caller.
   */
  close(): Promise<void>;
}

/** A server that could not start (src/errors.ts): the port is taken, not a port, or the host cannot be bound. */
export { ServerStartError };

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      server.off('listening', listening);
      const where = `${host}:${port}`;
      if (error.code === 'EADDRINUSE') reject(new ServerStartError(`port ${port} on ${host} is already in use; stop the other server or pass another port`));
      else if (error.code === 'EACCES') reject(new ServerStartError(`no permission to listen on ${where}; ports below 1024 need privileges`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new ServerStartError(`cannot listen on ${where}: host '${host}' is not an address of this machine`));
      else reject(new ServerStartError(`cannot listen on ${where}: ${error.message}`));
    };
    const listening = () => {
      server.off('error', failed);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', failed);
    server.once('listening', listening);
    server.listen(port, host);
  });
}

/**
 * Bytes that are not HTTP never reach the app; Node's own answer would be a bare 400 with
 * no body. This one is JSON like every other refusal.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout']
        : [400, 'Bad Request'];
  // The message as a JSON string, as the feature server answers every failure that is not one of Feast's exceptions.
  const body = JSON.stringify(`request: not valid HTTP/1.1 (${error.code ?? error.message})`);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nX-Feast-Edge-Error: BadRequest\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * While a server runs, a promise rejected with no handler (a library's background
 * promise, such as lmdb-js' commit of a batch that failed on a full disk) is reported,
 * not left to Node's default, which ends the process and every request with it. Returns
 * the function that stops guarding.
 */
function guardAgainstUnhandledRejections(report: ((error: unknown) => void) | undefined): () => void {
  const onRejection = (reason: unknown) => (report ?? ((error: unknown) => console.error('unhandled rejection (the server keeps running):', error)))(reason);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('unhandledRejection', onRejection);
  };
}

/** The app's fetch, with the files of `dir` answering the GET and HEAD paths that are not a route of the app. */
function withStaticFiles(app: ReturnType<typeof createFeatureServer>, dir: string): (request: Request) => Promise<Response> {
  const files = staticFiles(dir);
  // Middleware registers under wildcard paths; the routes themselves are plain.
  const routes = new Set(app.routes.map((r) => r.path).filter((path) => !path.includes('*')));
  return async (request) => {
    if (!routes.has(new URL(request.url).pathname)) {
      const file = await files(request);
      if (file) return file;
    }
    return app.fetch(request);
  };
}

/**
 * Serves Feast's feature-server API (createFeatureServer) for a store over Node's HTTP
 * server, with a graceful close for SIGTERM handlers: no new connections, requests in
 * flight finish, idle keep-alive connections are closed.
 * @example const { url, close } = await startFeatureServer(store, { port: 6566 });
 *          process.once('SIGTERM', async () => { await close(); await store.close(); });
 */
export async function startFeatureServer(store: FeatureStore, options: StartFeatureServerOptions = {}): Promise<RunningFeatureServer> {
  const { host = '127.0.0.1', port = 6566, gracePeriodSeconds = 30, staticDir, ...serverOptions } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ServerStartError(`port: expected an integer from 0 to 65535, got ${port}`);
  const app = createFeatureServer(store, serverOptions);
  const stopGuarding = guardAgainstUnhandledRejections(serverOptions.onServerError);
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  const report = serverOptions.onServerError ?? ((error: unknown) => console.error(error));
  const honoListener = getRequestListener(staticDir === undefined ? app.fetch : withStaticFiles(app, staticDir), {
    // A failure outside the app's own error handling (reading a static file) is JSON too, not an empty 500.
    errorHandler: (error: unknown) => {
      report(error);
      return errorResponse(errorAnswer(error));
    },
  });
  // Responses in flight are tracked, so a close can tell their clients not to reuse the connection.
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    // An answer given before the body was read (413, a refusal) closes the connection:
    // the rest of the body would otherwise be read as the next request, or the client
    // would send its next request behind a body the server is still draining.
    const writeHead = res.writeHead;
    res.writeHead = ((...args: Parameters<ServerResponse['writeHead']>) => {
      if (!req.complete) res.shouldKeepAlive = false;
      return writeHead.apply(res, args);
    }) as ServerResponse['writeHead'];
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // The connection is idle now; a closing server must not wait for the client to drop it.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    // The app answers its own failures; this catches what fails around it (writing the answer), so the request still ends.
    honoListener(req, res).catch((error: unknown) => {
      report(error);
      if (res.headersSent) res.destroy();
      else {
        const answer = errorAnswer(error);
        res.writeHead(answer.status, { 'content-type': 'application/json', 'x-feast-edge-error': answer.type }).end(answer.body);
      }
    });
  });
  server.on('clientError', answerClientError);
  const address = await listen(server, host, port);

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      closing = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const cutOff = setTimeout(() => server.closeAllConnections(), gracePeriodSeconds * 1000);
      cutOff.unref();
      server.close(() => {
        clearTimeout(cutOff);
        stopGuarding();
        resolve();
      });
      server.closeIdleConnections();
    }));
  return { url: urlOf(address), server, close };
}
