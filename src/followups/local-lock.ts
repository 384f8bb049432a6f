import type { SessionStore } from "../store/types.ts";

/**
 * Gives a single-process store (SQLite, memory) a `withLock` that serialises by key inside this
 * process. The engine already queues turns per user, but a check-in delivery writes the session
 * from outside a turn; with this, deliveries and turns of one user take the same lock and
 * neither overwrites the other. Stores that already lock (Redis) are returned unchanged.
 */
export function withProcessLock(store: SessionStore): SessionStore {
  if (store.withLock) return store;
  const tails = new Map<string, Promise<unknown>>();
  return {
    get: (key) => store.get(key),
    set: (key, session) => store.set(key, session),
    delete: (key) => store.delete(key),
    close: () => store.close(),
    withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const prev = tails.get(key) ?? Promise.resolve();
      const run = prev.then(fn, fn);
      const tail = run.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return run;
    },
  };
}
