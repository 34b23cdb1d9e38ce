/**
 * Browser side of test/worker/*.test.ts: a page that starts feature-store workers and
 * puts on `globalThis` what the Node test calls. Results are made JSON-friendly here
 * (Arrow IPC decoded to rows, timestamps as ISO strings, int64 as numbers).
 */
import { tableFromIPC } from 'apache-arrow';
import type { Remote } from 'comlink';
import { tableToRows } from '../../../src/arrow/table-rows.js';
import { connectFeatureStore } from '../../../src/runtime/worker/connect-feature-store.js';
import type { ArrowIpcResult, FeatureStoreWorkerApi, Progress } from '../../../src/runtime/worker/feature-store-api.js';

const stores = new Map<string, { worker: Worker; store: Remote<FeatureStoreWorkerApi> }>();
/** Buffers the test worker posted with a transfer list: byte lengths before and after posting. */
const transfers: { before: number[]; after: number[] }[] = [];
new BroadcastChannel('feast-edge-transfer-log').onmessage = (event) => {
  transfers.push(event.data);
};

function store(name: string): Remote<FeatureStoreWorkerApi> {
  const found = stores.get(name);
  if (!found) throw new Error(`no store '${name}'`);
  return found.store;
}

const plain = (value: unknown): unknown => {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  return value;
};

function decode(result: ArrowIpcResult) {
  const rows = tableToRows(tableFromIPC(result.ipc)).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
  return {
    rows,
    numRows: result.numRows,
    columns: result.columns,
    ipcIsView: !(result.ipc instanceof Uint8Array) ? 'not bytes' : result.ipc.buffer.byteLength === result.ipc.byteLength ? 'whole buffer' : 'view',
  };
}

const errorOf = (error: unknown) => ({ name: (error as Error).name, message: (error as Error).message });

/** Runs `work`; its outcome as { ok } or { error: { name, message } }, with the wall time. */
async function outcome<T>(work: () => Promise<T>): Promise<{ ok?: T; error?: { name: string; message: string }; ms: number }> {
  const started = performance.now();
  try {
    return { ok: await work(), ms: performance.now() - started };
  } catch (error) {
    return { error: errorOf(error), ms: performance.now() - started };
  }
}

const api = {
  connect(name: string, script: string): void {
    const worker = new Worker(script, { type: 'module', name });
    stores.set(name, { worker, store: connectFeatureStore(worker) });
  },
  async terminate(name: string): Promise<void> {
    const found = stores.get(name);
    if (!found) return;
    await found.store.close().catch(() => undefined);
    found.worker.terminate();
    stores.delete(name);
  },
  /** Any API method whose result is structured-clonable data. */
  call(name: string, method: keyof FeatureStoreWorkerApi, ...args: unknown[]) {
    return outcome(() => (store(name)[method] as (...a: unknown[]) => Promise<unknown>)(...args));
  },
  historical(name: string, request: Parameters<FeatureStoreWorkerApi['getHistoricalFeatures']>[0]) {
    return outcome(async () => decode(await store(name).getHistoricalFeatures(request)));
  },
  /** A historical retrieval answered with its row count only (large results). */
  historicalCount(name: string, request: Parameters<FeatureStoreWorkerApi['getHistoricalFeatures']>[0]) {
    return outcome(async () => (await store(name).getHistoricalFeatures(request)).numRows);
  },
  /** A historical retrieval whose progress events are recorded. */
  async historicalWithProgress(name: string, request: Parameters<FeatureStoreWorkerApi['getHistoricalFeatures']>[0]) {
    const progress: Progress[] = [];
    const result = await outcome(async () =>
      decode(
        await store(name).getHistoricalFeatures(request, {
          onProgress: (p) => {
            progress.push(p);
          },
        }),
      ),
    );
    // Progress calls are fire-and-forget messages: let the last ones land.
    await new Promise((r) => setTimeout(r, 50));
    return { ...result, progress };
  },
  /** A historical retrieval aborted `afterMs` after it starts. */
  async cancelHistorical(name: string, request: Parameters<FeatureStoreWorkerApi['getHistoricalFeatures']>[0], afterMs: number) {
    const controller = new AbortController();
    const steps: string[] = [];
    setTimeout(() => controller.abort(), afterMs);
    const result = await outcome(
      async () =>
        (
          await store(name).getHistoricalFeatures(request, {
            signal: controller.signal,
            onProgress: (p) => {
              steps.push(p.step);
            },
          })
        ).numRows,
    );
    return { ...result, steps };
  },
  /** A materialization aborted at its first progress report (after one whole batch). */
  async cancelMaterialize(name: string, options: Parameters<FeatureStoreWorkerApi['materialize']>[0]) {
    const controller = new AbortController();
    const progress: Progress[] = [];
    const result = await outcome(() =>
      store(name).materialize(options, {
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p);
          controller.abort();
        },
      }),
    );
    return { ...result, progress };
  },
  async materializeWithProgress(name: string, options: Parameters<FeatureStoreWorkerApi['materialize']>[0]) {
    const progress: Progress[] = [];
    const result = await outcome(() =>
      store(name).materialize(options, {
        onProgress: (p) => {
          progress.push(p);
        },
      }),
    );
    await new Promise((r) => setTimeout(r, 50));
    return { ...result, progress };
  },
  preview(name: string, view: string, options?: { firstRows?: number; bins?: number }) {
    return outcome(async () => {
      const preview = await store(name).previewFeatureView(view, options);
      return { ...preview, firstRows: decode(preview.firstRows) };
    });
  },
  /** Registers a source from a file the page fetches: as a File, or first written to OPFS at `opfsPath`. */
  async registerFetched(name: string, source: string, url: string, as: 'file' | 'opfs', opfsPath = 'data/source.parquet') {
    const bytes = await (await fetch(url)).arrayBuffer();
    const fileName = url.split('/').pop()!;
    if (as === 'file') return outcome(() => store(name).registerSource(source, { file: new File([bytes], fileName) }));
    let directory = await navigator.storage.getDirectory();
    const parts = opfsPath.split('/');
    for (const part of parts.slice(0, -1)) directory = await directory.getDirectoryHandle(part, { create: true });
    const writable = await (await directory.getFileHandle(parts[parts.length - 1], { create: true })).createWritable();
    await writable.write(bytes);
    await writable.close();
    return outcome(() => store(name).registerSource(source, { opfsPath }));
  },
  /**
   * Any API method, each argument string `'$file:<url>'` (at any depth) replaced by a File of
   * that URL's bytes, as a page passes a picked file.
   */
  async callWithFiles(name: string, method: keyof FeatureStoreWorkerApi, ...args: unknown[]) {
    const withFiles = async (value: unknown): Promise<unknown> => {
      if (typeof value === 'string' && value.startsWith('$file:')) {
        const url = value.slice('$file:'.length);
        return new File([await (await fetch(url)).arrayBuffer()], url.split('/').pop()!);
      }
      if (Array.isArray(value)) return Promise.all(value.map(withFiles));
      if (value && typeof value === 'object')
        return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await withFiles(v)])));
      return value;
    };
    const resolved = (await withFiles(args)) as unknown[];
    return outcome(() => (store(name)[method] as (...a: unknown[]) => Promise<unknown>)(...resolved));
  },
  /** A retrieval written as a file by the worker; the bytes as numbers (small files only). */
  exportHistorical(name: string, request: Parameters<FeatureStoreWorkerApi['exportHistoricalFeatures']>[0], format: 'csv' | 'parquet') {
    return outcome(async () => Array.from(await store(name).exportHistoricalFeatures(request, format)));
  },
  /** Saves a retrieval as a dataset, then reads the dataset back. */
  saveAndRead(name: string, request: Parameters<FeatureStoreWorkerApi['saveDataset']>[0], dataset: string) {
    return outcome(async () => {
      const saved = await store(name).saveDataset(request, dataset);
      return { saved, read: decode(await store(name).readSavedDataset(dataset)) };
    });
  },
  transfers: () => transfers,
};

Object.assign(globalThis, api);
