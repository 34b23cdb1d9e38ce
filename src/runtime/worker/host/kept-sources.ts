import { defaultKeepIn, keptFile, type KeepIn, type KeptFile } from '../../browser/kept-file.js';
import type { BrowserSourceInput } from '../../browser/source-input.js';
import type { KeptSource } from '../feature-store-api.js';

/** One manifest entry: a copied file (bytes in OPFS or IndexedDB), or a reference that needs no copy. */
type Entry = (KeptSource & { readonly copy: string }) | (KeptSource & { readonly url: string }) | (KeptSource & { readonly opfsPath: string });

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The files a page picked for a project's file sources, kept across reloads: a picked
 * File or bytes are copied into OPFS (else IndexedDB) under
 * `feast-edge/sources/<project>/<source>`; a URL or an OPFS path is kept as the reference.
 * A manifest beside them lists what is kept; `inputs()` gives what open() registers again.
 */
export function keptSources(project: string, keepIn: KeepIn = defaultKeepIn()) {
  const folder = `feast-edge/sources/${project}`;
  const copyOf = (source: string) => `${folder}/${source}`;
  // Each use opens the file and lets it go: an IndexedDB connection left open would block a later upgrade.
  async function using<T>(name: string, where: KeepIn, use: (file: KeptFile) => Promise<T>): Promise<T> {
    const file = keptFile(name, where);
    try {
      return await use(file);
    } finally {
      file.close();
    }
  }
  const manifest = <T>(use: (file: KeptFile) => Promise<T>) => using(`${folder}/kept-sources.json`, keepIn, use);

  async function entries(): Promise<Entry[]> {
    const bytes = await manifest((f) => f.read());
    if (!bytes) return [];
    try {
      const parsed = JSON.parse(decoder.decode(bytes)) as unknown;
      return Array.isArray(parsed) ? (parsed as Entry[]) : [];
    } catch {
      // A manifest cut short (the tab closed mid-write) keeps nothing rather than failing every open.
      return [];
    }
  }
  const save = (list: readonly Entry[]) => manifest((f) => f.write(encoder.encode(JSON.stringify(list))));

  return {
    keptIn: keepIn,

    /** What is kept, one entry per source. */
    async list(): Promise<KeptSource[]> {
      return (await entries()).map(({ source, fileName, format, bytes, keptIn }) => ({ source, fileName, format, bytes, keptIn }));
    },

    /** Keeps `input` for `source`, replacing what was kept for it. */
    async keep(source: string, input: BrowserSourceInput, format: 'parquet' | 'csv'): Promise<KeptSource> {
      let entry: Entry;
      if ('file' in input || 'bytes' in input) {
        const blob = 'file' in input ? input.file : new Blob([input.bytes as Uint8Array<ArrayBuffer>]);
        await using(copyOf(source), keepIn, (f) => f.write(blob));
        const fileName = 'file' in input && input.file instanceof File ? input.file.name : `${source}.${format}`;
        entry = { source, fileName, format, bytes: blob.size, keptIn: keepIn, copy: copyOf(source) };
      } else if ('url' in input) {
        entry = { source, fileName: input.url.split('/').pop() ?? input.url, format, bytes: 0, keptIn: keepIn, url: input.url };
      } else {
        entry = { source, fileName: input.opfsPath.split('/').pop() ?? input.opfsPath, format, bytes: 0, keptIn: keepIn, opfsPath: input.opfsPath };
      }
      await save([...(await entries()).filter((e) => e.source !== source), entry]);
      const { copy: _c, url: _u, opfsPath: _o, ...kept } = entry as Entry & { copy?: string; url?: string; opfsPath?: string };
      return kept;
    },

    /** The inputs to register for the kept sources: OPFS copies are read lazily by path, IndexedDB copies as bytes. */
    async inputs(): Promise<{ source: string; input: BrowserSourceInput }[]> {
      const out: { source: string; input: BrowserSourceInput }[] = [];
      for (const entry of await entries()) {
        if ('url' in entry) out.push({ source: entry.source, input: { url: entry.url, format: entry.format } });
        else if ('opfsPath' in entry) out.push({ source: entry.source, input: { opfsPath: entry.opfsPath, format: entry.format } });
        else if (entry.keptIn === 'opfs') out.push({ source: entry.source, input: { opfsPath: entry.copy, format: entry.format } });
        else {
          const bytes = await using(entry.copy, 'indexeddb', (f) => f.read());
          if (bytes) out.push({ source: entry.source, input: { bytes, format: entry.format } });
        }
      }
      return out;
    },

    /** Deletes every kept copy and the manifest. */
    async forget(): Promise<void> {
      for (const entry of await entries()) if ('copy' in entry) await using(entry.copy, entry.keptIn, (f) => f.remove());
      await manifest((f) => f.remove());
    },
  };
}
