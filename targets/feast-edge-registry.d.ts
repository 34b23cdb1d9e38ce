/** The registry document an edge bundle serves, converted at build time (src/cli/edge/bundled-registry-plugin.ts); null when it applies its definitions. */
declare module 'feast-edge-registry' {
  const registry: import('../src/registry/document.js').RegistryDocument | null;
  export default registry;
}
