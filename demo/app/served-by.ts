/** The header the demo's Service Worker adds to the feature-server answers it gives, so the page can tell who answered. */
export const SERVED_BY_HEADER = 'x-feast-edge-served-by';
