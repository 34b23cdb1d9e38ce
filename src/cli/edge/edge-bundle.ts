import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ConfigurationError } from '../../errors.js';
import { bundledRegistry } from './bundled-registry-plugin.js';
import { onlineOnly } from './online-only-plugin.js';

/** Where a bundle runs: Cloudflare Workers (workerd) or the deno binary. */
export type EdgeTarget = 'workerd' | 'deno';

export interface EdgeBundleOptions {
  /** The feature repo (its definitions modules, and its registry file when applied). */
  readonly repoPath: string;
  readonly outDir: string;
  readonly target: EdgeTarget;
  /** A registry file to serve as it is (Feast's registry.db or a feast-edge .json); absent: the repo's, when it exists. */
  readonly registryPath?: string;
  /** The project to read from a registry.db holding several. */
  readonly project?: string;
}

export interface EdgeBundle {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** The registry served, converted beside the bundle as registry.json; absent when the definitions are applied at start. */
  readonly registryFile?: string;
  /** The repo modules bundled (for on-demand transform code, or applied at start). */
  readonly modules: readonly string[];
}

export const BUNDLE_FILE: Record<EdgeTarget, string> = { workerd: 'edge.js', deno: 'deno.js' };

const SKIP_DIRS = new Set(['node_modules', 'data', 'dist', 'dist-edge']);
const MODULE = /\.(ts|mts|js|mjs)$/;
const NOT_DEFINITIONS = /\.(test|spec)\.[mc]?[jt]s$|\.d\.ts$|\.config\.[mc]?[jt]s$/;

/** The repo's definitions modules, as `apply` reads them (every .ts/.js outside node_modules, data and build output). */
async function repoModules(dir: string, outDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.') || path === outDir) continue;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...(await repoModules(path, outDir)));
    } else if (MODULE.test(entry.name) && !NOT_DEFINITIONS.test(entry.name)) {
      out.push(path);
    }
  }
  return out.sort();
}

/**
 * feast-edge's own modules for the bundle: the built files of an installed package
 * (dist/index.js, dist/cloudflare.js, ...), or the sources when running from a clone's src.
 */
function feastEdgeModules(): Record<'core' | 'cloudflare' | 'deno', string> {
  const here = fileURLToPath(import.meta.url);
  for (let dir = dirname(here); dirname(dir) !== dir; dir = dirname(dir)) {
    let name: unknown;
    try {
      name = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name;
    } catch {
      continue;
    }
    if (name !== 'feast-edge') continue;
    if (here.startsWith(join(dir, 'dist') + sep)) {
      return { core: join(dir, 'dist', 'index.js'), cloudflare: join(dir, 'dist', 'cloudflare.js'), deno: join(dir, 'dist', 'deno.js') };
    }
    const src = join(dir, 'src');
    return { core: join(src, 'index.ts'), cloudflare: join(src, 'runtime', 'cloudflare', 'index.ts'), deno: join(src, 'runtime', 'deno', 'index.ts') };
  }
  throw new ConfigurationError('build-edge: cannot find the feast-edge package this command runs from');
}

/** The entry: every repo module's exports as one record, served by the target's server. */
function entrySource(modules: readonly string[], target: EdgeTarget, own: ReturnType<typeof feastEdgeModules>): string {
  const imports = modules.map((file, i) => `import * as m${i} from ${JSON.stringify(file)};`);
  const names = modules.map((_, i) => `m${i}`).join(', ');
  // Keys made unique per module: two modules may export the same name; equal objects are one definition.
  const repo = `const repo = Object.fromEntries([${names}].flatMap((m, i) => Object.entries(m).map(([k, v]) => [i + ':' + k, v])));`;
  const serve =
    target === 'workerd'
      ? `import { cloudflareWorker } from ${JSON.stringify(own.cloudflare)};\nexport default cloudflareWorker(repo, { registry });`
      : `import { serveDeno } from ${JSON.stringify(own.deno)};\nawait serveDeno(repo, { registry });`;
  return [...imports, "import registry from 'feast-edge-registry';", repo, serve, ''].join('\n');
}

/** vite, loaded only here: an optional peer that only this command needs. */
async function loadVite(): Promise<typeof import('vite')> {
  try {
    return await import('vite');
  } catch {
    throw new ConfigurationError('build-edge: needs the vite package to bundle the Worker; install it: npm install --save-dev vite');
  }
}

/**
 * Bundles the repo into one ES module for workerd (edge.js) or the deno binary (deno.js):
 * its definitions modules, its registry when applied (converted to JSON at build time, so
 * no protobuf code is bundled), and feast-edge's server over Workers KV or Deno KV.
 * Offline code (DuckDB, Arrow, Parquet) and Node built-ins are refused, naming the module.
 */
export async function buildEdgeBundle(options: EdgeBundleOptions): Promise<EdgeBundle> {
  const repoPath = resolve(options.repoPath);
  const outDir = resolve(options.outDir);
  const registryPath = options.registryPath ? resolve(options.registryPath) : undefined;
  if (registryPath && !existsSync(registryPath)) throw new ConfigurationError(`--registry: no file at ${registryPath}`);
  const modules = await repoModules(repoPath, outDir);
  if (modules.length === 0 && !registryPath) {
    throw new ConfigurationError(
      `build-edge: ${repoPath} has no definitions module (.ts/.js) and no registry file; run 'feast-edge apply' first or pass --registry`,
    );
  }
  const { build } = await loadVite();
  const own = feastEdgeModules();
  const work = await mkdtemp(join(tmpdir(), 'feast-edge-build-'));
  const entry = join(work, 'entry.js');
  await writeFile(entry, entrySource(modules, options.target, own));
  const fileName = BUNDLE_FILE[options.target];
  try {
    await build({
      configFile: false,
      root: repoPath,
      logLevel: 'warn',
      plugins: [onlineOnly(`the ${options.target} bundle`), bundledRegistry({ path: registryPath, project: options.project })],
      resolve: {
        // Packages resolve as in a Worker (msgpackr takes its pure-JS build, not Node's extractor).
        conditions: ['workerd', 'worker', 'browser', 'import', 'module', 'default'],
        alias: [
          { find: /^feast-edge$/, replacement: own.core },
          { find: /^feast-edge\/cloudflare$/, replacement: own.cloudflare },
          { find: /^feast-edge\/deno$/, replacement: own.deno },
        ],
      },
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        outDir,
        emptyOutDir: false,
        target: 'es2022',
        minify: true,
        sourcemap: false,
        copyPublicDir: false,
        lib: { entry, formats: ['es'], fileName: () => fileName },
        rolldownOptions: {
          output: { codeSplitting: false, minify: true },
          // idb's top-level setup would be kept though nothing at the edge uses IndexedDB.
          treeshake: { moduleSideEffects: (id: string) => !/[\\/]node_modules[\\/]idb[\\/]/.test(id) },
        },
      },
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const file = join(outDir, fileName);
  const code = await readFile(file);
  const registryFile = registryPath ? join(outDir, 'registry.json') : undefined;
  if (registryFile) await stat(registryFile);
  return {
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    ...(registryFile ? { registryFile } : {}),
    modules: modules.map((m) => relative(repoPath, m)),
  };
}
