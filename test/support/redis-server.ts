import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server (or a small cluster of them) owned by a test or a benchmark. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` of the (first) node. */
  readonly url: string;
  readonly port: number;
  /** Every node as `127.0.0.1:<port>`, Feast's connection_string form. */
  readonly nodes: readonly string[];
  /** SIGTERM to every node, waits for them to exit, removes the temp dir. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now: bind port 0, read it, let it go. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Sends one command in RESP (after SELECT `db` when given) and returns the reply's text.
 * Raw sockets rather than a Redis client, so the support code does not depend on the
 * library under test. Reads simple, integer and bulk replies, which is all tests ask for.
 */
export function redisCommand(port: number, args: readonly string[], options: { db?: number; timeoutMs?: number } = {}): Promise<string> {
  const { db, timeoutMs = 2000 } = options;
  const commands = db === undefined ? [args] : [['SELECT', String(db)], args];
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let buffer = '';
    let replies = 0;
    const done = (error?: Error, reply?: string) => {
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`redis on port ${port}: no reply to ${args[0]} within ${timeoutMs} ms`)));
    socket.on('error', (error) => done(error));
    socket.on('connect', () => socket.write(commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join('')));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const head = buffer.slice(0, end);
        let reply = head.slice(1);
        let consumed = end + 2;
        if (head[0] === '$') {
          const length = Number(head.slice(1));
          // Only ASCII replies (PING, CLUSTER INFO, TYPE) are read here, so characters count as bytes.
          if (length >= 0 && buffer.length < end + 4 + length) return;
          reply = length < 0 ? '' : buffer.slice(end + 2, end + 2 + length);
          consumed = length < 0 ? end + 2 : end + 4 + length;
        }
        buffer = buffer.slice(consumed);
        if (head[0] === '-') return done(new Error(`redis on port ${port}: ${commands[replies][0]}: ${reply}`));
        if (++replies === commands.length) return done(undefined, reply);
      }
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, child: () => string | undefined, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  let last = '';
  for (;;) {
    const exited = child();
    if (exited) throw new Error(`${what}: ${exited}`);
    try {
      if (await check()) return;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${limitMs} ms${last ? ` (${last})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Node {
  port: number;
  busPort?: number;
  process: ChildProcess;
  output: string;
  exit?: string;
}

/** Servers still running; if the test process dies before teardown, they die with it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

async function startNode(binary: string, dir: string, cluster: boolean): Promise<Node> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  let busPort: number | undefined;
  if (cluster) {
    // The bus port is chosen too: the default port+10000 may be taken, or above 65535.
    busPort = await freePort();
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-port', String(busPort));
  }
  const child = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const node: Node = { port, busPort, process: child, output: '' };
  const keep = (chunk: Buffer) => {
    node.output = (node.output + chunk.toString()).slice(-2000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  running.add(child);
  child.on('exit', (code, signal) => {
    running.delete(child);
    node.exit = `redis-server exited (${signal ?? code}): ${node.output.trim().split('\n').slice(-3).join(' | ')}`;
  });
  child.on('error', (error) => {
    node.exit = `redis-server did not start: ${error.message}`;
  });
  await waitFor(
    `redis-server on port ${port}`,
    async () => (await redisCommand(port, ['PING'])) === 'PONG',
    () => node.exit,
  );
  return node;
}

async function stopNodes(nodes: readonly Node[], dir: string): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      if (node.exit !== undefined || node.process.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => node.process.once('exit', () => resolve()));
      node.process.kill('SIGTERM');
      await exited;
    }),
  );
  await rm(dir, { recursive: true, force: true });
}

/**
 * Starts redis-server on a free port in a temp dir, with persistence off, and waits
 * until it answers PING.
 * @example const redis = await startRedisServer('/usr/bin/redis-server'); ...; await redis.stop();
 */
export async function startRedisServer(binary: string): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'feast-edge-redis-'));
  const nodes: Node[] = [];
  try {
    nodes.push(await startNode(binary, dir, false));
  } catch (error) {
    await stopNodes(nodes, dir);
    throw error;
  }
  return serverOf(nodes, dir);
}

function serverOf(nodes: readonly Node[], dir: string): RedisServer {
  return {
    url: `redis://127.0.0.1:${nodes[0].port}`,
    port: nodes[0].port,
    nodes: nodes.map((n) => `127.0.0.1:${n.port}`),
    stop: () => stopNodes(nodes, dir),
  };
}

/**
 * Starts a Redis Cluster of `masters` nodes (no replicas): the 16384 slots split evenly,
 * the nodes introduced with CLUSTER MEET, ready once every node reports cluster_state:ok
 * and knows the others. Two masters are enough to put keys of one view on different nodes.
 */
export async function startRedisCluster(binary: string, masters = 2): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'feast-edge-redis-cluster-'));
  const nodes: Node[] = [];
  try {
    for (let i = 0; i < masters; i++) nodes.push(await startNode(binary, dir, true));
    const per = Math.ceil(16384 / masters);
    for (let i = 0; i < masters; i++) {
      const first = i * per;
      const last = Math.min(16383, first + per - 1);
      await redisCommand(nodes[i].port, ['CLUSTER', 'ADDSLOTSRANGE', String(first), String(last)]);
    }
    for (const node of nodes.slice(1)) {
      await redisCommand(nodes[0].port, ['CLUSTER', 'MEET', '127.0.0.1', String(node.port), String(node.busPort)]);
    }
    const ready = async (node: Node) => {
      const info = await redisCommand(node.port, ['CLUSTER', 'INFO']);
      return info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`);
    };
    await waitFor(
      `redis cluster of ${masters}`,
      async () => (await Promise.all(nodes.map(ready))).every(Boolean),
      () => nodes.find((n) => n.exit)?.exit,
      30_000,
    );
  } catch (error) {
    await stopNodes(nodes, dir);
    throw error;
  }
  return serverOf(nodes, dir);
}
