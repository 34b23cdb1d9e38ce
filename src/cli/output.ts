import type { RegistryDiff } from '../registry/apply-types.js';
import { formatChange, type FieldChange } from './diff-values.js';

/** Columns padded to their widest cell, two spaces apart, like Feast's `list` output. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    widths
      .map((w, i) => (cells[i] ?? '').padEnd(w))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Feast's words for kinds in messages ("Created feature view driver_hourly_stats"). */
const KIND_LABELS: Record<string, string> = {
  project: 'project',
  entity: 'entity',
  fileSource: 'data source',
  pushSource: 'push source',
  requestSource: 'request source',
  featureView: 'feature view',
  onDemandFeatureView: 'on demand feature view',
  streamFeatureView: 'stream feature view',
  featureService: 'feature service',
};

export const kindLabel = (kind: string): string => KIND_LABELS[kind] ?? kind;

/** Dependencies first, as Feast prints them: what a line needs was listed above it. */
const KIND_ORDER = Object.keys(KIND_LABELS);
const rank = (kind: string) => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);
const byKind = <T extends { kind: string; name: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name));

/**
 * One line per change; `verbs` says whether it happened (apply) or would (plan). A changed
 * object lists its fields below it, `field: old -> new` as Feast prints them, when `values` has them.
 */
export function formatDiff(
  diff: RegistryDiff,
  verbs: { add: string; change: string; remove: string },
  values: ReadonlyMap<string, readonly FieldChange[]> = new Map(),
): string {
  const changed = (o: RegistryDiff['changed'][number]) => {
    const fields = values.get(`${o.kind}/${o.name}`);
    const head = `${verbs.change} ${kindLabel(o.kind)} ${o.name}`;
    if (!fields?.length) return `${head} (${o.fields.join(', ')})`;
    return [head, ...fields.map((f) => `  ${f.field}: ${formatChange(f.from, f.to)}`)].join('\n');
  };
  const lines = [
    ...byKind(diff.added).map((o) => `${verbs.add} ${kindLabel(o.kind)} ${o.name}`),
    ...byKind(diff.changed).map(changed),
    ...byKind(diff.removed).map((o) => `${verbs.remove} ${kindLabel(o.kind)} ${o.name}`),
  ];
  return lines.length > 0 ? lines.join('\n') : 'No changes to the registry.';
}
