import type { RegistryDocument } from '../../../src/registry/document.js';
import { layoutLineage, type Slot } from '../lineage-layout.js';
import { KIND_LABEL, sameRef, type Edge, type ObjectRef } from '../registry-relations.js';
import { objectHref } from './objects.js';
import { svg } from './svg.js';

const NODE = { width: 196, height: 36, columnGap: 64, rowGap: 14 };
const PAD = 8;
const refKey = (ref: ObjectRef) => `${ref.kind}:${ref.name}`;

/** What a node's second line says: its kind, and for a source which one. */
function subtitle(doc: RegistryDocument, ref: ObjectRef): string {
  if (ref.kind !== 'dataSource') return KIND_LABEL[ref.kind].one;
  const kind = doc.dataSources[ref.name]?.spec.kind;
  return kind === 'pushSource' ? 'push source' : kind === 'requestSource' ? 'request source' : 'file source';
}

/**
 * The lineage as SVG: one box per object (a link to its page), columns from entities and
 * sources on the left to services on the right, one curve per edge (in its own lane past
 * the columns it crosses). `focus` is drawn highlighted. Nodes carry
 * `data-node="kind:name"`, curves `data-edge="from->to"`.
 */
export function lineageGraph(doc: RegistryDocument, nodes: readonly ObjectRef[], edges: readonly Edge[], focus?: ObjectRef): SVGSVGElement {
  const layout = layoutLineage(doc, nodes, edges);
  const width = PAD * 2 + layout.columns * NODE.width + (layout.columns - 1) * NODE.columnGap;
  const height = PAD * 2 + layout.rows * NODE.height + (layout.rows - 1) * NODE.rowGap;
  const graph = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'lineage', role: 'img', 'aria-label': 'lineage: sources to views to services' });
  graph.style.maxWidth = `${width}px`;
  const left = (slot: Slot) => PAD + slot.column * (NODE.width + NODE.columnGap);
  const middle = (slot: Slot) => PAD + slot.row * (NODE.height + NODE.rowGap) + NODE.height / 2;
  const curve = (x1: number, y1: number, x2: number, y2: number) => {
    const bend = Math.max(20, (x2 - x1) / 2);
    return `C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
  };
  for (const { edge, from, via, to } of layout.routes) {
    let x = left(from) + NODE.width;
    let y = middle(from);
    let d = `M${x},${y}`;
    // Through each lane it crosses: a curve to the lane, then straight across it.
    for (const lane of via) {
      d += ` ${curve(x, y, left(lane), middle(lane))} L${left(lane) + NODE.width},${middle(lane)}`;
      [x, y] = [left(lane) + NODE.width, middle(lane)];
    }
    d += ` ${curve(x, y, left(to), middle(to))}`;
    graph.append(svg('path', { d, class: 'edge', 'data-edge': `${refKey(edge.from)}->${refKey(edge.to)}` }));
  }
  for (const node of layout.nodes) {
    const [x, y] = [left(node), middle(node) - NODE.height / 2];
    const name = node.ref.name.length > 26 ? `${node.ref.name.slice(0, 25)}…` : node.ref.name;
    const focused = focus !== undefined && sameRef(focus, node.ref);
    graph.append(
      svg(
        'a',
        { href: objectHref(node.ref.kind, node.ref.name), 'data-node': refKey(node.ref), class: `node node-${node.ref.kind}${focused ? ' focus' : ''}` },
        svg('title', {}, `${subtitle(doc, node.ref)} ${node.ref.name}`),
        svg('rect', { x, y, width: NODE.width, height: NODE.height, rx: 5 }),
        svg('text', { x: x + 8, y: y + 15, class: 'name' }, name),
        svg('text', { x: x + 8, y: y + 29, class: 'kind' }, subtitle(doc, node.ref)),
      ),
    );
  }
  return graph;
}
