/**
 * A tiny engine for transport tests: replies come from a script, every turn is recorded, and
 * a gate can hold the engine mid-turn to prove acknowledgements do not wait for it.
 */
import type { Engine } from "../../../src/engine-api.ts";
import type { Reply, Turn } from "../../../src/types.ts";

/** A scripted engine plus what it saw. */
export interface ScriptedEngine extends Engine {
  turns: Turn[];
  /** Holds every turn until `release()` (for ordering tests). */
  hold(): void;
  release(): void;
  /** Resolves when the engine has started a turn. */
  started(): Promise<Turn>;
  /** Number of turns finished. */
  finished: number;
}

/** Creates an engine that answers each turn with `script(turn)`. */
export function scriptedEngine(script: (turn: Turn) => Reply[]): ScriptedEngine {
  let gate: Promise<void> | undefined;
  let open: () => void = () => {};
  const startWaiters: ((t: Turn) => void)[] = [];
  const engine: ScriptedEngine = {
    turns: [],
    finished: 0,
    async handle(turn) {
      engine.turns.push(turn);
      for (const w of startWaiters.splice(0)) w(turn);
      if (gate) await gate;
      engine.finished += 1;
      return script(turn);
    },
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = undefined;
      open();
    },
    started() {
      const last = engine.turns.at(-1);
      if (last && engine.finished < engine.turns.length) return Promise.resolve(last);
      return new Promise((resolve) => startWaiters.push(resolve));
    },
  };
  return engine;
}

/** Replies a typical engine might give, hand-built. */
export const sample = {
  answer: (
    text = "Rest, ice and **easy** running. See https://example.org/knee?a=1&b=2",
  ): Reply => ({
    kind: "answer",
    text,
    visibility: "public",
    meta: { faqId: "knee-swelling" },
  }),
  question: (id = "s1:q1:v1"): Reply => ({
    kind: "question",
    text: "Where does it hurt?",
    visibility: "private",
    personal: true,
    choices: {
      mode: "single",
      id,
      options: [
        { value: "front", label: "Front of the knee" },
        { value: "outside", label: "Outside" },
        { value: "inside", label: "Inside" },
      ],
    },
  }),
  checklist: (id = "s1:rf:v1"): Reply => ({
    kind: "question",
    text: "Do any of these apply?",
    visibility: "private",
    personal: true,
    choices: {
      mode: "multi",
      id,
      noneValue: "none",
      submitLabel: "Done",
      options: [
        { value: "locked", label: "Knee locks" },
        { value: "fever", label: "Fever" },
        { value: "none", label: "None of these" },
      ],
    },
  }),
  info: (text: string, visibility: "public" | "private" = "public"): Reply => ({
    kind: "info",
    text,
    visibility,
  }),
};
