import { servedNow, featureStore } from './store-client.js';
import type { OnlineTarget } from './restamp-online-rows.js';
import { toColumns } from './restamp-online-rows.js';
import { serverLabel, serverOnlineFeatures, serverWriteToOnlineStore } from './server-client.js';
import { browserStoreLabel } from './store-label.js';

/** This browser's online store, through the Web Worker. */
export function browserTarget(): OnlineTarget {
  return {
    label: browserStoreLabel(servedNow()),
    read: async (features, entityRows) => (await featureStore.getOnlineFeatures({ features, entityRows })).response,
    write: async (view, rows) => (await featureStore.writeToOnlineStore(view, rows)).written,
  };
}

/** The server's online store, through Feast's HTTP API (past this page's Service Worker). */
export function serverTarget(): OnlineTarget {
  return {
    label: serverLabel(),
    async read(features, entityRows) {
      const answer = await serverOnlineFeatures({ features, entities: toColumns(entityRows) });
      if (!answer.ok) throw new Error(answer.problem);
      return answer.body;
    },
    async write(view, rows) {
      const answer = await serverWriteToOnlineStore(view, toColumns(rows));
      if (!answer.ok) throw new Error(answer.problem);
      return rows.length;
    },
  };
}
