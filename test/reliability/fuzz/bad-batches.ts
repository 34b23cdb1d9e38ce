/**
 * The bad batches every write entry point must refuse the same way (issue 14): each bad
 * row, how it is made from a good one, and the error class (src/errors.ts) it is refused
 * with. Portable: the Chromium test bundles it too.
 */
export interface BadBatch {
  readonly what: string;
  readonly change: (row: Record<string, unknown>) => Record<string, unknown>;
  readonly error: 'InvalidOnlineWriteError' | 'InvalidEntityKeyError' | 'InvalidTimestampError';
}

export const BAD_BATCHES: readonly BadBatch[] = [
  { what: 'an Int32 value out of range (2^31)', change: (row) => ({ ...row, f_int32: 2 ** 31 }), error: 'InvalidOnlineWriteError' },
  { what: 'a key holding a lone surrogate', change: (row) => ({ ...row, user_id: '\ud800' }), error: 'InvalidEntityKeyError' },
  { what: 'a timestamp in year 10000', change: (row) => ({ ...row, event_timestamp: '10000-01-01T00:00:00Z' }), error: 'InvalidTimestampError' },
  { what: 'a key of 1,600 bytes', change: (row) => ({ ...row, user_id: 'k'.repeat(1600) }), error: 'InvalidOnlineWriteError' },
];

/** A batch of a good row, then the bad one: a torn write would store the first. */
export const badBatch = (make: (id: string) => Record<string, unknown>, bad: BadBatch): Record<string, unknown>[] => [make('good'), bad.change(make('bad'))];
