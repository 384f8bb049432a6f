/** Engines for adapter tests: a scripted one with hand-built replies, and wrappers. */
import type { Engine } from "../../../src/engine-api.ts";
import type { Reply, Turn } from "../../../src/types.ts";

/** An engine that answers each turn with whatever `script` returns, remembering the turns. */
export class ScriptedEngine implements Engine {
  readonly turns: Turn[] = [];
  constructor(private readonly script: (turn: Turn) => Reply[] | Promise<Reply[]>) {}

  async handle(turn: Turn): Promise<Reply[]> {
    this.turns.push(turn);
    return this.script(turn);
  }
}

/** Wraps an engine so that every answer takes `ms` longer (a slow store, say). */
export function slowEngine(engine: Engine, ms: number): Engine {
  return {
    async handle(turn) {
      await new Promise((r) => setTimeout(r, ms));
      return engine.handle(turn);
    },
  };
}

/** An engine that breaks its contract and throws. */
export const throwingEngine: Engine = {
  async handle() {
    throw new Error("boom");
  },
};
