import { readFile, rm } from 'node:fs/promises';
import { feastRegistryProjects, readFeastRegistry, writeFeastRegistry } from '../../feast/registry/index.js';
import { RegistryStoreError, RegistryVersionConflictError } from '../../errors.js';
import type { RegistryDocument } from '../../registry/document.js';
import type { RegistryStore } from '../../registry/registry-store.js';
import { writingRegistry } from './registry-write-fault.js';
import { errorCode, withFileLock, writeFileAtomically } from './file-lock.js';

/**
 * Feast's own file registry (`registry: data/registry.db`): one serialized
 * `feast.core.Registry`, read into feast-edge's document and written back as Feast
 * writes it, so Feast's SDK and CLI keep reading it. Feast's file carries no version
 * number, so a document's version is a hash of the file's bytes (every Feast or
 * feast-edge commit changes them: a new version_id): a write checks the file still holds
 * what was read, under the same lock file as the JSON registry.
 * @example new Registry(new FeastRegistryFileStore('feature_repo/data/registry.db'), 'my_project')
 */
export class FeastRegistryFileStore implements RegistryStore {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async read(project: string): Promise<RegistryDocument | undefined> {
    const bytes = await this.#bytes();
    if (!bytes || !feastRegistryProjects(bytes).includes(project)) return undefined;
    return { ...(await readFeastRegistry(bytes, { project })), version: versionOf(bytes) };
  }

  async write(doc: RegistryDocument, expectedVersion: number): Promise<void> {
    await writingRegistry(this.path, () =>
      withFileLock(this.path, async () => {
        await this.#check(doc.project.name, expectedVersion);
        await writeFileAtomically(this.path, writeFeastRegistry(doc));
      }),
    );
  }

  async delete(project: string, expectedVersion: number): Promise<void> {
    await writingRegistry(this.path, () =>
      withFileLock(this.path, async () => {
        const bytes = await this.#check(project, expectedVersion);
        if (!bytes) return;
        const others = feastRegistryProjects(bytes).filter((p) => p !== project);
        if (others.length > 0) {
          throw new RegistryStoreError(`${this.path} also holds projects ${others.join(', ')}; remove '${project}' with Feast (feast teardown) to keep theirs`);
        }
        await rm(this.path, { force: true });
      }),
    );
  }

  async listProjects(): Promise<string[]> {
    const bytes = await this.#bytes();
    return bytes ? feastRegistryProjects(bytes) : [];
  }

  async #check(project: string, expectedVersion: number): Promise<Uint8Array | undefined> {
    const bytes = await this.#bytes();
    const actual = bytes && feastRegistryProjects(bytes).includes(project) ? versionOf(bytes) : 0;
    if (actual !== expectedVersion) throw new RegistryVersionConflictError(project, expectedVersion, actual);
    return bytes;
  }

  async #bytes(): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.path));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }
}

/** FNV-1a of the bytes as a positive 32-bit number (0 means "absent" to the registry). */
function versionOf(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0 || 1;
}
