/** The plugin lives with `feast-edge build-edge`, which ships it in the package; the clone's configs import it from here. */
export { onlineOnly } from '../src/cli/edge/online-only-plugin.js';
