import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach } from 'vitest';

// Every test starts with an empty IndexedDB, as it starts with empty memory.
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
