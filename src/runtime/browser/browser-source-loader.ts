import { tableFromIPC } from 'apache-arrow';
import type { ParquetFile } from 'parquet-wasm/esm';
import { formatFromPath, type FileFormat, type FileSource } from '../../definitions/index.js';
import { DataSourceNotFoundException } from '../../errors.js';
import type { SourceLoader } from '../../sql/source-loader.js';
import { PARQUET_BATCH_ROWS } from '../../sql/duckdb-wasm/wasm-backend.js';
import type { SqlEngine } from '../../sql/sql-engine.js';
import { readOpfsFile } from './opfs.js';
import type { ParquetWasm } from './parquet-wasm-codec.js';
import type { BrowserSourceInput } from './source-input.js';

export interface BrowserSourceLoaderOptions {
  /** What relative source paths ('data/driver_stats.parquet') resolve against. */
  readonly baseUrl: string;
  /** parquet-wasm, loaded on first Parquet read. */
  readonly parquet: () => Promise<ParquetWasm>;
}

/**
 * Reads file sources in a browser or worker: a registered input (a File/Blob, bytes, a
 * URL or an OPFS path) when one was given for the source, else its path as a URL
 * relative to `baseUrl`. Parquet from a URL, a File or OPFS is read through parquet-wasm's
 * async reader: HTTP range requests or Blob slices for the footer and the needed columns only.
 * @example const sources = new BrowserSourceLoader({ baseUrl: location.origin + '/', parquet: () => loadParquetWasm(url) });
 *          sources.register('driver_hourly_stats_source', { file: pickedFile });
 */
export class BrowserSourceLoader implements SourceLoader {
  readonly #options: BrowserSourceLoaderOptions;
  readonly #inputs = new Map<string, BrowserSourceInput>();

  constructor(options: BrowserSourceLoaderOptions) {
    this.#options = options;
  }

  /** Makes a source read `input` instead of its path. */
  register(sourceName: string, input: BrowserSourceInput): void {
    this.#inputs.set(sourceName, input);
  }

  /** Forgets every registered input: each source reads its path again. */
  clear(): void {
    this.#inputs.clear();
  }

  /** The inputs registered so far, by source name. */
  registered(): ReadonlyMap<string, BrowserSourceInput> {
    return new Map(this.#inputs);
  }

  /** What a source reads now: its registered input, or its path as a URL. */
  inputOf(source: FileSource): BrowserSourceInput {
    return this.#inputs.get(source.name) ?? { url: this.resolve(source.path), format: source.format };
  }

  resolve(path: string): string {
    return new URL(path, this.#options.baseUrl).href;
  }

  async load(engine: SqlEngine, viewName: string, source: FileSource, columns?: readonly string[]): Promise<void> {
    const input = this.inputOf(source);
    const where = `source '${source.name}'`;
    if ('bytes' in input) return engine.registerBytes(viewName, input.bytes, input.format, columns);
    if ('url' in input) {
      // parquet-wasm needs an absolute URL (a relative one never settles).
      const url = this.resolve(input.url);
      const format = formatOf(input.format, url, source.format);
      if (format === 'parquet') {
        await assertParquetAt(url, where);
        return this.#loadParquet(engine, viewName, columns, where, (p) => p.ParquetFile.fromUrl(url), url);
      }
      const response = await fetch(url).catch((error: unknown) => {
        throw new DataSourceNotFoundException(`${where}: GET ${url} failed (${String(error)})`);
      });
      if (!response.ok) throw new DataSourceNotFoundException(`${where}: GET ${url} answered ${response.status}`);
      return engine.registerBytes(viewName, new Uint8Array(await response.arrayBuffer()), 'csv', columns);
    }
    const file = 'file' in input ? input.file : await readOpfsFile(input.opfsPath);
    const name = 'opfsPath' in input ? input.opfsPath : ((input.file as File).name ?? '');
    const format = formatOf(input.format, name, source.format);
    if (format === 'parquet') return this.#loadParquet(engine, viewName, columns, where, (p) => p.ParquetFile.fromFile(file), name || 'the file');
    return engine.registerBytes(viewName, new Uint8Array(await file.arrayBuffer()), 'csv', columns);
  }

  async #loadParquet(
    engine: SqlEngine,
    viewName: string,
    columns: readonly string[] | undefined,
    where: string,
    open: (parquet: ParquetWasm) => Promise<ParquetFile>,
    what: string,
  ): Promise<void> {
    const parquet = await this.#options.parquet();
    let file: ParquetFile;
    try {
      file = await open(parquet);
    } catch (error) {
      throw new DataSourceNotFoundException(`${where}: cannot read Parquet from ${what} (${errorText(error)})`);
    }
    try {
      const table = await file.read({ batchSize: PARQUET_BATCH_ROWS, ...(columns && columns.length > 0 ? { columns: [...columns] } : {}) });
      await engine.registerArrow(viewName, tableFromIPC(table.intoIPCStream()));
    } finally {
      file.free();
    }
  }
}

function formatOf(given: FileFormat | undefined, name: string, fallback: FileFormat): FileFormat {
  return given ?? formatFromPath(name.replace(/[?#].*$/, '')) ?? fallback;
}

/**
 * Asks for a URL's first four bytes before parquet-wasm opens it: its reader never settles
 * on a missing file (a 404), and a server that answers every path with its app page
 * would hand it HTML. Either is an error naming the source and the URL instead.
 */
async function assertParquetAt(url: string, where: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Range: 'bytes=0-3' } });
  } catch (error) {
    throw new DataSourceNotFoundException(`${where}: GET ${url} failed (${errorText(error)})`);
  }
  const reader = response.body?.getReader();
  const first = reader ? await reader.read().catch(() => undefined) : undefined;
  await reader?.cancel().catch(() => undefined);
  if (!response.ok) throw new DataSourceNotFoundException(`${where}: GET ${url} answered ${response.status}`);
  const magic = first?.value ? new TextDecoder().decode(first.value.subarray(0, 4)) : '';
  if (magic !== 'PAR1') throw new DataSourceNotFoundException(`${where}: ${url} is not a Parquet file (it does not start with PAR1)`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
