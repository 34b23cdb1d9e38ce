import { KIND_LABEL, type ObjectKind, type ObjectRef } from '../registry-relations.js';
import { h } from './dom.js';

type Child = Node | string | null | undefined | false;

/** The route of an object's page: `#/feature-view/driver_hourly_stats`. */
export const objectHref = (kind: ObjectKind, name: string): string => `#/${KIND_LABEL[kind].route}/${encodeURIComponent(name)}`;

/** A link to an object's page. */
export const objectLink = (kind: ObjectKind, name: string): HTMLAnchorElement =>
  h('a', { href: objectHref(kind, name), 'data-object': `${kind}:${name}` }, name);

/** Links to objects, comma-separated; 'none' when there are none. */
export function objectLinks(refs: readonly ObjectRef[]): Child[] {
  if (refs.length === 0) return [h('span', { class: 'muted' }, 'none')];
  return refs.flatMap((ref, i) => [i ? ', ' : '', objectLink(ref.kind, ref.name)]);
}

/** Tags as chips; each finds the objects with the same tag. */
export function tagChips(tags: Readonly<Record<string, string>>): HTMLElement {
  const entries = Object.entries(tags);
  if (entries.length === 0) return h('span', { class: 'muted' }, 'none');
  return h(
    'span',
    { class: 'tags' },
    ...entries.map(([key, value]) =>
      h('a', { class: 'tag', href: `#/registry?q=${encodeURIComponent(`${key}:${value}`)}`, title: 'objects with this tag' }, `${key}: ${value}`),
    ),
  );
}

/** A term/description list; a row with no value shows a muted dash. */
export function properties(rows: readonly (readonly [string, ...Child[]])[], testId?: string): HTMLElement {
  return h(
    'dl',
    { class: 'properties', 'data-testid': testId },
    ...rows.flatMap(([term, ...value]) => [
      h('dt', {}, term),
      h('dd', {}, ...(value.filter((v) => v !== '' && v !== null && v !== undefined && v !== false).length ? value : [h('span', { class: 'muted' }, '—')])),
    ]),
  );
}

/** A titled box of a page. */
export function panel(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel-box' }, h('h2', {}, title), ...children);
}
