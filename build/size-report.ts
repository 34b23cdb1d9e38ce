/**
 * What each package export costs a consumer: its entry bundled by esbuild the way an app
 * bundles it (browser/workerd conditions for the portable entries, Node for the Node
 * ones), minified, gzipped. `npm run size` writes the table into README.md between the
 * size markers; test/build/consumer-bundle.test.ts checks the README is current and the
 * edge combination stays within budget.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const REPO = resolve(import.meta.dirname, '..');
const WORKERD_CONDITIONS = ['workerd', 'worker', 'browser', 'import', 'module', 'default'];

/** Where each runtime's entries are bundled for; everything else is portable (workerd/browser). */
const NODE_EXPORTS = new Set(['./node']);

export interface BundleSize {
  readonly exports: readonly string[];
  readonly platform: 'workerd' | 'node';
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  /** npm packages inside the bundle. */
  readonly packages: readonly string[];
  /** Packages left as imports (Node entries keep native and WASM packages external). */
  readonly external: readonly string[];
}

interface PackageJson {
  exports: Record<string, string | { types: string; default: string }>;
  peerDependencies?: Record<string, string>;
}

async function packageJson(): Promise<PackageJson> {
  return JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as PackageJson;
}

/** The source module behind an export: its declaration path names it (dist/types/src/x.d.ts -> src/x.ts). */
export async function exportSources(): Promise<Map<string, string>> {
  const pkg = await packageJson();
  const sources = new Map<string, string>();
  for (const [name, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue;
    sources.set(name, join(REPO, target.types.replace(/^\.\/dist\/types\//, '').replace(/\.d\.ts$/, '.ts')));
  }
  return sources;
}

const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];

/** Bundles `import * as` of each named export together, as one app importing them. */
export async function bundleExports(names: readonly string[]): Promise<BundleSize> {
  const sources = await exportSources();
  const pkg = await packageJson();
  const platform = names.some((n) => NODE_EXPORTS.has(n)) ? 'node' : 'workerd';
  const lines = names.map((name, i) => {
    const source = sources.get(name);
    if (!source) throw new Error(`package.json exports has no '${name}'`);
    return `import * as m${i} from ${JSON.stringify(source)};\nglobalThis.__keep${i} = m${i};`;
  });
  // Node entries keep packages with native or WASM binaries as imports, as Node loads them from node_modules.
  const external = platform === 'node' ? Object.keys(pkg.peerDependencies ?? {}) : [];
  const result = await build({
    stdin: { contents: lines.join('\n'), resolveDir: REPO, loader: 'ts', sourcefile: 'consumer.ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
    platform: platform === 'node' ? 'node' : 'neutral',
    target: 'es2022',
    conditions: platform === 'node' ? ['node', 'import', 'default'] : WORKERD_CONDITIONS,
    mainFields: platform === 'node' ? ['module', 'main'] : ['browser', 'module', 'main'],
    external,
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const code = result.outputFiles[0].contents;
  return {
    exports: names,
    platform,
    minifiedBytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    packages: bundledPackages(result.metafile),
    external,
  };
}

function bundledPackages(metafile: Metafile): string[] {
  return [
    ...new Set(
      Object.keys(metafile.inputs)
        .map(packageOf)
        .filter((p): p is string => p !== undefined),
    ),
  ].sort();
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The README table: one row per export, then the edge combination the budget applies to. */
export async function sizeTable(): Promise<string> {
  const names = [...(await exportSources()).keys()];
  const rows = ['| import | bundled for | minified | gzipped | packages inside |', '|---|---|---|---|---|'];
  for (const name of [...names.map((n) => [n]), ['.', './server', './cloudflare']]) {
    const size = await bundleExports(name);
    const label = name.map((n) => `\`${n === '.' ? 'feast-edge' : `feast-edge/${n.slice(2)}`}\``).join(' + ');
    const inside = size.packages.join(', ') || 'none';
    const outside = size.external.length ? ` (Node loads the rest: ${size.external.length} optional peers)` : '';
    rows.push(`| ${label} | ${size.platform} | ${kb(size.minifiedBytes)} | ${kb(size.gzipBytes)} | ${inside}${outside} |`);
  }
  return rows.join('\n');
}

export const SIZE_MARKERS = ['<!-- sizes:start -->', '<!-- sizes:end -->'] as const;

/** Replaces the README's size table with a fresh one. */
export async function writeSizeTable(): Promise<void> {
  const readmePath = join(REPO, 'README.md');
  const readme = await readFile(readmePath, 'utf8');
  const [start, end] = SIZE_MARKERS;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} section`);
  const table = await sizeTable();
  await writeFile(readmePath, `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`);
  console.log(table);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await writeSizeTable();
