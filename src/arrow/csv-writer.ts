import type { DataType, Table } from 'apache-arrow';

/**
 * Timestamps as RFC 3339 in UTC with `Z` (what the JSON output and Feast's wire use):
 * seconds when whole, else microseconds. Without the zone a reader would take local time.
 */
function formatTimestamp(micros: bigint): string {
  const ms = Number(micros / 1000n) - (micros % 1000n < 0n ? 1 : 0);
  const seconds = new Date(ms).toISOString().slice(0, 19);
  const fraction = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return fraction === 0n ? `${seconds}Z` : `${seconds}.${String(fraction).padStart(6, '0')}Z`;
}

/** A float32 written with the fewest digits that read back to the same float32 (0.53, not 0.5299999713897705), as DuckDB and pandas write them. */
function shortestFloat32(value: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

/** A float cell: always with a decimal point (14.0), so a reader keeps the column a float, as DuckDB and pandas write it. */
function formatFloat(value: number, bits: 32 | 64): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(bits === 32 ? shortestFloat32(value) : value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

function quote(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

type CellKind = { kind: 'timestamp' } | { kind: 'date' } | { kind: 'float'; bits: 32 | 64 } | { kind: 'other' };

const OTHER: CellKind = { kind: 'other' };

function cellKind(type: DataType): CellKind {
  const name = String(type);
  if (name.startsWith('Timestamp')) return { kind: 'timestamp' };
  if (name.startsWith('Date')) return { kind: 'date' };
  if (name === 'Float32' || name === 'Float16') return { kind: 'float', bits: 32 };
  if (name === 'Float64') return { kind: 'float', bits: 64 };
  return OTHER;
}

function cell(value: unknown, kind: CellKind): string {
  if (value === null || value === undefined) return '';
  // Arrow gives timestamps and dates as epoch milliseconds (fractional for microseconds).
  if (kind.kind === 'timestamp') return formatTimestamp(BigInt(Math.round(Number(value) * 1000)));
  if (kind.kind === 'date') return new Date(Number(value)).toISOString().slice(0, 10);
  if (kind.kind === 'float' && typeof value === 'number') return formatFloat(value, kind.bits);
  if (value instanceof Uint8Array) return quote(new TextDecoder().decode(value));
  if (typeof value === 'object' && Symbol.iterator in (value as object)) {
    return quote(`[${[...(value as Iterable<unknown>)].map((v) => cell(v, OTHER)).join(', ')}]`);
  }
  return quote(String(value));
}

/**
 * An Arrow table as RFC 4180 CSV with a header: the one CSV writer of every engine (the
 * CLI's native DuckDB and the browser's DuckDB-WASM), so a training set downloaded from
 * the demo and one written by `get-historical-features --output x.csv` read the same.
 * Timestamps are RFC 3339 with `Z`; floats take the fewest digits that round-trip.
 */
export function tableToCsv(table: Table): Uint8Array {
  const fields = table.schema.fields;
  const kinds = fields.map((f) => cellKind(f.type));
  const columns = fields.map((f) => table.getChild(f.name)!);
  const lines: string[] = [fields.map((f) => quote(f.name)).join(',')];
  for (let i = 0; i < table.numRows; i++) {
    lines.push(columns.map((c, j) => cell(c.get(i), kinds[j])).join(','));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}
