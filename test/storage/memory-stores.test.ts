import { createMemoryStores } from '../../src/storage/memory/memory-stores';
import { describeStoreContract } from './store-contract';

describeStoreContract('memory', async () => createMemoryStores());
