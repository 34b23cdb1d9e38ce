/**
 * Worker side of the transfer bench: holds a result the way the feature-store worker
 * does (an Arrow table, as DuckDB returns it) and sends it to the page on request either
 * as Arrow IPC bytes in a transferred buffer or as structured-cloned row objects.
 */
import { makeData, makeVector, Table, tableToIPC, TimestampMicrosecond, Vector } from 'apache-arrow';

interface Request {
  readonly mode: 'ipc' | 'rows' | 'rows-prebuilt';
  readonly rows: number;
}

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<Request>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};
let held: { rows: number; table: Table; objects?: Record<string, unknown>[] } | undefined;

/** A training-set shaped result: a key, an event time and four Float64 features. */
function resultTable(rows: number): Table {
  const ids = new BigInt64Array(rows);
  const times = new BigInt64Array(rows);
  const features = Array.from({ length: 4 }, () => new Float64Array(rows));
  for (let i = 0; i < rows; i++) {
    ids[i] = BigInt(1000 + (i % 5000));
    times[i] = 1_618_221_600_000_000n + BigInt(i) * 1_000_000n;
    for (let f = 0; f < 4; f++) features[f][i] = ((i * (f + 1)) % 997) / 997;
  }
  const columns: Record<string, Vector> = {
    driver_id: makeVector(ids),
    event_timestamp: new Vector([makeData({ type: new TimestampMicrosecond(), length: rows, data: times })]),
  };
  features.forEach((values, f) => {
    columns[`f${f}`] = makeVector(values);
  });
  return new Table(columns);
}

scope.onmessage = ({ data }) => {
  if (!held || held.rows !== data.rows) held = { rows: data.rows, table: resultTable(data.rows) };
  const start = performance.now();
  if (data.mode === 'ipc') {
    const bytes = tableToIPC(held.table, 'stream');
    scope.postMessage({ bytes, workerMs: performance.now() - start }, [bytes.buffer]);
  } else if (data.mode === 'rows') {
    // What returning plain rows costs: Arrow to objects in the worker, then the clone.
    const objects = held.table.toArray().map((row) => row.toJSON());
    scope.postMessage({ objects, workerMs: performance.now() - start });
  } else {
    held.objects ??= held.table.toArray().map((row) => row.toJSON());
    scope.postMessage({ objects: held.objects, workerMs: performance.now() - start });
  }
};
