type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/**
 * Creates an element: attributes by name (`on<event>` functions become listeners, `true`
 * an empty attribute, `false`/undefined none), then children (text or nodes; falsy skipped).
 * @example h('button', { type: 'button', onclick: run }, 'Run')
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

/** A link to another page of the app (hash routing keeps every page at '/', so the Service Worker's cached shell serves them all). */
export function pageLink(text: string, route: string, query: Record<string, string> = {}): HTMLAnchorElement {
  const search = new URLSearchParams(query).toString();
  return h('a', { href: `#/${route}${search ? `?${search}` : ''}` }, text);
}
