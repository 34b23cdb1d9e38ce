import { shownValue } from '../definitions/shown-value.js';
import type { StreamFeatureView } from '../definitions/index.js';
import { PushSourceNotFoundException, ValueError } from '../errors.js';
import type { OnlineStore } from '../online/online-store.js';
import { toOnlineBatch } from '../online/online-write.js';
import type { OnlineEntityRows } from '../online/entity-rows.js';
import type { OfflineStore } from '../offline/offline-store.js';
import type { Registry } from '../registry/registry.js';
import { applyToTiles } from '../stream/ingest.js';
import { loadedStreamView } from '../stream/loaded-view.js';
import { checkStreamEvents } from '../stream/stream-events.js';

/** What a push did: rows pushed, and for stream views, events applied online and late ones (written offline only). */
export interface PushResult {
  events: number;
  applied: number;
  late: number;
  lateByView: Record<string, number>;
}

/** What a push reads and writes: the store's registry, online store and stream view code. */
export interface PushContext {
  project: string;
  registry: Registry;
  onlineStore: OnlineStore;
  streamCode: ReadonlyMap<string, StreamFeatureView>;
  /** The offline store, or the error an online-only deployment answers with; asked only when the push writes offline. */
  offline(operation: string): OfflineStore;
}

/**
 * FeatureStore.push (documented there): every row checked for every view reading the push
 * source before anything is written, then the offline append, the online writes, and the
 * stream views' tiles.
 */
export async function pushRows(
  context: PushContext,
  pushSourceName: string,
  rows: OnlineEntityRows,
  options: { to?: 'online' | 'offline' | 'online_and_offline' } = {},
): Promise<PushResult> {
  if (options.to !== undefined && !['online', 'offline', 'online_and_offline'].includes(options.to)) {
    throw new ValueError(`push: to must be 'online', 'offline' or 'online_and_offline', got ${shownValue(options.to)}`);
  }
  const document = await context.registry.document();
  const views = Object.values(document.featureViews)
    .map((v) => v.spec)
    .filter((v) => v.streamSource?.name === pushSourceName);
  const streams = Object.values(document.streamFeatureViews ?? {})
    .map((v) => v.spec)
    .filter((v) => v.source.name === pushSourceName)
    .map((v) => loadedStreamView(v, context.streamCode));
  if (views.length === 0 && streams.length === 0) {
    const sources = Object.values(document.dataSources)
      .map((s) => s.spec)
      .filter((s) => s.kind === 'pushSource')
      .map((s) => s.name);
    // Two different mistakes: a misspelt source, or a source that exists but feeds nothing.
    throw new PushSourceNotFoundException(
      sources.includes(pushSourceName)
        ? `push source '${pushSourceName}' exists but no feature view reads it; define a featureView or streamFeatureView with source: ${pushSourceName} for its pushes to be served`
        : `push source '${pushSourceName}' is not in project '${document.project.name}'; push sources: ${sources.join(', ') || 'none'}`,
    );
  }
  const to = options.to ?? (streams.length > 0 ? 'online_and_offline' : 'online');
  // Views sharing a push source may read different columns: each takes the ones it knows.
  // Checked for every view whatever `to` says, so a push refused online is refused offline too.
  const checked = views.map((view) => toOnlineBatch(view, rows, { allowExtraColumns: true }));
  const batches = to === 'offline' ? [] : checked;
  const checkedStreams = streams.map((view) => ({ view, checked: checkStreamEvents(view, rows, { allowExtraColumns: true }) }));
  if (to !== 'online') {
    // Views of one push share its batch source: one part holds the rows for all of them.
    const source = views[0]?.batchSource ?? streams[0].batchSource;
    await context
      .offline('push')
      .writeRows(source, [
        ...views.map((view) => ({ view, rows, allowExtraColumns: true })),
        ...checkedStreams.map(({ checked }) => ({ view: checked.offlineView, rows, allowExtraColumns: true })),
      ]);
  }
  for (const batch of batches) await context.onlineStore.write(context.project, batch);
  const result: PushResult = { events: checkedStreams[0]?.checked.count ?? checked[0]?.keys.length ?? 0, applied: 0, late: 0, lateByView: {} };
  if (to !== 'offline') {
    for (const { view, checked } of checkedStreams) {
      const counts = await applyToTiles(context.onlineStore, context.project, view, checked);
      result.applied += counts.applied;
      result.late += counts.late;
      result.lateByView[view.name] = counts.late;
    }
  }
  return result;
}
