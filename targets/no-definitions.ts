/**
 * An empty definitions module, for a server whose registry comes from a file (Feast's
 * registry.db or its converted registry.json) and that needs no transform code: map
 * `feast-edge-definitions` to it (the edge build does when only FEAST_EDGE_REGISTRY is set).
 */
export {};
