import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { DatasetStorage } from '../../store/dataset-storage.js';

/** Saved datasets as Parquet files under `<repo>/data/saved_datasets/`, paths stored repo-relative. */
export class FileDatasetStorage implements DatasetStorage {
  readonly #repoPath: string;

  constructor(repoPath: string) {
    this.#repoPath = repoPath;
  }

  async write(name: string, bytes: Uint8Array): Promise<string> {
    const dir = join(this.#repoPath, 'data', 'saved_datasets');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${name}.parquet`);
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, file);
    return relative(this.#repoPath, file);
  }

  async read(path: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(isAbsolute(path) ? path : resolve(this.#repoPath, path)));
  }
}
