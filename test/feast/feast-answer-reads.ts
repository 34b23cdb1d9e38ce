/**
 * A recorded Feast online request read back from a store over Feast's own rows: each
 * feature view the request reads, keyed as Feast keys it, compared feature by feature with
 * the values Feast answered. The event times a store gives for keys Feast never wrote
 * differ by store, so the caller says which it expects.
 */
import { expect } from 'vitest';
import type { OnlineStore } from '../../src/online/online-store.js';
import { comparable, entityKeyFor, entityRows, expectedValue, type OnlineRequest, type ViewRead } from './online-fixtures.js';

/** One feature's part of Feast's answer (proto_json). */
export type FeastResult = NonNullable<OnlineRequest['proto_json']>['results'][number];

export async function expectFeastAnswer(
  store: OnlineStore,
  project: string,
  request: OnlineRequest,
  reads: readonly ViewRead[],
  expectedTimes: (feast: FeastResult, read: ViewRead, keys: Uint8Array[]) => (bigint | null)[],
): Promise<void> {
  const names = request.proto_json!.metadata.feature_names.val;
  const rows = entityRows(request);
  for (const read of reads) {
    const keys = rows.map((row) => entityKeyFor(read.view, row, read.joinKeyMap));
    const result = await store.read(
      project,
      read.view.name,
      keys,
      read.columns.map((c) => c.feature),
    );
    for (const { feature, output } of read.columns) {
      const feast = request.proto_json!.results[names.indexOf(output)];
      expect(comparable(result.values[feature]), output).toEqual(comparable(feast.values.map(expectedValue)));
      expect(result.eventTimestamps, output).toEqual(expectedTimes(feast, read, keys));
    }
  }
}
