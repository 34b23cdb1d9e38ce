import type { Table } from 'apache-arrow';

/** Timestamps as DuckDB writes them: 'YYYY-MM-DD HH:MM:SS[.ffffff]', UTC. */
function formatTimestamp(micros: bigint): string {
  const ms = Number(micros / 1000n) - (micros % 1000n < 0n ? 1 : 0);
  const iso = new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  const fraction = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return fraction === 0n ? iso.slice(0, 19) : `${iso.slice(0, 19)}.${String(fraction).padStart(6, '0')}`;
}

function quote(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function cell(value: unknown, timestampUnitToMicros: bigint | undefined): string {
  if (value === null || value === undefined) return '';
  if (timestampUnitToMicros !== undefined) return formatTimestamp(BigInt(Math.round(Number(value) * 1000)));
  if (value instanceof Uint8Array) return quote(new TextDecoder().decode(value));
  if (typeof value === 'object' && Symbol.iterator in (value as object)) {
    return quote(`[${[...(value as Iterable<unknown>)].map((v) => cell(v, undefined)).join(', ')}]`);
  }
  return quote(String(value));
}

/**
 * An Arrow table as RFC 4180 CSV with a header, for engines that cannot COPY to a file
 * (DuckDB-WASM writes COPY output to the host's disk in Node).
 */
export function tableToCsv(table: Table): Uint8Array {
  const fields = table.schema.fields;
  const isTimestamp = fields.map((f) => (String(f.type).startsWith('Timestamp') ? 1n : undefined));
  const columns = fields.map((f) => table.getChild(f.name)!);
  const lines: string[] = [fields.map((f) => quote(f.name)).join(',')];
  for (let i = 0; i < table.numRows; i++) {
    lines.push(columns.map((c, j) => cell(c.get(i), isTimestamp[j])).join(','));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}
