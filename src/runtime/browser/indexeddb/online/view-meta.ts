/**
 * A view's head record, read at the start of every read and write. `epoch` is drawn at
 * random when the view is created (first write after nothing or deleteView) and
 * `generation` grows by one in every write transaction that stores rows; `changed[b]` is
 * the generation that last wrote bucket b. So (epoch, generation) names one state of the
 * view across tabs, workers and reopened connections, and a bucket cached as of
 * generation g is still exact while `changed[b] <= g`, as checked in each transaction.
 */
export interface ViewMeta {
  epoch: number;
  generation: number;
  /** Fixed when the view is created: a key's bucket is its FNV-1a hash modulo this. */
  bucketCount: number;
  /** Feature names by position; append-only until the view is deleted. */
  names: string[];
  /** The newest (event, created) pair ever written, null before the first row. */
  newestEvent: bigint | null;
  newestCreated: bigint | null;
  /** Segment records per bucket (0 = empty bucket). */
  segments: Uint8Array;
  /** Per bucket: the generation that last wrote it, and the one that last merged it into one record. */
  changed: Float64Array;
  merged: Float64Array;
}

/** One incarnation of a view in the mirror: its buckets are valid only under the same epoch. */
export interface MirrorView {
  epoch: number;
  bucketCount: number;
}

/** A copy of the stored head record that a write may change, or the head record of a view created now. */
export function editableViewMeta(stored: ViewMeta | undefined, bucketCount: number): ViewMeta {
  return stored
    ? { ...stored, names: [...stored.names], segments: stored.segments.slice(), changed: stored.changed.slice(), merged: stored.merged.slice() }
    : {
        epoch: randomEpoch(),
        generation: 0,
        bucketCount,
        names: [],
        newestEvent: null,
        newestCreated: null,
        segments: new Uint8Array(bucketCount),
        changed: new Float64Array(bucketCount),
        merged: new Float64Array(bucketCount),
      };
}

/** 52 random bits: a view deleted and written again never repeats a stamp a mirror may hold. */
function randomEpoch(): number {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  return (high & 0xfffff) * 2 ** 32 + low;
}
