/**
 * A value as historical rows give it back (int64 as a number when safe, else bigint), so
 * online values and transform inputs equal what training reads. Kept here rather than
 * imported from the offline code, which would pull Arrow into the online path.
 */
export function plainScalar(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  return value ?? null;
}
