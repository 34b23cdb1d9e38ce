/** Plain-text tables and diff summaries for the CLI. */

export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function formatDiff(diff: { added: { kind: string; name: string }[]; changed: { kind: string; name: string; fields: string[] }[]; removed: { kind: string; name: string }[] }, verb: { add: string; change: string; remove: string }): string {
  const lines = [
    ...diff.added.map((o) => `${verb.add} ${o.kind} ${o.name}`),
    ...diff.changed.map((o) => `${verb.change} ${o.kind} ${o.name} (${o.fields.join(', ')})`),
    ...diff.removed.map((o) => `${verb.remove} ${o.kind} ${o.name}`),
  ];
  return lines.length > 0 ? lines.join('\n') : 'No changes to the registry.';
}
