import { MemoryOnlineStore } from '../../src/online/memory-online-store.js';
import { runOnlineStoreContract } from './store-contract.js';

runOnlineStoreContract('memory', async () => new MemoryOnlineStore());
