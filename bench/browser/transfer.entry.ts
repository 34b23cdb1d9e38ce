/**
 * Page side of the transfer bench: asks the worker for its 1M-row result and times the
 * round trip until the page can read every value (an Arrow table decoded from the bytes,
 * or the array of cloned rows). Only numbers go back to Node.
 */
import { tableFromIPC } from 'apache-arrow';

type Mode = 'ipc' | 'rows' | 'rows-prebuilt';
const worker = new Worker('/transfer-worker.js');

function once(mode: Mode, rows: number): Promise<{ totalMs: number; workerMs: number; bytes: number; checksum: number }> {
  return new Promise((resolve) => {
    const start = performance.now();
    worker.onmessage = ({ data }) => {
      let checksum = 0;
      let bytes = 0;
      if (mode === 'ipc') {
        bytes = data.bytes.byteLength;
        const table = tableFromIPC(data.bytes as Uint8Array);
        // Reading one column through makes the decode real work, as a page showing the rows would.
        const values = table.getChild('f0')!.toArray() as Float64Array;
        for (let i = 0; i < values.length; i++) checksum += values[i];
      } else {
        for (const row of data.objects as { f0: number }[]) checksum += row.f0;
      }
      resolve({ totalMs: performance.now() - start, workerMs: data.workerMs, bytes, checksum });
    };
    worker.postMessage({ mode, rows });
  });
}

async function benchTransfer(rows: number, runs: number) {
  const result: Record<Mode, { medianMs: number; workerMs: number; bytes: number; checksum: number }> = {} as never;
  for (const mode of ['ipc', 'rows', 'rows-prebuilt'] as Mode[]) {
    await once(mode, rows);
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await once(mode, rows));
    samples.sort((a, b) => a.totalMs - b.totalMs);
    const median = samples[Math.floor(samples.length / 2)];
    result[mode] = { medianMs: median.totalMs, workerMs: median.workerMs, bytes: median.bytes, checksum: median.checksum };
  }
  return result;
}

Object.assign(globalThis, { benchTransfer });
