import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertName } from '../../definitions/validate.js';
import type { RegistryDocument } from '../../registry/document.js';
import { RegistryStoreError, RegistryVersionConflictError } from '../../errors.js';
import type { RegistryStore } from '../../registry/registry-store.js';

/** A lock older than this was left by a crashed writer (a write holds it for milliseconds). */
export const STALE_LOCK_MS = 30_000;

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Registry documents as JSON files, one per project: `<dir>/<project>.json`, or exactly
 * `path` when it ends in `.json` (one project, like Feast's `registry: data/registry.db`).
 * A write goes to a temporary file in the same directory, renamed over the old one, so
 * readers see the old or the new document, never part of one. The version check and the
 * rename run under `<file>.lock`, created exclusively, so they hold across processes.
 * @example new Registry(new FileRegistryStore('data/registry.json'), 'driver_ranking')
 */
export class FileRegistryStore implements RegistryStore {
  readonly #path: string;

  constructor(pathOrDir: string) {
    this.#path = pathOrDir;
  }

  #single(): boolean {
    return this.#path.endsWith('.json');
  }

  #file(project: string): string {
    assertName(project, 'registry project');
    return this.#single() ? this.#path : join(this.#path, `${project}.json`);
  }

  async read(project: string): Promise<RegistryDocument | undefined> {
    const doc = await readDocument(this.#file(project));
    // A single-file registry holds one project; any other reads as absent.
    return doc?.project.name === project ? doc : undefined;
  }

  async write(doc: RegistryDocument, expectedVersion: number): Promise<void> {
    const file = this.#file(doc.project.name);
    await this.#locked(file, async () => {
      await this.#check(file, doc.project.name, expectedVersion);
      const temporary = `${file}.${randomUUID()}.tmp`;
      try {
        const handle = await open(temporary, 'wx');
        try {
          await handle.writeFile(JSON.stringify(doc, null, 2));
          // Flushed before the rename, so a crash cannot leave an empty registry behind it.
          await handle.sync();
        } finally {
          await handle.close();
        }
        await renameWithRetry(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    });
  }

  async delete(project: string, expectedVersion: number): Promise<void> {
    const file = this.#file(project);
    await this.#locked(file, async () => {
      await this.#check(file, project, expectedVersion);
      await rm(file, { force: true });
    });
  }

  async listProjects(): Promise<string[]> {
    if (this.#single()) {
      const doc = await readDocument(this.#path);
      return doc ? [doc.project.name] : [];
    }
    const names = await readdir(this.#path).catch((error: unknown) => {
      if (code(error) === 'ENOENT') return [] as string[];
      throw error;
    });
    return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)).sort();
  }

  async #check(file: string, project: string, expectedVersion: number): Promise<void> {
    const current = await readDocument(file);
    if (current && current.project.name !== project) {
      throw new RegistryStoreError(`registry file ${file} holds project '${current.project.name}', not '${project}'; give a directory to keep several projects`);
    }
    const actual = current?.version ?? 0;
    if (actual !== expectedVersion) throw new RegistryVersionConflictError(project, expectedVersion, actual);
  }

  /** Runs `fn` holding `<file>.lock`. Waits for a live holder; takes over a lock older than STALE_LOCK_MS. */
  async #locked<T>(file: string, fn: () => Promise<T>): Promise<T> {
    await mkdir(dirname(file), { recursive: true });
    const lock = `${file}.lock`;
    const token = randomUUID();
    // Waits longer than a lock can stay fresh, so a crashed writer's lock is always outlived.
    const deadline = Date.now() + STALE_LOCK_MS + 10_000;
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(lock, 'wx');
        try { await handle.writeFile(token); } finally { await handle.close(); }
        break;
      } catch (error) {
        if (code(error) !== 'EEXIST') throw error;
      }
      if (await breakIfStale(lock)) continue;
      if (Date.now() > deadline) throw new RegistryStoreError(`registry lock ${lock} stays held; remove it if no apply is running`);
      await sleep(Math.random() * Math.min(50, 2 + attempt));
    }
    try {
      return await fn();
    } finally {
      // Only our own lock: if ours was taken over as stale, the file is someone else's now.
      const holder = await readFile(lock, 'utf8').catch(() => undefined);
      if (holder === token) await rm(lock, { force: true });
    }
  }
}

async function readDocument(file: string): Promise<RegistryDocument | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
  let doc: RegistryDocument;
  try {
    doc = JSON.parse(text) as RegistryDocument;
  } catch (error) {
    throw new RegistryStoreError(`registry file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (doc?.formatVersion !== 1 || typeof doc.version !== 'number' || typeof doc.project?.name !== 'string') {
    throw new RegistryStoreError(`registry file ${file} is not a feast-edge registry document (formatVersion 1)`);
  }
  return doc;
}

/**
 * Removes `lock` if it is stale; true when the caller should try to take it again. The
 * lock is first renamed aside (one process wins that), then its age is checked again, so
 * a fresh lock that replaced the stale one in between is put back rather than broken.
 */
async function breakIfStale(lock: string): Promise<boolean> {
  const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, (error: unknown) => (code(error) === 'ENOENT' ? -1 : 0));
  if (age < 0) return true;
  if (age <= STALE_LOCK_MS) return false;
  const aside = `${lock}.${randomUUID()}.stale`;
  try {
    await rename(lock, aside);
  } catch (error) {
    if (code(error) === 'ENOENT') return true;
    throw error;
  }
  const movedAge = await stat(aside).then((s) => Date.now() - s.mtimeMs, () => Infinity);
  if (movedAge <= STALE_LOCK_MS) await link(aside, lock).catch(() => undefined);
  await rm(aside, { force: true });
  return true;
}

/** Windows refuses to rename over a file another process is reading; that passes in moments. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (error) {
      if (!['EPERM', 'EACCES', 'EBUSY'].includes(code(error) ?? '') || attempt >= 20) throw error;
      await sleep(10 * attempt);
    }
  }
}
