/** Batches and read results in a JSON-safe shape, to cross between Node and a page. */
import { Int64 } from '../../../src/definitions/index.js';
import { encodeEntityKey } from '../../../src/online/entity-key.js';
import type { OnlineReadResult, OnlineWriteBatch } from '../../../src/online/online-store.js';

export interface WireBatch {
  view: string;
  /** Int64 driver ids. */
  ids: number[];
  /** Microseconds as decimal strings. */
  events: string[];
  created?: (string | null)[];
  features: Record<string, (string | number | boolean | null)[]>;
}

export interface WireRead {
  events: (string | null)[];
  values: Record<string, unknown[]>;
}

export function fromWire(batch: WireBatch): OnlineWriteBatch {
  return {
    view: batch.view,
    keys: batch.ids.map((id) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }])),
    eventTimestamps: batch.events.map(BigInt),
    createdTimestamps: batch.created?.map((c) => (c === null ? null : BigInt(c))),
    features: batch.features,
  };
}

export function readResultToWire(result: OnlineReadResult): WireRead {
  return { events: result.eventTimestamps.map((e) => (e === null ? null : String(e))), values: result.values };
}
