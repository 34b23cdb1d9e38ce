/** One page of the app: built once, shown again (with the route's query) on every visit. */
export interface Page {
  readonly title: string;
  readonly element: HTMLElement;
  show(query: URLSearchParams): void | Promise<void>;
}
