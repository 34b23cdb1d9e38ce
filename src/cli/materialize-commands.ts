import type { Command } from 'commander';
import { microsToIso, toEpochMicros } from '../definitions/timestamp.js';
import type { FeatureStore } from '../store/feature-store.js';
import { collect, withRepo } from './context.js';
import { progressBar } from './progress-bar.js';

const VIEWS = 'a feature view to materialize; repeat it (Feast: -v a -v b) or give several comma-separated (default: every view with online: true)';
const views = (list?: string[]) => (list?.length ? list : undefined);

/** Year 1 to year 9999: every event time a source can hold. */
const ALL_TIME = { start: -62_135_596_800_000_000n, end: 253_402_300_799_000_000n };

/** The newest event time in a view's source (pushed parts included), or undefined when it has no rows. */
async function newestEvent(store: FeatureStore, viewName: string): Promise<bigint | undefined> {
  const view = await store.getFeatureView(viewName);
  const latest = await store.offline('materialize').pullLatest(view, ALL_TIME.start, ALL_TIME.end);
  let newest: bigint | undefined;
  for await (const batch of latest.batches) for (const t of batch.eventTimestamps) if (newest === undefined || t > newest) newest = t;
  return newest;
}

/**
 * Why a view got no rows: the window this run read (the interval it recorded) and where
 * the source's data lies, so "0 rows" over old sample data or a wrong window is explained.
 */
async function explainEmpty(store: FeatureStore, viewName: string, end: string): Promise<string> {
  const wanted = toEpochMicros(end, 'end');
  const document = await store.registryDocument();
  const interval = document.featureViews[viewName]?.materializationIntervals.find((i) => toEpochMicros(i.end, 'interval end') === wanted);
  const window = interval ? `between ${interval.start} and ${interval.end}` : `up to ${microsToIso(wanted)}`;
  const newest = await newestEvent(store, viewName);
  const where = newest === undefined ? 'the source has no rows' : `the source's newest event is ${microsToIso(newest)}`;
  return `${viewName}: no rows ${window} (${where})`;
}

async function printSummary(store: FeatureStore, summary: { view: string; rows: number }[], end: string, started: number): Promise<void> {
  const seconds = (performance.now() - started) / 1000;
  const rows = summary.reduce((n, s) => n + s.rows, 0);
  console.log(
    `Materialized ${rows.toLocaleString('en-US')} rows of ${summary.length} view(s) in ${seconds.toFixed(1)} s` +
      (summary.length ? `: ${summary.map((s) => `${s.view} ${s.rows.toLocaleString('en-US')}`).join(', ')}` : ''),
  );
  for (const s of summary) if (s.rows === 0) console.log(await explainEmpty(store, s.view, end));
}

/** `materialize` and `materialize-incremental`: load the latest rows into the online store, with progress. */
export function registerMaterializeCommands(program: Command): void {
  program
    .command('materialize')
    .description('load the latest row per entity with START <= event time <= END into the online store')
    .argument('<start>', 'window start (ISO 8601, e.g. 2021-04-01T00:00:00Z; no zone means UTC)')
    .argument('<end>', 'window end, inclusive')
    .option('-v, --views <names>', VIEWS, collect)
    .action((start: string, end: string, options: { views?: string[] }) =>
      withRepo(program, async ({ store }) => {
        const started = performance.now();
        const bar = progressBar();
        const summary = await store.materialize({ start, end, featureViews: views(options.views), onProgress: (p) => bar.update(p) });
        await printSummary(store, summary, end, started);
      }),
    );

  program
    .command('materialize-incremental')
    .description('materialize each view from the end of its last materialized interval to END (first run: END - ttl)')
    .argument('<end>', 'window end (ISO 8601, e.g. $(date -u +%FT%T); no zone means UTC)')
    .option('-v, --views <names>', VIEWS, collect)
    .action((end: string, options: { views?: string[] }) =>
      withRepo(program, async ({ store }) => {
        const started = performance.now();
        const bar = progressBar();
        const summary = await store.materializeIncremental({ end, featureViews: views(options.views), onProgress: (p) => bar.update(p) });
        await printSummary(store, summary, end, started);
      }),
    );
}
