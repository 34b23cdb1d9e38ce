/**
 * Writes feast-edge registries as Feast registry.db files into Feast repos under a folder,
 * for scripts/feast-verify-read.py (run with real Feast) to read. Used to make
 * test/fixtures/feast/feast-reads-feast-edge; see its README.md.
 * Use: node --import tsx scripts/feast-verify-write.ts OUT_DIR [FEAST_EDGE_REPO_REGISTRY_JSON]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFeastRegistry, writeFeastRegistry } from '../src/feast/registry/index.js';
import { parseRegistryDocument } from '../src/registry/document-shape.js';
import type { RegistryDocument } from '../src/registry/document.js';
import { exampleDocument } from '../test/feast/example-document.js';

const [out, initRegistry] = process.argv.slice(2);
const fixtures = new URL('../test/fixtures/feast/', import.meta.url);
const docs: Record<string, RegistryDocument> = {
  quickstart: await readFeastRegistry(new Uint8Array(readFileSync(new URL('quickstart/registry-after-materialize.db', fixtures)))),
  rich: await readFeastRegistry(new Uint8Array(readFileSync(new URL('rich/registry-after-materialize.db', fixtures)))),
  edge: await exampleDocument(),
};
if (initRegistry) docs.init = parseRegistryDocument(JSON.parse(readFileSync(initRegistry, 'utf8')));
for (const [name, doc] of Object.entries(docs)) {
  const dir = join(out, name);
  mkdirSync(join(dir, 'data'), { recursive: true });
  // A fixed id and time: the same document gives the same bytes.
  writeFileSync(join(dir, 'data', 'registry.db'), writeFeastRegistry(doc, { versionId: `feast-edge-${name}` }));
  writeFileSync(
    join(dir, 'feature_store.yaml'),
    `project: ${doc.project.name}\nprovider: local\nregistry: data/registry.db\nonline_store:\n  type: sqlite\n  path: data/online_store.db\nentity_key_serialization_version: 3\n`,
  );
  console.log(dir);
}
