import { callInPage, startChromium } from '../test/support/chromium.js';
import type { IndexedDbBenchApi } from './browser/indexeddb.entry.js';
import { fmtMs, ratio } from './measure.js';

const ROWS = 100_000;
const FEATURES = 50;
const BATCH = 10_000;

type Api = { [K in keyof IndexedDbBenchApi]: Awaited<ReturnType<IndexedDbBenchApi[K]>> };
const rate = (rowsPerSecond: number) => `${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s`;

/**
 * The IndexedDB online store measured inside headless Chromium (the system binary):
 * batch read latency through the store and through getOnlineFeatures beside idb's own
 * gets of the same records, and write throughput beside a put-per-row baseline.
 */
export async function benchIndexedDb(iterations: number): Promise<string> {
  const harness = await startChromium({ entries: { bench: 'bench/browser/indexeddb.entry.ts' }, crossOriginIsolated: true });
  if (!harness) return '## IndexedDB online store (Chromium)\n\nSkipped: chromium is not installed.\n';
  try {
    const page = await harness.openPage('bench');
    const version = harness.browser.version();
    const isolated = await callInPage<Api['isolated']>(page, 'isolated');
    const ours = await callInPage<Api['benchWrite']>(page, 'benchWrite', ROWS, FEATURES, BATCH);
    const naive = await callInPage<Api['benchNaiveWrite']>(page, 'benchNaiveWrite', ROWS, FEATURES, BATCH);
    process.stdout.write(`  indexeddb write: ${rate(ours.fresh)} (replacing ${rate(ours.replace)}, comparing ${rate(ours.compare)}) vs naive ${rate(naive)}\n`);
    const lines = [
      '| entities x features | store.read p50 | p99 | getOnlineFeatures p50 | p99 | raw idb get p50 | p99 | ratio store.read / raw (p50) | ratio getOnlineFeatures / raw (p50) |',
      '|---|---|---|---|---|---|---|---|---|',
    ];
    for (const entities of [1, 10, 100]) {
      for (const features of [10, 50]) {
        const { read, online, base } = await callInPage<Api['benchRead']>(page, 'benchRead', entities, features, iterations);
        lines.push(`| ${entities} x ${features} | ${fmtMs(read.p50)} | ${fmtMs(read.p99)} | ${fmtMs(online.p50)} | ${fmtMs(online.p99)} | ${fmtMs(base.p50)} | ${fmtMs(base.p99)} | ${ratio(read.p50, base.p50)} | ${ratio(online.p50, base.p50)} |`);
        process.stdout.write(`  indexeddb ${entities}x${features}: read ${fmtMs(read.p50)}, getOnlineFeatures ${fmtMs(online.p50)} vs raw ${fmtMs(base.p50)}\n`);
      }
    }
    await callInPage(page, 'cleanup');
    return [
      '## IndexedDB online store (Chromium)', '',
      `Measured inside headless Chromium ${version} on a local http origin${isolated ? ' (cross-origin isolated, so performance.now() resolves 5 µs)' : ''}, over ${ROWS.toLocaleString('en-US')} entities x ${FEATURES} Float64 features. Reads: ${iterations} sequential calls after 50 warm-up calls; the raw baseline is idb's promise API on the same database, one readonly transaction with every get issued at once. getOnlineFeatures adds key encoding, the plan, statuses and the response (registry document cached 60 s, as a server does).`, '',
      ...lines, '',
      `Writes: ${ROWS.toLocaleString('en-US')} rows x ${FEATURES} features in ${BATCH.toLocaleString('en-US')}-row batches, building each batch outside the clock. A batch not older than anything the view holds is written without reading stored rows; otherwise the store reads every stored row of the batch first. The naive baseline is one idb put per row of a named-field record in one transaction per batch, with no event-time check.`, '',
      '| writer | throughput |', '|---|---|',
      `| store.write, empty store | ${rate(ours.fresh)} |`,
      `| store.write, replacing every stored row (newer events) | ${rate(ours.replace)} |`,
      `| store.write, replacing every row, one older row per batch (reads each stored row to compare) | ${rate(ours.compare)} |`,
      `| naive put per row | ${rate(naive)} |`, '',
    ].join('\n');
  } finally {
    await harness.close();
  }
}
