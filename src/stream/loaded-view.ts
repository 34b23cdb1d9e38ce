import { StreamTransformMismatchError } from '../errors.js';
import type { StoredStreamFeatureView } from '../registry/document.js';
import type { StreamViewCode } from './stream-events.js';

/** The loaded code of a stored stream view with a transform; refuses a missing or different one. */
export function loadedStreamView(stored: StoredStreamFeatureView, code: ReadonlyMap<string, StreamViewCode>): StreamViewCode {
  if (stored.transformSource === undefined) return stored;
  const loaded = code.get(stored.name);
  if (!loaded?.transform) {
    throw new StreamTransformMismatchError(`stream view '${stored.name}': its transform is not loaded; pass the repo's definitions to the feature store`);
  }
  if (loaded.transformSource !== stored.transformSource) {
    throw new StreamTransformMismatchError(`stream view '${stored.name}': the loaded transform differs from the applied one; run apply`);
  }
  return { ...stored, transform: loaded.transform };
}
