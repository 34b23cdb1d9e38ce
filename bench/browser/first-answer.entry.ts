/**
 * Page side of the warm Service Worker figure: as soon as this module runs on a page the
 * Service Worker controls, it asks `/get-online-features` (answered by the worker from
 * IndexedDB) and a plain static file (passed through the same worker to the server) and
 * records when each answer was read, in ms since navigation start.
 */
const REQUEST = { features: ['stats:f1', 'stats:f2', 'stats:f3'], entities: { driver_id: [1, 2, 3] } };

const marks: { onlineMs?: number; staticMs?: number; statuses?: string[]; error?: string } = {};
if (navigator.serviceWorker.controller) {
  const online = fetch('/get-online-features', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(REQUEST) })
    .then((r) => r.json())
    .then((body: { results: { statuses: string[] }[] }) => {
      marks.onlineMs = performance.now();
      marks.statuses = body.results.flatMap((r) => r.statuses);
    });
  const plain = fetch('/static.json')
    .then((r) => r.json())
    .then(() => {
      marks.staticMs = performance.now();
    });
  await Promise.all([online, plain]).catch((error: unknown) => {
    marks.error = String(error);
  });
}

/** Registers the Service Worker, waits until it controls the page and writes a few rows through it. */
async function install(): Promise<void> {
  await navigator.serviceWorker.register('/service-worker.js');
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
  const now = new Date().toISOString();
  const rows = { driver_id: [1, 2, 3], event_timestamp: [now, now, now], created: [now, now, now], f1: [0.1, 0.2, 0.3], f2: [1, 2, 3], f3: [10, 20, 30] };
  const response = await fetch('/write-to-online-store', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ feature_view_name: 'stats', df: rows }),
  });
  if (!response.ok) throw new Error(`write-to-online-store answered ${response.status}: ${await response.text()}`);
}

Object.assign(globalThis, { install, firstAnswer: () => marks });
export {};
