import { h, replace } from './dom.js';

/** The message of anything thrown, as the page shows it (worker errors keep their name, e.g. FeatureViewNotFoundException). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}

/** A box that shows one error or notice at a time; empty when cleared. */
export function messageBox(): { element: HTMLElement; error(error: unknown): void; notice(text: string): void; clear(): void } {
  const element = h('div', { class: 'messages', 'aria-live': 'polite' });
  return {
    element,
    error(error) {
      replace(element, h('p', { class: 'error', role: 'alert', 'data-testid': 'error' }, errorText(error)));
    },
    notice(text) {
      replace(element, h('p', { class: 'notice' }, text));
    },
    clear() {
      replace(element);
    },
  };
}
