import type { LongWork, Progress } from '../../../src/runtime/worker/feature-store-api.js';
import { h } from './dom.js';

/**
 * A progress bar with a Cancel button for work done in the worker: `run` hands the work
 * a progress callback and an AbortSignal, and shows the step and count as they arrive.
 */
export function longWork(testId: string): { element: HTMLElement; run<T>(work: (options: LongWork) => Promise<T>): Promise<T>; readonly running: boolean } {
  const bar = h('progress', { max: 1, 'data-testid': `${testId}-progress` });
  const label = h('span', { class: 'progress-label' });
  const cancel = h('button', { type: 'button', disabled: true, 'data-testid': `${testId}-cancel` }, 'Cancel');
  const element = h('div', { class: 'long-work', hidden: true }, bar, ' ', label, ' ', cancel);
  let controller: AbortController | undefined;
  cancel.addEventListener('click', () => controller?.abort());
  const show = (progress: Progress) => {
    if (progress.total) {
      bar.max = progress.total;
      bar.value = progress.done;
    } else {
      bar.removeAttribute('value');
    }
    label.textContent = `${progress.step}: ${progress.done.toLocaleString('en-US')}${progress.total ? ` / ${progress.total.toLocaleString('en-US')}` : ''}`;
  };
  return {
    element,
    get running() {
      return controller !== undefined;
    },
    async run(work) {
      controller = new AbortController();
      element.hidden = false;
      cancel.disabled = false;
      bar.removeAttribute('value');
      label.textContent = 'starting…';
      try {
        return await work({ onProgress: show, signal: controller.signal });
      } finally {
        controller = undefined;
        cancel.disabled = true;
        element.hidden = true;
      }
    },
  };
}
