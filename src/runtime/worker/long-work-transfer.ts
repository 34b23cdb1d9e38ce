import { expose, releaseProxy, transferHandlers, wrap, type TransferHandler } from 'comlink';

/** Long work's options as a page passes them: a progress callback and a cancelling signal. */
export interface LongWorkOptions<P = unknown> {
  readonly onProgress?: (progress: P) => void;
  readonly signal?: AbortSignal;
}

interface WireLongWork {
  readonly progress?: MessagePort;
  readonly signal?: MessagePort;
  /** Set when the signal had aborted before the call. */
  readonly aborted?: boolean;
}

const releasers = new WeakMap<object, () => void>();

const isLongWork = (value: unknown): value is LongWorkOptions => {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  const keys = Object.keys(value);
  if (keys.length === 0 || keys.some((k) => k !== 'onProgress' && k !== 'signal')) return false;
  const { onProgress, signal } = value as LongWorkOptions;
  return (
    (typeof onProgress === 'function' || onProgress === undefined) &&
    (signal === undefined || (typeof AbortSignal !== 'undefined' && signal instanceof AbortSignal))
  );
};

/**
 * Neither a function nor an AbortSignal can be cloned into a worker. This comlink
 * transfer handler sends `{ onProgress, signal }` as two MessagePorts: the callback is
 * exposed on one (the worker calls it through comlink, as with `proxy`), the other
 * carries the abort, and the worker gets a signal of its own that aborts with the page's.
 * Register it on both sides (connectFeatureStore and hostFeatureStore do).
 */
const longWorkHandler: TransferHandler<LongWorkOptions, WireLongWork> = {
  canHandle: isLongWork,
  serialize({ onProgress, signal }) {
    const wire: { progress?: MessagePort; signal?: MessagePort; aborted?: boolean } = {};
    const transferables: Transferable[] = [];
    if (onProgress) {
      const { port1, port2 } = new MessageChannel();
      expose(onProgress, port1);
      wire.progress = port2;
      transferables.push(port2);
    }
    if (signal?.aborted) wire.aborted = true;
    else if (signal) {
      const { port1, port2 } = new MessageChannel();
      signal.addEventListener(
        'abort',
        () => {
          port1.postMessage('abort');
          port1.close();
        },
        { once: true },
      );
      wire.signal = port2;
      transferables.push(port2);
    }
    return [wire, transferables];
  },
  deserialize(wire) {
    const work: { onProgress?: (progress: unknown) => void; signal?: AbortSignal } = {};
    const cleanups: (() => void)[] = [];
    if (wire.progress) {
      const remote = wrap<(progress: unknown) => void>(wire.progress);
      // Progress is fire and forget: a page that went away must not fail the work.
      work.onProgress = (progress: unknown) => {
        void Promise.resolve(remote(progress)).catch(() => undefined);
      };
      cleanups.push(() => remote[releaseProxy]());
    }
    if (wire.aborted || wire.signal) {
      const controller = new AbortController();
      if (wire.aborted) controller.abort();
      else if (wire.signal) {
        const port = wire.signal;
        port.onmessage = () => {
          controller.abort();
          port.close();
        };
        cleanups.push(() => port.close());
      }
      work.signal = controller.signal;
    }
    releasers.set(work, () => {
      for (const cleanup of cleanups) cleanup();
    });
    return work;
  },
};

export function registerLongWorkTransfer(): void {
  transferHandlers.set('feast-edge-long-work', longWorkHandler as TransferHandler<unknown, unknown>);
}

/** Frees the ports of long work that crossed the bridge, once the work is over (no-op for local options). */
export function releaseLongWork(work: object | undefined): void {
  if (!work) return;
  releasers.get(work)?.();
  releasers.delete(work);
}
