import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { assertName } from '../../definitions/validate.js';
import type { RegistryDocument } from '../../registry/document.js';
import { InvalidDefinitionError, RegistryStoreError, RegistryVersionConflictError } from '../../errors.js';
import { parseRegistryDocument } from '../../registry/document-shape.js';
import type { RegistryStore } from '../../registry/registry-store.js';

import { writingRegistry } from './registry-write-fault.js';
import { errorCode as code, withFileLock, writeFileAtomically } from './file-lock.js';

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
    await writingRegistry(file, () =>
      withFileLock(file, async () => {
        await this.#check(file, doc.project.name, expectedVersion);
        await writeFileAtomically(file, JSON.stringify(doc, null, 2));
      }),
    );
  }

  async delete(project: string, expectedVersion: number): Promise<void> {
    const file = this.#file(project);
    await writingRegistry(file, () =>
      withFileLock(file, async () => {
        await this.#check(file, project, expectedVersion);
        await rm(file, { force: true });
      }),
    );
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
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -'.json'.length))
      .sort();
  }

  async #check(file: string, project: string, expectedVersion: number): Promise<void> {
    const current = await readDocument(file);
    if (current && current.project.name !== project) {
      throw new RegistryStoreError(
        `registry file ${file} holds project '${current.project.name}', not '${project}'; give a directory to keep several projects`,
      );
    }
    const actual = current?.version ?? 0;
    if (actual !== expectedVersion) throw new RegistryVersionConflictError(project, expectedVersion, actual);
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
  // A hand-edited file of the wrong structure would otherwise fail later, anywhere, as a TypeError.
  try {
    return parseRegistryDocument(doc);
  } catch (error) {
    if (!(error instanceof InvalidDefinitionError)) throw error;
    throw new RegistryStoreError(`registry file ${file} is not a valid registry document: ${error.message}; mend it by hand, or remove it and run apply again`);
  }
}
