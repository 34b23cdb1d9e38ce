import { tableToIPC, type Bool, type Data, type Table } from 'apache-arrow';
import { VectorAssembler } from 'apache-arrow/visitor/vectorassembler';

let patched = false;

/**
 * Arrow JS writes a Boolean column whose values are all null with an empty values buffer
 * (a shortcut in its IPC writer), which arrow-rs refuses: parquet-wasm, so Parquet
 * exports and native DuckDB's Arrow import, failed with "Need at least N bytes for
 * bitmap" on a training set whose Bool feature matched no row. The writer is taught to
 * write a zero-filled buffer of the required size instead, as the Arrow format asks.
 */
function writeFullBooleanBuffers(): void {
  if (patched) return;
  patched = true;
  const visitBool = VectorAssembler.prototype.visitBool;
  VectorAssembler.prototype.visitBool = function (this: VectorAssembler, data: Data<Bool>) {
    if (data.nullCount < data.length) return visitBool.call(this, data);
    const zeros = new Uint8Array(Math.ceil((data.offset + data.length) / 8));
    return visitBool.call(this, Object.create(data, { nullCount: { value: 0 }, values: { value: zeros } }));
  } as typeof visitBool;
}

/** An Arrow table as IPC stream bytes that every Arrow reader accepts (see above). */
export function tableToIpcStream(table: Table): Uint8Array {
  writeFullBooleanBuffers();
  return tableToIPC(table, 'stream');
}
