import type { Command } from 'commander';
import { collect, withRepo } from './context.js';
import { progressBar } from './progress-bar.js';

const VIEWS = 'a feature view to materialize; repeat it (Feast: -v a -v b) or give several comma-separated (default: every view with online: true)';
const views = (list?: string[]) => (list?.length ? list : undefined);

function printSummary(summary: { view: string; rows: number }[], started: number): void {
  const seconds = (performance.now() - started) / 1000;
  const rows = summary.reduce((n, s) => n + s.rows, 0);
  console.log(
    `Materialized ${rows.toLocaleString('en-US')} rows of ${summary.length} view(s) in ${seconds.toFixed(1)} s` +
      (summary.length ? `: ${summary.map((s) => `${s.view} ${s.rows.toLocaleString('en-US')}`).join(', ')}` : ''),
  );
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
        printSummary(await store.materialize({ start, end, featureViews: views(options.views), onProgress: (p) => bar.update(p) }), started);
      }),
    );

  program
    .command('materialize-incremental')
    .description('materialize each view from the end of its last materialized interval to END (first run: END - ttl)')
    .argument('<end>', 'window end (ISO 8601; no zone means UTC)')
    .option('-v, --views <names>', VIEWS, collect)
    .action((end: string, options: { views?: string[] }) =>
      withRepo(program, async ({ store }) => {
        const started = performance.now();
        const bar = progressBar();
        printSummary(await store.materializeIncremental({ end, featureViews: views(options.views), onProgress: (p) => bar.update(p) }), started);
      }),
    );
}
