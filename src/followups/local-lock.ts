import { createKeyedQueue } from "../store/keyed-queue.ts";
import type { SessionStore } from "../store/types.ts";

/**
 * Gives a single-process store (SQLite, memory) a `withLock` that serialises by key inside this
 * process. The engine already queues turns per user, but a check-in delivery writes the session
 * from outside a turn; with this, deliveries and turns of one user take the same lock and
 * neither overwrites the other. Stores that already lock (Redis) are returned unchanged.
 */
export function withProcessLock(store: SessionStore): SessionStore {
  if (store.withLock) return store;
  const queue = createKeyedQueue();
  return {
    get: (key) => store.get(key),
    set: (key, session) => store.set(key, session),
    delete: (key) => store.delete(key),
    close: () => store.close(),
    withLock: queue,
  };
}
