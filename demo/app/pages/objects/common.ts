import { formatValueType, type Field } from '../../../../src/definitions/index.js';
import type { RegistryDocument } from '../../../../src/registry/document.js';
import { KIND_LABEL, lineageEdges, lineageThrough, sameRef, type ObjectKind, type ObjectRef } from '../../registry-relations.js';
import { dataTable } from '../../ui/data-table.js';
import { h } from '../../ui/dom.js';
import { lineageGraph } from '../../ui/lineage-graph.js';
import { panel, properties, tagChips } from '../../ui/objects.js';

type Child = Node | string | null | undefined | false;

interface Described {
  readonly description?: string;
  readonly owner?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** The top of every object page: kind and name, description, owner, tags, and when the registry recorded it. */
export function objectHeader(kind: ObjectKind, name: string, spec: Described, stored?: { createdAt?: string; lastUpdatedAt?: string }): Child[] {
  return [
    h('p', { class: 'kind-label' }, KIND_LABEL[kind].one),
    h('h1', { 'data-testid': 'object-name' }, name),
    spec.description ? h('p', { class: 'description', 'data-testid': 'object-description' }, spec.description) : null,
    properties(
      [
        ['owner', spec.owner ?? ''],
        ['tags', tagChips(spec.tags ?? {})],
      ],
      'object-metadata',
    ),
    // Times of this browser's apply: left out of the README's screenshots (class volatile).
    stored?.createdAt
      ? h(
          'div',
          { class: 'volatile' },
          properties([
            ['registered', stored.createdAt],
            ['updated', stored.lastUpdatedAt ?? ''],
          ]),
        )
      : null,
  ];
}

/** A table of fields: name, type, description, tags. */
export function fieldsTable(fields: readonly Field[], testId: string): HTMLElement {
  return dataTable(
    ['name', 'type', 'description', 'tags'],
    fields.map((f) => [
      f.name,
      formatValueType(f.dtype),
      f.description ?? '',
      Object.entries(f.tags ?? {})
        .map(([k, v]) => `${k}: ${v}`)
        .join(', '),
    ]),
    { testId },
  );
}

/** The lineage through one object: what it reads and what reads it, it highlighted. */
export function lineagePanel(doc: RegistryDocument, ref: ObjectRef): HTMLElement {
  const edges = lineageThrough(lineageEdges(doc), ref);
  const nodes: ObjectRef[] = [ref];
  for (const e of edges) for (const n of [e.from, e.to]) if (!nodes.some((m) => sameRef(m, n))) nodes.push(n);
  return panel('Lineage', h('div', { class: 'lineage-scroll', 'data-testid': 'object-lineage' }, lineageGraph(doc, nodes, edges, ref)));
}

/** The object as the registry stores it (JSON), folded. */
export function rawPanel(spec: unknown): HTMLElement {
  return h(
    'details',
    { class: 'raw' },
    h('summary', {}, 'Definition as stored (JSON)'),
    h(
      'pre',
      {},
      JSON.stringify(spec, (key, value) => (key === 'transform' || key === 'transformColumns' ? undefined : value), 1),
    ),
  );
}
