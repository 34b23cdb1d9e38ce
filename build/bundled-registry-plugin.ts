/** The plugin lives with `feast-edge build-edge`, which ships it in the package; the clone's configs import it from here. */
export { bundledRegistry, edgeRegistryDocument, REGISTRY_MODULE, type BundledRegistryOptions } from '../src/cli/edge/bundled-registry-plugin.js';
