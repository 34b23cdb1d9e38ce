/** The header the demo's Service Worker adds to the feature-server answers it gives, so the page can tell who answered. */
export const SERVED_BY_HEADER = 'x-feast-edge-served-by';

/**
 * A request header the page sets to have the server answer, not the Service Worker: the
 * Service Worker answers Feast's routes on the page's origin from this browser's
 * IndexedDB, so without it `fetch('/get-online-features')` never reaches the server.
 */
export const ANSWER_FROM_HEADER = 'x-feast-edge-answer-from';
