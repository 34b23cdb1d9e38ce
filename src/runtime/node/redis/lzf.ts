/**
 * Decompresses LZF (liblzf's format, which Redis uses for long strings in its RDB and
 * DUMP output) into exactly `length` bytes, or undefined when the input is not valid
 * LZF of that length. Each control byte is either a literal run (below 32: that many
 * plus one bytes follow) or a back reference: a length in its top 3 bits (7 means one
 * more length byte follows, and 2 is added), and an offset of 13 bits back from the
 * output position, less one. The bytes are the answer's first `length`: it is `into`
 * when that is long enough, else a new array.
 * @example lzfDecompress(Uint8Array.of(0x01, 0x61, 0x62, 0x20, 0x01), 5) // "ababa" in bytes
 */
export function lzfDecompress(input: Uint8Array, length: number, start = 0, end = input.length, into?: Uint8Array): Uint8Array | undefined {
  // `into` (when long enough) is reused rather than a new array per string: the caller's scratch.
  const out = into && into.length >= length ? into : new Uint8Array(length);
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (ip + run > end || op + run > length) return undefined;
      // A loop, not set(subarray): runs are short, and a subarray of a Node Buffer costs more than copying them.
      for (let i = 0; i < run; i++) out[op++] = input[ip++];
      continue;
    }
    let run = ctrl >> 5;
    if (ip >= end) return undefined;
    if (run === 7) {
      run += input[ip++];
      if (ip >= end) return undefined;
    }
    let ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++];
    run += 2;
    if (ref < 0 || op + run > length) return undefined;
    // Byte by byte: a reference may overlap the bytes it is writing (a repeated pattern).
    while (run-- > 0) out[op++] = out[ref++];
  }
  return op === length ? out : undefined;
}
