import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileSource } from '../../definitions/index.js';
import { InvalidOfflineWriteError } from '../../errors.js';
import type { OfflineAppendStorage, OfflinePart } from '../../offline/offline-appends.js';
import { localSourcePath } from './node-source-loader.js';

/**
 * Offline writes in Node: each append is one Parquet file in `<source file>.pushed/`
 * beside the source (data/driver_stats.parquet -> data/driver_stats.parquet.pushed/),
 * named so that listing order is write order. Written under a temporary name and renamed,
 * so a reader sees a whole part or none, and a crash leaves no half part behind.
 */
export class FileOfflineAppends implements OfflineAppendStorage {
  readonly #repoPath: string;
  #sequence = 0;

  constructor(repoPath: string) {
    this.#repoPath = repoPath;
  }

  #folder(source: FileSource): string {
    if (/^https?:\/\//i.test(source.path)) {
      throw new InvalidOfflineWriteError(`source '${source.name}' is read from ${source.path}; rows can only be appended to a local file source`);
    }
    return `${localSourcePath(this.#repoPath, source)}.pushed`;
  }

  async append(source: FileSource, parquet: Uint8Array): Promise<void> {
    const folder = this.#folder(source);
    await mkdir(folder, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const name = `part-${stamp}-${String(++this.#sequence).padStart(6, '0')}-${randomUUID().slice(0, 8)}.parquet`;
    const temporary = join(folder, `.${name}.tmp`);
    try {
      await writeFile(temporary, parquet);
      await rename(temporary, join(folder, name));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async parts(source: FileSource): Promise<OfflinePart[]> {
    if (/^https?:\/\//i.test(source.path)) return [];
    const folder = this.#folder(source);
    const names = await readdir(folder).catch(() => [] as string[]);
    return names
      .filter((n) => n.startsWith('part-') && n.endsWith('.parquet'))
      .sort()
      .map((n) => ({ path: join(folder, n) }));
  }
}
