import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';
import { FeastEdgeError } from '../../definitions/errors.js';
import type { FeastObject } from '../../definitions/index.js';

const KINDS = new Set(['entity', 'fileSource', 'pushSource', 'requestSource', 'featureView', 'onDemandFeatureView', 'featureService', 'project']);
const SKIP_DIRS = new Set(['node_modules', 'data', 'dist']);
const MODULE = /\.(ts|mts|js|mjs)$/;
const TEST = /\.(test|spec)\.[mc]?[jt]s$|\.d\.ts$/;

/** This package's own entry, so repos can `import ... from 'feast-edge'` with no install. */
function feastEdgeEntry(): string {
  const here = fileURLToPath(import.meta.url);
  let dir = dirname(here);
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== 'feast-edge') {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the feast-edge package root');
    dir = parent;
  }
  const built = join(dir, 'dist', 'index.js');
  return here.includes(`${join(dir, 'dist')}`) && existsSync(built) ? built : join(dir, 'src', 'index.ts');
}

async function moduleFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...await moduleFiles(path));
    } else if (MODULE.test(entry.name) && !TEST.test(entry.name)) {
      out.push(path);
    }
  }
  return out.sort();
}

/**
 * Imports every module of a feature repo (TypeScript needs no build step) and collects
 * the feast objects they export. The same object exported twice counts once; two
 * different objects of one kind and name are an error naming both files.
 */
export async function loadDefinitions(repoPath: string): Promise<FeastObject[]> {
  const jiti = createJiti(import.meta.url, { alias: { 'feast-edge': feastEdgeEntry() }, moduleCache: false, fsCache: false });
  const found = new Map<string, { object: FeastObject; file: string }>();
  for (const file of await moduleFiles(repoPath)) {
    let exports: Record<string, unknown>;
    try {
      exports = await jiti.import(file) as Record<string, unknown>;
    } catch (error) {
      throw new FeastEdgeError('FeastRepoLoadError', `${relative(repoPath, file)}: ${(error as Error).message.split('\n')[0]}`);
    }
    for (const value of Object.values(exports ?? {})) {
      const kind = (value as { kind?: unknown } | null)?.kind;
      if (typeof kind !== 'string' || !KINDS.has(kind)) continue;
      const object = value as FeastObject;
      const key = `${kind}:${object.name}`;
      const earlier = found.get(key);
      if (earlier && earlier.object !== object && JSON.stringify(earlier.object) !== JSON.stringify(object)) {
        throw new FeastEdgeError('FeastRepoLoadError',
          `two different ${kind} definitions are named '${object.name}' (${relative(repoPath, earlier.file)} and ${relative(repoPath, file)})`);
      }
      if (!earlier) found.set(key, { object, file });
    }
  }
  return [...found.values()].map((f) => f.object);
}
