import type { RegistryDocument } from '../../src/registry/document.js';
import type { Edge, ObjectRef } from './registry-relations.js';

/** A place in the drawing: column left to right (the data's direction), row top to bottom (halves centre short columns). */
export interface Slot {
  readonly column: number;
  readonly row: number;
}

export interface LineageLayout {
  readonly nodes: readonly (Slot & { readonly ref: ObjectRef })[];
  /** Per edge, the empty slots it passes through on its way across the columns between its ends. */
  readonly routes: readonly { readonly edge: Edge; readonly from: Slot; readonly via: readonly Slot[]; readonly to: Slot }[];
  readonly columns: number;
  readonly rows: number;
}

/** Columns from data to model: entities and file/request sources, push sources, views, on-demand views, services, saved datasets. */
function columnOf(doc: RegistryDocument, ref: ObjectRef): number {
  switch (ref.kind) {
    case 'entity':
      return 0;
    case 'dataSource':
      return doc.dataSources[ref.name]?.spec.kind === 'pushSource' ? 1 : 0;
    case 'featureView':
    case 'streamFeatureView':
      return 2;
    case 'onDemandFeatureView':
      return 3;
    case 'featureService':
      return 4;
    case 'savedDataset':
      return 5;
  }
}

const KIND_ORDER = ['entity', 'dataSource', 'featureView', 'streamFeatureView', 'onDemandFeatureView', 'featureService', 'savedDataset'];
const keyOf = (ref: ObjectRef) => `${ref.kind}:${ref.name}`;

/**
 * Places `nodes` in columns by kind (empty columns dropped). An edge that spans several
 * columns gets an empty slot in each column it crosses, so it runs in its own lane instead
 * of through the boxes there. Each column is ordered by a few sweeps of the barycenter rule
 * (a slot sorted by the mean row of its neighbours in the column before, then after), so
 * edges cross little; ties keep kind, then name order, so the drawing is the same every time.
 */
export function layoutLineage(doc: RegistryDocument, nodes: readonly ObjectRef[], edges: readonly Edge[]): LineageLayout {
  const raw = [...new Set(nodes.map((ref) => columnOf(doc, ref)))].sort((a, b) => a - b);
  const column = new Map(nodes.map((ref) => [keyOf(ref), raw.indexOf(columnOf(doc, ref))]));
  const columns: string[][] = raw.map((_, c) =>
    nodes
      .filter((ref) => column.get(keyOf(ref)) === c)
      .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(keyOf),
  );
  // The chain of slots each edge runs through: its source, one lane per column crossed, its target.
  const chains = edges.flatMap((edge, i) => {
    const [from, to] = [column.get(keyOf(edge.from)), column.get(keyOf(edge.to))];
    if (from === undefined || to === undefined) return [];
    const lanes: string[] = [];
    for (let c = from + 1; c < to; c++) {
      lanes.push(`lane:${i}:${c}`);
      columns[c].push(lanes[lanes.length - 1]);
    }
    return [{ edge, chain: [keyOf(edge.from), ...lanes, keyOf(edge.to)] }];
  });
  const links = chains.flatMap(({ chain }) => chain.slice(1).map((to, i) => [chain[i], to] as const));
  const rowOf = new Map<string, number>();
  const index = () => {
    for (const list of columns) list.forEach((key, row) => rowOf.set(key, row));
  };
  index();
  const reorder = (c: number, direction: 'up' | 'down') => {
    const score = new Map<string, number>();
    for (const [row, key] of columns[c].entries()) {
      const others = links.flatMap(([a, b]) => (direction === 'up' ? (b === key ? [a] : []) : a === key ? [b] : []));
      score.set(key, others.length ? others.reduce((sum, k) => sum + rowOf.get(k)!, 0) / others.length : row);
    }
    columns[c] = columns[c]
      .map((key, i) => ({ key, i }))
      .sort((a, b) => score.get(a.key)! - score.get(b.key)! || a.i - b.i)
      .map((x) => x.key);
    index();
  };
  for (let sweep = 0; sweep < 4; sweep++) {
    for (let c = 1; c < columns.length; c++) reorder(c, 'up');
    for (let c = columns.length - 2; c >= 0; c--) reorder(c, 'down');
  }
  const rows = Math.max(1, ...columns.map((list) => list.length));
  // Short columns sit in the middle of the tallest.
  const slot = (key: string): Slot => {
    const c = column.get(key) ?? Number(key.split(':')[2]);
    return { column: c, row: rowOf.get(key)! + (rows - columns[c].length) / 2 };
  };
  return {
    nodes: nodes.map((ref) => ({ ref, ...slot(keyOf(ref)) })),
    routes: chains.map(({ edge, chain }) => ({ edge, from: slot(chain[0]), via: chain.slice(1, -1).map(slot), to: slot(chain[chain.length - 1]) })),
    columns: columns.length,
    rows,
  };
}
