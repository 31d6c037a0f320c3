import { promisifyRequest, type UseStore } from 'idb-keyval';

/** An idb-keyval store (pass it to setMany, delMany, keys...) that can also let go of its connection. */
export type Store = UseStore & { close(): void };

/**
 * Like idb-keyval's createStore, plus what real browsers do to a connection:
 * the database exists without our object store (an older version, or the
 * store deleted): an upgrade adds it; another tab deletes or upgrades the
 * database (consent withdrawn), or the browser closes the connection (Safari
 * does): we let go and reopen on next use. A failed open is retried on next
 * use; a hanging one is the caller's timeout to handle. `close()` is for good:
 * make a new store to use the database again.
 */
export function openStore(dbName: string, storeName: string, idb: IDBFactory): Store {
  let dbp: Promise<IDBDatabase> | undefined;
  let closed = false;

  const open = (version?: number): Promise<IDBDatabase> => {
    const req = idb.open(dbName, version);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(storeName)) req.result.createObjectStore(storeName);
    };
    return promisifyRequest(req).then((db) => {
      if (db.objectStoreNames.contains(storeName)) return db;
      db.close();
      return open(db.version + 1);
    });
  };

  const connect = (): Promise<IDBDatabase> => {
    const p = open();
    const forget = () => {
      if (dbp === p) dbp = undefined;
    };
    p.then((db) => {
      db.onversionchange = db.onclose = () => {
        db.close();
        forget();
      };
      if (closed) db.close();
    }, forget);
    return p;
  };

  const store = ((mode, callback) =>
    Promise.resolve()
      .then(() => (dbp ??= connect()))
      .then((db) => callback(db.transaction(storeName, mode).objectStore(storeName)))) as Store;
  store.close = () => {
    closed = true;
    dbp?.then((db) => db.close(), () => undefined);
    dbp = undefined;
  };
  return store;
}
