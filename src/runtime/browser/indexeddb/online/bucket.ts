import type { Segment } from './segment.js';
import type { MirrorView } from './view-meta.js';

/** A row reference is one number, segment * ROW_STRIDE + row: no object per key in a bucket's index. */
const ROW_STRIDE = 2 ** 32;

/** 32-bit FNV-1a of the key's bytes (one char per byte): stored bucket numbers depend on it, so it never changes. */
export function hashKey(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A decoded bucket: its segments in generation order and where each key's current row is. */
export class Bucket {
  readonly segments: Segment[] = [];
  /** Per segment: row → [column, value, ...] for its non-number values, built on first use. */
  readonly #others: (Map<number, unknown[]> | null | undefined)[] = [];
  /** Per segment: name-list position → column, -1 where the segment has none. */
  readonly columnOf: Int32Array[] = [];
  /** Key → segment * 2^32 + row of its newest row; built once the bucket is looked up a few times. */
  #index: Map<string, number> | null = null;
  #indexed = 0;
  #lookups = 0;
  rows = 0;

  /** `validAt`: a generation at which this is exactly what the bucket's records hold. */
  constructor(
    readonly view: MirrorView,
    readonly id: string,
    public validAt: number,
  ) {}

  add(segment: Segment): void {
    this.segments.push(segment);
    this.#others.push(segment.others ? undefined : null);
    let width = 0;
    for (const p of segment.columns) width = Math.max(width, p + 1);
    const columnOf = new Int32Array(width).fill(-1);
    segment.columns.forEach((p, j) => {
      columnOf[p] = j;
    });
    this.columnOf.push(columnOf);
    this.rows += segment.keys.length;
  }

  /** Where `key`'s newest row is (segment * 2^32 + row), or undefined. */
  find(key: string): number | undefined {
    // A bucket fetched for one key (a cold read) is scanned; a reused one gets a map.
    if (this.#index === null && ++this.#lookups <= 2) {
      for (let s = this.segments.length - 1; s >= 0; s--) {
        const row = this.segments[s].keys.lastIndexOf(key);
        if (row >= 0) return s * ROW_STRIDE + row;
      }
      return undefined;
    }
    return this.index().get(key);
  }

  /** Every key with its newest row, in first-written order. */
  index(): Map<string, number> {
    const index = (this.#index ??= new Map());
    for (; this.#indexed < this.segments.length; this.#indexed++) {
      const keys = this.segments[this.#indexed].keys;
      const base = this.#indexed * ROW_STRIDE;
      for (let r = 0; r < keys.length; r++) index.set(keys[r], base + r);
    }
    return index;
  }

  othersOf(s: number): Map<number, unknown[]> | null {
    let others = this.#others[s];
    if (others !== undefined) return others;
    const list = this.segments[s].others!;
    others = new Map();
    for (let k = 0; k < list.length; k += 3) {
      const row = list[k] as number;
      let entry = others.get(row);
      if (!entry) others.set(row, (entry = []));
      entry.push(list[k + 1], list[k + 2]);
    }
    this.#others[s] = others;
    return others;
  }

  event(ref: number): bigint {
    return this.segments[Math.floor(ref / ROW_STRIDE)].events[ref % ROW_STRIDE];
  }

  created(ref: number): bigint | null {
    const segment = this.segments[Math.floor(ref / ROW_STRIDE)];
    const row = ref % ROW_STRIDE;
    return segment.createdSet?.[row] ? segment.created![row] : null;
  }

  /** The value at name-list `position` of the row `ref` points at. */
  value(ref: number, position: number): unknown {
    const s = Math.floor(ref / ROW_STRIDE);
    const row = ref % ROW_STRIDE;
    const columnOf = this.columnOf[s];
    const j = position < columnOf.length ? columnOf[position] : -1;
    if (j < 0) return null;
    if (this.#others[s] !== null) {
      const other = this.othersOf(s)?.get(row);
      if (other) {
        for (let k = 0; k < other.length; k += 2) {
          if (other[k] !== j) continue;
          const found = other[k + 1];
          // Bytes and lists are the mirror's own: a caller changing one must not change the store.
          return typeof found === 'object' && found !== null ? structuredClone(found) : found;
        }
      }
    }
    const segment = this.segments[s];
    return segment.numbers[j * segment.keys.length + row];
  }

  /** Every current row in one segment with a column per position of `width`. */
  compact(width: number): Segment {
    const index = this.index();
    const n = index.size;
    const keys: string[] = [];
    const events = new BigInt64Array(n);
    let created: BigInt64Array | null = null;
    let createdSet: Uint8Array | null = null;
    const numbers = new Float64Array(width * n);
    const others: unknown[] = [];
    let r = 0;
    for (const [key, ref] of index) {
      keys.push(key);
      const s = Math.floor(ref / ROW_STRIDE);
      const row = ref % ROW_STRIDE;
      const segment = this.segments[s];
      events[r] = segment.events[row];
      if (segment.createdSet?.[row]) {
        created ??= new BigInt64Array(n);
        createdSet ??= new Uint8Array(n);
        created[r] = segment.created![row];
        createdSet[r] = 1;
      }
      const rows = segment.keys.length;
      const source = segment.numbers;
      const columnOf = this.columnOf[s];
      for (let p = 0; p < width; p++) {
        const j = p < columnOf.length ? columnOf[p] : -1;
        if (j < 0) others.push(r, p, null);
        else numbers[p * n + r] = source[j * rows + row];
      }
      // A non-number value overrides its number slot.
      const other = this.#others[s] === null ? undefined : this.othersOf(s)?.get(row);
      if (other) for (let k = 0; k < other.length; k += 2) others.push(r, segment.columns[other[k] as number], other[k + 1]);
      r++;
    }
    return { keys, events, created, createdSet, columns: Int32Array.from({ length: width }, (_, p) => p), numbers, others: others.length ? others : null };
  }
}
