import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { assertName } from '../../definitions/validate.js';
import type { DatasetStorage } from '../../offline/dataset-storage.js';

/**
 * Saved datasets as Parquet files at `<repo>/data/saved_datasets/<name>.parquet`. The
 * registry records the repo-relative path, so a repo can move or be cloned elsewhere.
 * @example createFeatureStore({ ..., datasets: new FileDatasetStorage('feature_repo') })
 */
export class FileDatasetStorage implements DatasetStorage {
  readonly #repoPath: string;

  constructor(repoPath: string) {
    this.#repoPath = resolve(repoPath);
  }

  async write(name: string, bytes: Uint8Array): Promise<string> {
    // The name becomes a file name: refuse anything that could leave the folder.
    assertName(name, 'saved dataset');
    const stored = `data/saved_datasets/${name}.parquet`;
    const file = resolve(this.#repoPath, stored);
    await mkdir(dirname(file), { recursive: true });
    // Write then rename: a reader sees the old file or the new one, never half of one.
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return stored;
  }

  async read(path: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(isAbsolute(path) ? path : resolve(this.#repoPath, path)));
  }
}
