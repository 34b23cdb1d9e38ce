/** The definitions module of the typed worker (bad-batches.chromium.test.ts): issue 14's typed view, push source and stream view. */
import { project } from '../../../../src/definitions/index.js';
import { typedDefinitions, typedStreamDefinitions } from '../../typed-definitions.js';

const typed = typedDefinitions('typed.parquet');
const stream = typedStreamDefinitions(typed);

export const typedWorker = project({ name: 'typed_worker' });
export const { user, source, push } = typed;
export const typedView = typed.typed;
export const { events, stream: typedStream } = stream;
