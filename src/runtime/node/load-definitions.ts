import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';
import { FeastRepoLoadError } from '../../errors.js';
import { isFeastObject } from '../../definitions/collect-definitions.js';
import type { FeastObject } from '../../definitions/index.js';
import { isOnDemandTransform, type OnDemandTransform } from '../../definitions/on-demand-transform.js';

// dist-edge: where `feast-edge build-edge` writes the Worker and Deno bundles.
const SKIP_DIRS = new Set(['node_modules', 'data', 'dist', 'dist-edge']);
const MODULE = /\.(ts|mts|js|mjs)$/;
const TEST = /\.(test|spec)\.[mc]?[jt]s$|\.d\.ts$/;

/**
 * What `import ... from 'feast-edge'` and `'feast-edge/offline'` give a repo's modules:
 * this package's own modules, already loaded. A repo made by `init` in any folder then
 * needs no node_modules, runs against the same version as the caller, and the library is
 * not transpiled and evaluated again for every module that imports it.
 */
export async function feastEdgeModules(): Promise<Record<string, unknown>> {
  const [core, offline] = await Promise.all([import('../../index.js'), import('../../offline/index.js')]);
  return { 'feast-edge': core, 'feast-edge/offline': offline };
}

/**
 * `feast-edge/node` as a path, loaded only if a repo module imports it (a script beside the
 * definitions, say): its engines take a second to load, which no definition needs. The
 * built file when running built (Node then imports it natively, the same instance), the
 * source when running from source.
 */
export function feastEdgeNodeAlias(): Record<string, string> {
  const here = fileURLToPath(import.meta.url);
  for (let dir = dirname(here); dirname(dir) !== dir; dir = dirname(dir)) {
    if (!isFeastEdgeRoot(dir)) continue;
    const built = here.startsWith(join(dir, 'dist') + sep);
    return { 'feast-edge/node': built ? join(dir, 'dist', 'node.js') : join(dir, 'src', 'runtime', 'node', 'index.ts') };
  }
  return {};
}

function isFeastEdgeRoot(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'feast-edge';
  } catch {
    return false;
  }
}

/** A module's error in one line; a syntax error's position (jiti puts it on line two) is kept. */
function firstLine(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const at = lines[1]?.match(/:(\d+):(\d+)$/);
  return at ? `${lines[0]} (line ${at[1]}, column ${at[2]})` : (lines[0] ?? 'failed to load');
}

async function moduleFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...(await moduleFiles(path)));
    } else if (MODULE.test(entry.name) && !TEST.test(entry.name)) {
      out.push(path);
    }
  }
  return out.sort();
}

/** What a repo's modules export: feast objects, and TypeScript transforms for on-demand views defined elsewhere. */
export interface RepoModules {
  readonly definitions: FeastObject[];
  readonly transforms: OnDemandTransform[];
}

/**
 * Imports every module of a feature repo (TypeScript needs no build step) and collects
 * the feast objects they export. The same object exported twice counts once; two
 * different objects of one kind and name are an error naming both files.
 */
export async function loadDefinitions(repoPath: string): Promise<FeastObject[]> {
  return (await loadRepoModules(repoPath)).definitions;
}

/**
 * Imports every `.ts`/`.js` module of a feature repo and collects its feast objects and
 * `onDemandTransform(...)` exports (other files, Feast's Python among them, are not
 * read). The same object exported twice counts once; two different ones of one kind and
 * name are an error naming both files.
 */
export async function loadRepoModules(repoPath: string): Promise<RepoModules> {
  const root = resolve(repoPath);
  if (!existsSync(root)) throw new FeastRepoLoadError(`the feature repo ${root} does not exist`);
  // No module cache: it is Node's process-wide require cache, so a second load (tests, a
  // server reloading the repo) would see stale modules. A repo module imported by two files
  // is then evaluated twice, which is why equal definitions compare by value below.
  const jiti = createJiti(import.meta.url, { virtualModules: await feastEdgeModules(), alias: feastEdgeNodeAlias(), moduleCache: false });
  const found = new Map<string, { object: FeastObject | OnDemandTransform; file: string }>();
  for (const file of await moduleFiles(root)) {
    let exports: Record<string, unknown>;
    try {
      exports = (await jiti.import(file)) as Record<string, unknown>;
    } catch (error) {
      throw new FeastRepoLoadError(`${relative(root, file)}: ${firstLine(error)}`);
    }
    for (const value of Object.values(exports ?? {})) {
      if (!isFeastObject(value) && !isOnDemandTransform(value)) continue;
      const object = value;
      const { kind } = object;
      const key = `${kind}:${object.name}`;
      const earlier = found.get(key);
      // On-demand views and transforms compare by their transform's source text, which the object carries.
      if (earlier && earlier.object !== object && JSON.stringify(earlier.object) !== JSON.stringify(object)) {
        throw new FeastRepoLoadError(
          `two different ${kind} definitions are named '${object.name}' (${relative(root, earlier.file)} and ${relative(root, file)})`,
        );
      }
      if (!earlier) found.set(key, { object, file });
    }
  }
  const objects = [...found.values()].map((f) => f.object);
  return {
    definitions: objects.filter((o): o is FeastObject => !isOnDemandTransform(o)),
    transforms: objects.filter(isOnDemandTransform),
  };
}
