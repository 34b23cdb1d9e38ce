/*
 * Which row a key keeps, with no IndexedDB in it: the store gives the stored rows' times
 * from its decoded buckets, so this runs (and is tested) anywhere.
 */
import { isNotOlder } from '../../../../online/online-store.js';

/** The event and created times of the row a key holds now. */
export interface RowTimes {
  readonly event: bigint;
  readonly created: bigint | null;
}

/** What replaying a batch decided. */
export interface Replay {
  /**
   * Per key a row of the batch replaced, the batch row it holds afterwards; keys in the
   * order their first winning row came. Keys whose stored row beat every batch row are absent.
   */
  readonly winners: Map<string, number>;
  /** Rows that replaced their key's row when their turn came: what one put per row would have written. */
  readonly written: number;
}

/**
 * Replays a batch in order against what is stored, as one put per row would: a row
 * replaces its key's current row (stored, or an earlier row of the batch) unless it is
 * older by isNotOlder: the later event wins, equal events go to the later created time (a
 * null created time is the oldest), and equal times to the row written last.
 * `stored(id, row)` gives the times of the key's stored row (undefined: none). Without it
 * no stored row is compared: the caller knows the batch is older than nothing stored.
 * @example replayBatch(['a', 'a'], [2n, 1n], undefined).winners // Map { 'a' => 0 }: the older second row is skipped
 */
export function replayBatch(
  ids: readonly string[],
  events: readonly bigint[],
  created: readonly (bigint | null)[] | undefined,
  stored?: (id: string, row: number) => RowTimes | undefined,
): Replay {
  const createdOf = (i: number) => created?.[i] ?? null;
  const winner = new Map<string, number>();
  let written = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const event = events[i];
    const c = createdOf(i);
    const previous = winner.get(id);
    if (previous !== undefined) {
      if (!isNotOlder(event, c, events[previous], createdOf(previous))) continue;
    } else if (stored) {
      const row = stored(id, i);
      if (row !== undefined && !isNotOlder(event, c, row.event, row.created)) continue;
    }
    winner.set(id, i);
    written++;
  }
  return { winners: winner, written };
}

/**
 * The batch's oldest and newest rows by (event, created), in isNotOlder's order; of equal
 * rows the first is the oldest and the last the newest. A batch whose oldest row is not
 * older than the newest row ever stored cannot lose to a stored row.
 */
export function batchBounds(events: readonly bigint[], created: readonly (bigint | null)[] | undefined): { oldest: number; newest: number } {
  const createdOf = (i: number) => created?.[i] ?? null;
  let oldest = 0;
  let newest = 0;
  for (let i = 1; i < events.length; i++) {
    if (!isNotOlder(events[i], createdOf(i), events[oldest], createdOf(oldest))) oldest = i;
    if (isNotOlder(events[i], createdOf(i), events[newest], createdOf(newest))) newest = i;
  }
  return { oldest, newest };
}
