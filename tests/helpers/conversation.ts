/** The one conversation driver for tests: turns built for a user, and an engine driven by them. */
import type { CommandName, Engine, Place, Reply, Turn, TurnBase } from "../../src/index.ts";

/** Turns from one user in one place: typed text, a command, a click on a reply's choices. */
export function turnsFor(base: TurnBase) {
  return {
    text: (text: string): Turn => ({ ...base, type: "text", text }),
    command: (command: CommandName, args?: string): Turn => ({
      ...base,
      type: "command",
      command,
      ...(args !== undefined ? { args } : {}),
    }),
    /** A click on `reply`'s choices (it must have some). */
    pick: (reply: Reply | undefined, ...values: string[]): Turn => {
      if (!reply?.choices) throw new Error("reply has no choices");
      return { ...base, type: "choice", setId: reply.choices.id, values };
    },
    /** A click on a choice set by its id (a stale or forged one, say). */
    pickSet: (setId: string, ...values: string[]): Turn => ({
      ...base,
      type: "choice",
      setId,
      values,
    }),
  };
}

/** Say things, click things, read the replies: a user talking to `engine`. */
export function chat(engine: Engine, userId = "u1", place: Place = { kind: "dm" }) {
  const turns = turnsFor({ platform: "test", userId, place });
  let last: Reply[] = [];
  const run = async (turn: Turn) => {
    last = await engine.handle(turn);
    return last;
  };
  return {
    say: (text: string) => run(turns.text(text)),
    command: (command: CommandName, args?: string) => run(turns.command(command, args)),
    /** Clicks values on the last reply that had choices. */
    click: (...values: string[]) => {
      const reply = [...last].reverse().find((r) => r.choices);
      if (!reply) throw new Error("no choices on the last replies");
      return run(turns.pick(reply, ...values));
    },
    clickSet: (setId: string, ...values: string[]) => run(turns.pickSet(setId, ...values)),
    get last() {
      return last;
    },
  };
}
