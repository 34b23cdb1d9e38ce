import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RegistryDocument } from '../../registry/document.js';
import { RegistryVersionConflictError } from '../../registry/errors.js';
import type { RegistryStore } from '../../registry/registry-store.js';

const STALE_LOCK_MS = 30_000;

/**
 * Registry documents as JSON files, one per project: `<dir>/<project>.json`, or exactly
 * `path` when it ends in `.json` (Feast's `registry: data/registry.db` style). Writes go
 * to a temporary file renamed over the old one (readers never see half a document),
 * under a lock file so the version check holds across processes.
 */
export class FileRegistryStore implements RegistryStore {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  #file(project: string): string {
    return this.#path.endsWith('.json') ? this.#path : join(this.#path, `${project}.json`);
  }

  async read(project: string): Promise<RegistryDocument | undefined> {
    let text: string;
    try {
      text = await readFile(this.#file(project), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const doc = JSON.parse(text) as RegistryDocument;
    // A single-file registry holds one project; another project reads as absent.
    return doc.project?.name === project ? doc : undefined;
  }

  async write(doc: RegistryDocument, expectedVersion: number): Promise<void> {
    const file = this.#file(doc.project.name);
    await this.#locked(file, async () => {
      await this.#check(file, doc.project.name, expectedVersion);
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, JSON.stringify(doc, null, 2));
      await rename(temporary, file);
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
    if (this.#path.endsWith('.json')) {
      const text = await readFile(this.#path, 'utf8').catch(() => undefined);
      return text ? [(JSON.parse(text) as RegistryDocument).project.name] : [];
    }
    const names = await readdir(this.#path).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort();
  }

  async #check(file: string, project: string, expectedVersion: number): Promise<void> {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    const current = text ? (JSON.parse(text) as RegistryDocument) : undefined;
    const actual = current && current.project.name === project ? current.version : 0;
    if (current && current.project.name !== project) {
      throw new Error(`registry file ${file} holds project '${current.project.name}', not '${project}'`);
    }
    if (actual !== expectedVersion) throw new RegistryVersionConflictError(project, expectedVersion, actual);
  }

  /** Runs `fn` holding `<file>.lock` (created exclusively); a lock older than 30 s is taken over. */
  async #locked<T>(file: string, fn: () => Promise<T>): Promise<T> {
    await mkdir(dirname(file), { recursive: true });
    const lock = `${file}.lock`;
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(lock, 'wx');
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const age = await stat(lock).then((s) => Date.now() - s.mtimeMs).catch(() => 0);
        if (age > STALE_LOCK_MS) await rm(lock, { force: true });
        else if (attempt > 2000) throw new Error(`registry lock ${lock} is held; remove it if no apply is running`);
        else await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
      }
    }
    try {
      return await fn();
    } finally {
      await rm(lock, { force: true });
    }
  }
}
