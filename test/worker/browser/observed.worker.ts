/**
 * The test's own feature-store worker, as an app would write one: hostFeatureStore over
 * the definitions module, with two test hooks. Every message posted with a transfer list
 * is reported on a BroadcastChannel with its buffers' byte lengths before and after
 * posting (a transferred buffer is detached: 0 after). `?transform=changed` loads the
 * same repo with a different on-demand transform.
 */
import * as repo from 'feast-edge-definitions';
import duckdbWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import duckdbWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { onDemandFeatureView, field, Float64 } from '../../../src/index.js';
import type { FeastObject, OnDemandFeatureView } from '../../../src/definitions/index.js';
import { collectDefinitions } from '../../../src/definitions/collect-definitions.js';
import { hostFeatureStore } from '../../../src/runtime/worker/host-feature-store.js';

const log = new BroadcastChannel('feast-edge-transfer-log');
const post = globalThis.postMessage.bind(globalThis) as (message: unknown, transfer?: Transferable[]) => void;
globalThis.postMessage = ((message: unknown, transfer?: Transferable[]) => {
  const buffers = (transfer ?? []).filter((t): t is ArrayBuffer => t instanceof ArrayBuffer);
  const before = buffers.map((b) => b.byteLength);
  post(message, transfer);
  if (buffers.length > 0) log.postMessage({ before, after: buffers.map((b) => b.byteLength) });
}) as typeof globalThis.postMessage;

let definitions: FeastObject[] = collectDefinitions(repo as Record<string, unknown>);
if (new URL(self.location.href).searchParams.get('transform') === 'changed') {
  definitions = definitions.map((o) => {
    if (o.kind !== 'onDemandFeatureView') return o;
    const view = o as OnDemandFeatureView;
    return onDemandFeatureView({
      name: view.name,
      sources: [...view.sources, ...view.requestSources] as never,
      schema: [field('conv_rate_plus_val', Float64)],
      transform: (row) => ({ conv_rate_plus_val: row.conv_rate === null ? null : Number(row.conv_rate) * 2 + Number(row.val_to_add) }),
    });
  });
}

hostFeatureStore({ definitions, assets: { duckdbWasm, duckdbWorker, parquetWasm } });
