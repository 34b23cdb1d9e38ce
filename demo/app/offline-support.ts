declare const __DEMO_HAS_SERVICE_WORKER__: boolean;

/**
 * Registers the Service Worker that makes the app work offline, and reports whether it
 * controls the page (then the app and POST /get-online-features work with the network cut).
 */
export async function registerOfflineSupport(onChange: (state: string) => void): Promise<void> {
  if (!('serviceWorker' in navigator)) {
    onChange('no Service Worker support: online only');
    return;
  }
  // The worker is a build output (demo/build/service-worker-plugin.ts); `vite dev` has none.
  if (!__DEMO_HAS_SERVICE_WORKER__) {
    onChange('dev server: no Service Worker');
    return;
  }
  const report = () => onChange(navigator.serviceWorker.controller ? 'offline-ready' : 'caching the app for offline use…');
  navigator.serviceWorker.addEventListener('controllerchange', report);
  report();
  try {
    await navigator.serviceWorker.register('/service-worker.js');
    await navigator.serviceWorker.ready;
    report();
  } catch (error) {
    onChange(`Service Worker not registered: ${error instanceof Error ? error.message : String(error)}`);
  }
}
