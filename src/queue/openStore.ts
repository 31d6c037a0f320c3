import { promisifyRequest, type UseStore } from 'idb-keyval';

/** An idb-keyval store (pass it to setMany, delMany, keys...) that can also let go of its connection. */
export type Store = UseStore & { close(): void };

/**
 * Like idb-keyval's createStore, plus what real browsers do to a connection:
 * the database exists without our object store (an older version, or the
 * store deleted): an upgrade adds it; another tab deletes or upgrades the
 * database (consent withdrawn), or the browser closes the connection (Safari
 * does): we let go and reopen on next use. A failed open is retried on next
 * use; a hanging one is the caller's timeout to handle. `close()` lets go of
 * the connection; the next use opens a new one.
 */
export function openStore(dbName: string, storeName: string, idb: IDBFactory): Store {
  let dbp: Promise<IDBDatabase> | undefined;

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
      // Let go of (close() ran) while it was opening.
      if (dbp !== p) db.close();
    }, forget);
    return p;
  };

  const connection = () => (dbp ??= connect());
  const run = (mode: IDBTransactionMode, callback: (os: IDBObjectStore) => unknown, db: IDBDatabase) =>
    callback(db.transaction(storeName, mode).objectStore(storeName));
  // No closure over `callback`: a connection's listeners live as long as it does and keep alive the
  // scopes they were made in, and a minifier may inline connect() into this function. A closure here
  // would keep the first write's callback, and its hits, for the page's life (4 MB after 10,000 calls).
  const store = ((mode, callback) => Promise.resolve().then(connection).then(run.bind(undefined, mode, callback))) as Store;
  store.close = () => {
    dbp?.then((db) => db.close(), () => undefined);
    dbp = undefined;
  };
  return store;
}
