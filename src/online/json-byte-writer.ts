/*
 * JSON text appended straight to UTF-8 bytes: one growing Uint8Array instead of strings
 * joined and encoded at the end. Web standards only (the edge and the browser use it too).
 */

const HEX = '0123456789abcdef';
const ENCODER = new TextEncoder();
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The escape JSON.stringify writes for a character below 0x20 (its short forms where it has one). */
const CONTROL_ESCAPES: string[] = Array.from({ length: 0x20 }, (_, c) => {
  const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
  return short[c] ?? `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
});

/**
 * A byte buffer for JSON text: a preallocated Uint8Array grown by doubling. Strings are
 * escaped exactly as JSON.stringify escapes them (`"`, `\`, control characters, and lone
 * surrogates as `\udXXX`); ASCII text known to need no escaping (numbers, names of
 * statuses, RFC 3339 instants) is copied byte by byte.
 * @example const w = new JsonByteWriter(); w.string('a"b'); w.finish(); // bytes of "a\"b"
 */
export class JsonByteWriter {
  #buffer: Uint8Array<ArrayBuffer>;
  #length = 0;

  constructor(capacity = 1024) {
    this.#buffer = new Uint8Array(Math.max(16, capacity));
  }

  get length(): number {
    return this.#length;
  }

  /** Room for `more` bytes after the current end. */
  #reserve(more: number): void {
    const needed = this.#length + more;
    if (needed <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }

  /** One byte (an ASCII punctuation character). */
  byte(code: number): void {
    if (this.#length === this.#buffer.length) this.#reserve(1);
    this.#buffer[this.#length++] = code;
  }

  /** Text that is ASCII and needs no escaping (a number, a literal, an instant), unquoted. */
  ascii(text: string): void {
    const n = text.length;
    this.#reserve(n);
    const buffer = this.#buffer;
    let at = this.#length;
    for (let i = 0; i < n; i++) buffer[at++] = text.charCodeAt(i);
    this.#length = at;
  }

  /** The decimal digits of `n` (whole, 0 <= n < 2^53), left-padded with zeros to `width`, without a string. */
  digits(n: number, width = 1): void {
    if (n >= 0x80000000) {
      // Beyond 31 bits: the string conversion (rare for the digits of a decimal).
      const text = String(n);
      for (let z = text.length; z < width; z++) this.byte(0x30);
      this.ascii(text);
      return;
    }
    let count = 1;
    for (let rest = n; rest >= 10; rest = (rest / 10) | 0) count++;
    if (count < width) count = width;
    this.#reserve(count);
    const buffer = this.#buffer;
    let at = this.#length + count;
    this.#length = at;
    // Small integers: V8 keeps these in 31-bit integer arithmetic.
    for (let rest = n | 0, i = 0; i < count; i++) {
      const next = (rest / 10) | 0;
      buffer[--at] = 0x30 + rest - next * 10;
      rest = next;
    }
  }

  /** `n / 10^k` (n whole, 0 < n < 2^31, k >= 1) with exactly k fraction digits, in one pass over the digits. */
  fixed(n: number, k: number): void {
    let count = 1;
    for (let rest = n; rest >= 10; rest = (rest / 10) | 0) count++;
    if (count <= k) count = k + 1;
    this.#reserve(count + 1);
    const buffer = this.#buffer;
    let at = this.#length + count + 1;
    this.#length = at;
    let rest = n | 0;
    for (let i = 0; i < k; i++) {
      const next = (rest / 10) | 0;
      buffer[--at] = 0x30 + rest - next * 10;
      rest = next;
    }
    buffer[--at] = 0x2e;
    for (let i = k; i < count; i++) {
      const next = (rest / 10) | 0;
      buffer[--at] = 0x30 + rest - next * 10;
      rest = next;
    }
  }

  /** Bytes this writer wrote earlier, from `start` to `end`, written again at the end. */
  again(start: number, end: number): void {
    this.#reserve(end - start);
    this.#buffer.copyWithin(this.#length, start, end);
    this.#length += end - start;
  }

  /** Bytes written earlier (a repeated array's JSON, kept once). */
  bytes(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  /** JSON text written elsewhere (JSON.stringify's output), as UTF-8. */
  text(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.#reserve(text.length * 3);
    this.#length += ENCODER.encodeInto(text, this.#buffer.subarray(this.#length)).written;
  }

  /** `text` as a JSON string, quoted and escaped as JSON.stringify does, in UTF-8. */
  string(text: string): void {
    const n = text.length;
    // At most 6 bytes per UTF-16 unit (`\udXXX`), plus the quotes.
    this.#reserve(n * 6 + 2);
    const buffer = this.#buffer;
    let at = this.#length;
    buffer[at++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x20 && c < 0x80) {
        if (c === QUOTE || c === BACKSLASH) buffer[at++] = BACKSLASH;
        buffer[at++] = c;
      } else if (c < 0x20) {
        const escape = CONTROL_ESCAPES[c];
        for (let k = 0; k < escape.length; k++) buffer[at++] = escape.charCodeAt(k);
      } else if (c < 0x800) {
        buffer[at++] = 0xc0 | (c >> 6);
        buffer[at++] = 0x80 | (c & 63);
      } else if (c < 0xd800 || c > 0xdfff) {
        buffer[at++] = 0xe0 | (c >> 12);
        buffer[at++] = 0x80 | ((c >> 6) & 63);
        buffer[at++] = 0x80 | (c & 63);
      } else {
        const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const point = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          buffer[at++] = 0xf0 | (point >> 18);
          buffer[at++] = 0x80 | ((point >> 12) & 63);
          buffer[at++] = 0x80 | ((point >> 6) & 63);
          buffer[at++] = 0x80 | (point & 63);
          i++;
        } else {
          // A lone surrogate: JSON.stringify writes it as an escape (well-formed JSON.stringify, ES2019).
          buffer[at++] = BACKSLASH;
          buffer[at++] = 0x75; // u
          for (let shift = 12; shift >= 0; shift -= 4) buffer[at++] = HEX.charCodeAt((c >> shift) & 15);
        }
      }
    }
    buffer[at++] = QUOTE;
    this.#length = at;
  }

  /** The text written so far (a view over the buffer; write nothing after taking it). */
  finish(): Uint8Array<ArrayBuffer> {
    return this.#buffer.subarray(0, this.#length);
  }
}
