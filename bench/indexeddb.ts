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
 * batch read latency (mirror warm and cold) through the store and through
 * getOnlineFeatures beside idb's own gets of the same keys in a one-record-per-row
 * database, and write throughput beside that put-per-row baseline.
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
    process.stdout.write(
      `  indexeddb write: ${rate(ours.fresh)} (replacing ${rate(ours.replace)}, comparing ${rate(ours.compare)}, comparing cold ${rate(ours.compareCold)}) vs naive ${rate(naive)}\n`,
    );
    const lines = [
      "| entities x features | store.read warm p50 | warm p99 | store.read cold p50 | after another tab's 100-row push p50 | getOnlineFeatures p50 | p99 | raw idb get, one record per row, p50 | warm / raw (p50) | cold / raw (p50) |",
      '|---|---|---|---|---|---|---|---|---|---|',
    ];
    for (const entities of [1, 10, 100]) {
      for (const features of [10, 50]) {
        const { warm, cold, pushed, online, base } = await callInPage<Api['benchRead']>(page, 'benchRead', entities, features, iterations);
        lines.push(
          `| ${entities} x ${features} | ${fmtMs(warm.p50)} | ${fmtMs(warm.p99)} | ${fmtMs(cold.p50)} | ${fmtMs(pushed.p50)} | ${fmtMs(online.p50)} | ${fmtMs(online.p99)} | ${fmtMs(base.p50)} | ${ratio(warm.p50, base.p50)} | ${ratio(cold.p50, base.p50)} |`,
        );
        process.stdout.write(
          `  indexeddb ${entities}x${features}: read warm ${fmtMs(warm.p50)}, cold ${fmtMs(cold.p50)}, after a push ${fmtMs(pushed.p50)}, getOnlineFeatures ${fmtMs(online.p50)} vs raw ${fmtMs(base.p50)}\n`,
        );
      }
    }
    await callInPage(page, 'cleanup');
    return [
      '## IndexedDB online store (Chromium)',
      '',
      `Measured inside headless Chromium ${version} on a local http origin${isolated ? ' (cross-origin isolated, so performance.now() resolves 5 µs)' : ''}, over ${ROWS.toLocaleString('en-US')} entities x ${FEATURES} Float64 features, stored in the default 128 hashed buckets (about 800 rows each) of columnar segment records.`,
      `Warm: ${iterations} sequential reads of the same keys after 50 warm-up calls; the in-memory mirror holds their buckets, so a read is one readonly transaction fetching the view's meta record (the generation check). Cold: the mirror is cleared and fresh random keys are drawn before each of ${Math.max(20, Math.floor(iterations / 3))} reads, so a read fetches one bucket per distinct bucket of its keys (Chromium's own caches stay warm). After a push: before each read another connection to the database (as another tab or worker) writes 100 random rows, touching most buckets; the read fetches only the records written since into the buckets its keys need (or a whole bucket the push merged). getOnlineFeatures (warm) adds key encoding, the plan, statuses and the response (registry document cached 60 s, as a server does). The raw baseline is idb's promise API reading the same keys from a one-record-per-row database (the naive writer's), one readonly transaction with every get issued at once: the floor of the layout this store replaced.`,
      '',
      ...lines,
      '',
      `Writes: ${ROWS.toLocaleString('en-US')} rows x ${FEATURES} features in ${BATCH.toLocaleString('en-US')}-row batches, building each batch outside the clock; both writers in this run. A batch not older than anything the view holds is written without reading buckets (one segment record per touched bucket); otherwise the store compares against every touched bucket, from the mirror or read in the write transaction. Every few writes a bucket is merged into one record, spread so each batch merges about a tenth of them. The naive baseline is one idb put per row of a named-field record in one transaction per batch, with no event-time check.`,
      '',
      '| writer | throughput |',
      '|---|---|',
      `| store.write, empty store | ${rate(ours.fresh)} |`,
      `| store.write, replacing every stored row (newer events) | ${rate(ours.replace)} |`,
      `| store.write, replacing every row, one older row per batch (compares with every stored row) | ${rate(ours.compare)} |`,
      `| store.write, same, mirror off (reads every touched bucket in the write) | ${rate(ours.compareCold)} |`,
      `| naive put per row | ${rate(naive)} |`,
      '',
    ].join('\n');
  } finally {
    await harness.close();
  }
}
