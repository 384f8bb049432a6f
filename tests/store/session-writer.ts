/**
 * A second process for the cross-process session test: read-modify-writes of a few sessions
 * in one SQLite file, each under the store's withLock, with a pause between the read and the
 * write (where a turn or a check-in delivery would await). Prints DONE.
 */
import { createSqliteSessionStore, openDatabase } from "../../src/store/sqlite.ts";
import type { Session } from "../../src/store/types.ts";

const file = process.env.WRITER_DB ?? "";
const rounds = Number(process.env.WRITER_ROUNDS ?? 100);
const db = openDatabase(file);
const store = createSqliteSessionStore(db);
const fresh = (): Session => ({ v: 2, nonce: "n", greeted: false, updatedAt: 0 });
// WRITER_NOLOCK=1: no lock, to show the test can fail.
const lock =
  process.env.WRITER_NOLOCK === "1"
    ? <T>(_k: string, fn: () => Promise<T>) => fn()
    : store.withLock!;
// Both writers start together: READY, then wait for GO.
process.stdout.write("READY\n");
await new Promise<void>((resolve) =>
  process.stdin.on("data", (d) => String(d).includes("GO") && resolve()),
);
for (let i = 0; i < rounds; i++) {
  const key = `test:u${i % 4}`;
  await lock(key, async () => {
    const s = (await store.get(key)) ?? fresh();
    await new Promise((r) => setTimeout(r, Math.random() * 4));
    s.updatedAt += 1;
    await store.set(key, s);
  });
}
db.close();
process.stdout.write("DONE\n");
process.exit(0);
