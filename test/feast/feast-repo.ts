/**
 * A Feast repo as Feast made it, laid out in a temporary folder: feature_store.yaml and the
 * Python definitions, the Parquet sources under data/, Feast's registry.db and (optionally)
 * its SQLite online store. Optionally with the TypeScript transforms of its Python
 * on-demand views (the same computation as the fixture's Python, restated by hand).
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FeastRepoName = 'quickstart' | 'rich';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'feast');

/**
 * quickstart's transformed_conv_rate(_fresh) (pandas): conv_rate + val_to_add, conv_rate + val_to_add_2;
 * rich's driver_adjustments (python): conv_rate + val_to_add, avg_daily_trips * multiplier (None in, None out)
 * and request_only (pandas): val_to_add * multiplier. A null input gives null, as NaN does in pandas.
 */
export const TRANSFORMS: Record<FeastRepoName, string> = {
  quickstart: `import { onDemandTransform } from 'feast-edge';
const plus = (a: unknown, b: unknown) => (a == null || b == null ? null : Number(a) + Number(b));
const convRate = (row: Record<string, unknown>) => ({ conv_rate_plus_val1: plus(row.conv_rate, row.val_to_add), conv_rate_plus_val2: plus(row.conv_rate, row.val_to_add_2) });
export const transformedConvRate = onDemandTransform({ view: 'transformed_conv_rate', transform: convRate });
export const transformedConvRateFresh = onDemandTransform({ view: 'transformed_conv_rate_fresh', transform: convRate });
`,
  rich: `import { onDemandTransform } from 'feast-edge';
const times = (a: unknown, b: unknown) => (a == null || b == null ? null : Number(a) * Number(b));
export const driverAdjustments = onDemandTransform({
  view: 'driver_adjustments',
  transform: (row) => ({
    conv_rate_plus_val: row.conv_rate == null || row.val_to_add == null ? null : Number(row.conv_rate) + Number(row.val_to_add),
    trips_scaled: times(row.avg_daily_trips, row.multiplier),
  }),
});
export const requestOnly = onDemandTransform({
  view: 'request_only',
  transformColumns: (c) => ({ val_times_multiplier: Array.from(c.val_to_add, (v, i) => times(v, c.multiplier[i])) }),
});
`,
};

export interface FeastRepoCopy {
  readonly dir: string;
  remove(): void;
}

/** Lays out `repo` in a new temporary folder; `registry` picks Feast's file before or after `feast materialize`. */
export function feastRepoCopy(
  repo: FeastRepoName,
  options: { registry?: 'registry' | 'registry-after-materialize'; onlineStore?: boolean; transforms?: boolean } = {},
): FeastRepoCopy {
  const dir = mkdtempSync(join(tmpdir(), `feast-repo-${repo}-`));
  for (const file of readdirSync(join(FIXTURES, repo, 'feature_repo'))) cpSync(join(FIXTURES, repo, 'feature_repo', file), join(dir, file));
  cpSync(join(FIXTURES, repo, 'data'), join(dir, 'data'), { recursive: true });
  cpSync(join(FIXTURES, repo, `${options.registry ?? 'registry-after-materialize'}.db`), join(dir, 'data', 'registry.db'));
  if (options.onlineStore) cpSync(join(FIXTURES, repo, 'online_store.db'), join(dir, 'data', 'online_store.db'));
  if (options.transforms) writeFileSync(join(dir, 'on_demand_transforms.ts'), TRANSFORMS[repo]);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const feastFixturePath = (repo: FeastRepoName, file: string) => join(FIXTURES, repo, file);

/** Equal as Feast's file holds it: numbers numerically (int64 with nulls is float64 there), Map JSON text as its object, times to the millisecond. */
export function same(actual: unknown, expected: unknown): boolean {
  if (actual === null || actual === undefined || expected === null || expected === undefined) return (actual ?? null) === (expected ?? null);
  if (typeof actual === 'string' && typeof expected === 'object') return same(JSON.parse(actual), expected);
  if (typeof actual === 'string' && typeof expected === 'string' && /^[[{]/.test(actual))
    return JSON.stringify(JSON.parse(actual)) === JSON.stringify(JSON.parse(expected));
  if (actual instanceof Date || expected instanceof Date) return new Date(actual as Date).getTime() === new Date(expected as Date).getTime();
  if (actual instanceof Uint8Array && expected instanceof Uint8Array) return Buffer.from(actual).equals(Buffer.from(expected));
  if ((typeof actual === 'number' || typeof actual === 'bigint') && (typeof expected === 'number' || typeof expected === 'bigint')) {
    const a = Number(actual);
    const e = Number(expected);
    return a === e || Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e));
  }
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.length === expected.length && actual.every((a, i) => same(a, expected[i]));
  if (typeof actual === 'object' && typeof expected === 'object') {
    const keys = Object.keys(expected as object);
    return (
      keys.length === Object.keys(actual as object).length &&
      keys.every((k) => same((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]))
    );
  }
  return actual === expected;
}
